"""What mentors and mentees do with meetings. One function per action, each in a transaction.

Rule violations raise ValidationError (the page shows them next to what the person typed);
someone who may see a meeting but not do this to it gets require() → 403.
"""

import secrets
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from meetings import events, files, rules
from meetings.models import (
    PAIRING_ENDED,
    ActionItem,
    AgendaItem,
    CalendarFeed,
    Material,
    Meeting,
    PrivateNote,
    ProposedTime,
    hash_feed_token,
)
from meetings.reminders import MEETING_UPDATE
from meetings.signals import first_meeting_held, meeting_changed
from mentoring import moments
from mentoring.access import require
from mentoring.languages import later
from mentoring.reminders import when
from programs.models import Dyad

MAX_PROPOSALS = 3


class OverlapWarning(ValidationError):
    """Another meeting of one of the two overlaps this time. The person may confirm and go on."""


class StaleNotes(ValidationError):
    """Someone saved the shared notes after this person loaded them. Carries the current text."""

    def __init__(self, message: str, *, current: Meeting):
        super().__init__(message)
        self.current = current


def _when(moment: datetime) -> str:
    return moments.moment_text(moment)


def _refuse(reason: str) -> None:
    """The state of the meeting or dyad forbids the action: say why (see meetings.rules)."""
    if reason:
        raise ValidationError(reason)


def _check_time(starts_at: datetime, ends_at: datetime, *, now: datetime) -> None:
    if ends_at <= starts_at:
        raise ValidationError(_("The meeting must end after it starts."))
    if starts_at <= now:
        raise ValidationError(
            _("%(when)s is in the past. Choose a time from now on.") % {"when": _when(starts_at)}
        )


def find_overlaps(
    *, dyad: Dyad, starts_at: datetime, ends_at: datetime, exclude: Meeting | None = None
) -> list[Meeting]:
    """Scheduled meetings of the dyad's mentor or mentee (in any dyad) that overlap the time."""
    people = [dyad.mentor_id, dyad.mentee_id]
    overlapping = Meeting.objects.filter(
        Q(dyad__mentor__in=people) | Q(dyad__mentee__in=people),
        status=Meeting.Status.SCHEDULED,
        starts_at__lt=ends_at,
        ends_at__gt=starts_at,
    ).select_related("dyad__mentor", "dyad__mentee")
    if exclude is not None:
        overlapping = overlapping.exclude(pk=exclude.pk)
    return list(overlapping)


def _warn_overlaps(
    *, dyad: Dyad, by, starts_at: datetime, ends_at: datetime, exclude: Meeting | None = None
) -> None:
    clashes = find_overlaps(dyad=dyad, starts_at=starts_at, ends_at=ends_at, exclude=exclude)
    if not clashes:
        return
    clash = clashes[0]
    mine = by.pk in (clash.dyad.mentor_id, clash.dyad.mentee_id)
    if mine:
        # The person's own calendar: say with whom. The partner's other meetings stay private.
        other = clash.dyad.partner_of(by)
        message = _(
            "%(when)s overlaps your meeting with %(other)s at %(then)s. Confirm to go ahead anyway."
        ) % {"when": _when(starts_at), "other": other, "then": _when(clash.starts_at)}
    else:
        message = _(
            "%(when)s overlaps another meeting in %(partner)s's calendar. Confirm to go ahead anyway."
        ) % {"when": _when(starts_at), "partner": dyad.partner_of(by)}
    raise OverlapWarning(message)


UPDATE_TITLES = {
    "scheduled": gettext_lazy("Meeting with %(partner)s scheduled: %(when)s"),
    "changed": gettext_lazy("Meeting with %(partner)s moved to %(when)s"),
    "cancelled": gettext_lazy("Meeting with %(partner)s cancelled: %(when)s"),
}


def _send_update(meeting: Meeting, kind: str) -> None:
    """Both sides get this version of the meeting by e-mail, .ics attached: one notice each,
    planned in this transaction (one per meeting, version and person, so planning it again adds
    nothing) and delivered after the commit, or by the next sweep if the broker is down."""
    from mentoring.notices.dispatch import notify
    from mentoring.notices.planning import Occasion

    dyad = meeting.dyad
    notify(
        kind=MEETING_UPDATE,
        due=[
            Occasion(
                recipient=person,
                target=meeting,
                occasion=f"v{meeting.sequence}",
                title=later(
                    UPDATE_TITLES[kind],
                    {"partner": dyad.partner_of(person), "when": when(meeting.starts_at, person)},
                ),
                body={
                    "changed": meeting.change_reason,
                    "cancelled": meeting.shown_cancel_reason,
                }.get(kind, ""),
                url=meeting.get_absolute_url(),
                program_id=dyad.program_id,
                details={"sequence": meeting.sequence, "update": kind},
            )
            for person in (dyad.mentor, dyad.mentee)
        ],
    )
    meeting_changed.send(sender=Meeting, meeting=meeting, change=kind)


def _locked(meeting: Meeting) -> Meeting:
    """The meeting row, locked for this transaction, with its dyad (two clicks at once: one wins)."""
    return (
        Meeting.objects.select_for_update(of=("self",))
        .select_related("dyad__mentor", "dyad__mentee", "dyad__program")
        .get(pk=meeting.pk)
    )


@transaction.atomic
def propose_meeting(
    *,
    dyad: Dyad,
    by,
    times: list[tuple[datetime, datetime]],
    location: str = "",
    video_url: str = "",
    note: str = "",
    confirm_overlap: bool = False,
) -> Meeting:
    """The mentor or mentee offers one to three times; the other side accepts one of them."""
    require(rules.takes_part(by, dyad))
    _refuse(rules.planning_refusal(dyad))
    if not times:
        raise ValidationError(_("Propose at least one time."))
    if len(times) > MAX_PROPOSALS:
        raise ValidationError(_("Propose at most %(n)d times.") % {"n": MAX_PROPOSALS})
    if len({start for start, _end in times}) != len(times):
        raise ValidationError(_("Two of the proposed times are the same. Offer different times."))
    now = timezone.now()
    for starts_at, ends_at in times:
        _check_time(starts_at, ends_at, now=now)
    if not confirm_overlap:
        for starts_at, ends_at in times:
            _warn_overlaps(dyad=dyad, by=by, starts_at=starts_at, ends_at=ends_at)
    if same := _same_proposal(dyad=dyad, by=by, times=times):
        return same  # a double click proposes, and tells, nothing twice
    meeting = Meeting.objects.create(
        dyad=dyad,
        requested_by=by,
        location=location.strip(),
        video_url=video_url.strip(),
        note=note.strip(),
    )
    ProposedTime.objects.bulk_create(
        [ProposedTime(meeting=meeting, starts_at=s, ends_at=e) for s, e in sorted(times)]
    )
    events.tell_proposed(meeting, by=by)
    return meeting


def _same_proposal(*, dyad: Dyad, by, times: list[tuple[datetime, datetime]]) -> Meeting | None:
    """The open proposal this person already made of exactly these times (a double click)."""
    # Two clicks at once queue here on the dyad's row: the second finds the first's proposal.
    Dyad.objects.select_for_update().filter(pk=dyad.pk).values_list("pk", flat=True).get()
    open_proposals = Meeting.objects.filter(
        dyad=dyad, requested_by=by, status=Meeting.Status.REQUESTED
    ).prefetch_related("proposals")
    for meeting in open_proposals:
        if sorted((p.starts_at, p.ends_at) for p in meeting.proposals.all()) == sorted(times):
            return meeting
    return None


@transaction.atomic
def accept_proposal(*, proposal: ProposedTime, by, confirm_overlap: bool = False) -> Meeting:
    """The other side picks one of the proposed times: the meeting is scheduled, both get an invite."""
    meeting = _locked(proposal.meeting)
    dyad = meeting.dyad
    require(rules.may_accept(by, meeting))
    _refuse(rules.record_refusal(meeting) or rules.planning_refusal(dyad))
    if meeting.status == Meeting.Status.SCHEDULED and meeting.starts_at == proposal.starts_at:
        return meeting  # a double click changes nothing
    _refuse(rules.accept_refusal(meeting))
    _check_time(proposal.starts_at, proposal.ends_at, now=timezone.now())
    if not confirm_overlap:
        _warn_overlaps(
            dyad=dyad,
            by=by,
            starts_at=proposal.starts_at,
            ends_at=proposal.ends_at,
            exclude=meeting,
        )
    meeting.starts_at, meeting.ends_at = proposal.starts_at, proposal.ends_at
    meeting.status = Meeting.Status.SCHEDULED
    meeting.scheduled_at = timezone.now()
    meeting.save(update_fields=["starts_at", "ends_at", "status", "scheduled_at"])
    _send_update(meeting, "scheduled")
    return meeting


@transaction.atomic
def change_meeting(
    *,
    meeting: Meeting,
    by,
    starts_at: datetime,
    ends_at: datetime,
    location: str,
    video_url: str,
    reason: str,
    confirm_overlap: bool = False,
) -> Meeting:
    """Either side moves a scheduled meeting or changes its place; calendars get the new version."""
    meeting = _locked(meeting)
    require(rules.takes_part(by, meeting.dyad))
    _refuse(rules.change_refusal(meeting))
    if not reason.strip():
        raise ValidationError(_("Say in a few words why the meeting changes."))
    moved = (starts_at, ends_at) != (meeting.starts_at, meeting.ends_at)
    if moved:
        _check_time(starts_at, ends_at, now=timezone.now())
        if not confirm_overlap:
            _warn_overlaps(
                dyad=meeting.dyad, by=by, starts_at=starts_at, ends_at=ends_at, exclude=meeting
            )
    elif (location.strip(), video_url.strip()) == (meeting.location, meeting.video_url):
        raise ValidationError(_("Nothing changed: choose a new time or a new place."))
    meeting.starts_at, meeting.ends_at = starts_at, ends_at
    meeting.location, meeting.video_url = location.strip(), video_url.strip()
    meeting.change_reason = reason.strip()
    meeting.sequence = F("sequence") + 1
    meeting.save(
        update_fields=["starts_at", "ends_at", "location", "video_url", "change_reason", "sequence"]
    )
    meeting.refresh_from_db(fields=["sequence"])
    _send_update(meeting, "changed")
    return meeting


@transaction.atomic
def cancel_meeting(*, meeting: Meeting, by, reason: str) -> Meeting:
    """Either side calls a proposed or scheduled meeting off, with a reason the other one reads."""
    meeting = _locked(meeting)
    require(rules.takes_part(by, meeting.dyad))
    if meeting.status == Meeting.Status.CANCELLED:
        return meeting
    _refuse(rules.cancel_refusal(meeting))
    if not reason.strip():
        raise ValidationError(_("Say in a few words why the meeting is cancelled."))
    was_scheduled = meeting.status == Meeting.Status.SCHEDULED
    meeting.status = Meeting.Status.CANCELLED
    meeting.cancel_reason = reason.strip()[:300]
    meeting.cancelled_at, meeting.cancelled_by = timezone.now(), by
    meeting.sequence = F("sequence") + 1
    meeting.save(
        update_fields=["status", "cancel_reason", "cancelled_at", "cancelled_by", "sequence"]
    )
    meeting.refresh_from_db(fields=["sequence"])
    if was_scheduled:  # a mere proposal never reached anyone's calendar
        _send_update(meeting, "cancelled")
    return meeting


@transaction.atomic
def mark_meeting(*, meeting: Meeting, by, outcome: str) -> Meeting:
    """After its start, either side records whether the meeting was held or missed."""
    meeting = _locked(meeting)
    require(rules.takes_part(by, meeting.dyad))
    _refuse(rules.record_refusal(meeting))
    if outcome not in (Meeting.Status.HELD, Meeting.Status.MISSED):
        raise ValidationError(_("Choose held or missed."))
    if meeting.status == outcome:
        return meeting
    _refuse(rules.mark_refusal(meeting))
    meeting.status = outcome
    meeting.marked_at, meeting.marked_by = timezone.now(), by
    meeting.save(update_fields=["status", "marked_at", "marked_by"])
    if (
        outcome == Meeting.Status.HELD
        and not meeting.dyad.meetings.filter(status=Meeting.Status.HELD)
        .exclude(pk=meeting.pk)
        .exists()
    ):
        # Receivers do only database work, in this transaction: no broker can lose it.
        first_meeting_held.send(sender=Meeting, dyad=meeting.dyad, meeting=meeting)
    return meeting


def _check_goal_links(meeting: Meeting, goal, progress_report) -> None:
    dyad = meeting.dyad
    for linked, label in ((goal, _("goal")), (progress_report, _("progress report"))):
        if linked is not None and (
            linked.mentee_id != dyad.mentee_id or linked.program_id != dyad.program_id
        ):
            raise ValidationError(
                _("Link a %(what)s of %(mentee)s in this program.")
                % {"what": label, "mentee": dyad.mentee}
            )


@transaction.atomic
def add_agenda_item(
    *,
    meeting: Meeting,
    by,
    topic: str,
    help_needed: str = AgendaItem.Help.ADVICE,
    details: str = "",
    goal=None,
    progress_report=None,
) -> AgendaItem:
    """The mentee (or the mentor) puts a topic on the agenda, with the help it needs."""
    meeting = _locked(meeting)  # cancelled a moment ago by the other person? then refuse
    require(rules.takes_part(by, meeting.dyad))
    _refuse(rules.record_refusal(meeting))
    if not topic.strip():
        raise ValidationError(_("Give the agenda item a topic."))
    _check_goal_links(meeting, goal, progress_report)
    return AgendaItem.objects.create(
        meeting=meeting,
        topic=topic.strip(),
        help_needed=help_needed,
        details=details.strip(),
        goal=goal,
        progress_report=progress_report,
        added_by=by,
    )


@transaction.atomic
def remove_agenda_item(*, item: AgendaItem, by) -> None:
    """Whoever added an item may take it off again."""
    require(rules.may_remove_agenda_item(by, item))
    _refuse(rules.record_refusal(_locked(item.meeting)))
    item.delete()


@transaction.atomic
def set_agenda_ready(*, meeting: Meeting, by, ready: bool) -> Meeting:
    """The mentee says the agenda is complete (or takes that back to add more)."""
    meeting = _locked(meeting)  # cancelled a moment ago by the other person? then refuse
    require(rules.is_mentee(by, meeting.dyad))
    _refuse(rules.record_refusal(meeting))
    if ready and not meeting.agenda_items.exists():
        raise ValidationError(_("Add at least one agenda item before marking the agenda ready."))
    meeting.agenda_ready_at = timezone.now() if ready else None
    meeting.save(update_fields=["agenda_ready_at"])
    return meeting


@transaction.atomic
def attach_material(
    *,
    meeting: Meeting,
    by,
    title: str,
    upload: UploadedFile | None = None,
    link: str = "",
    review_by: date | None = None,
    max_bytes: int,
) -> Material:
    """The mentee sends a file or a link to the mentor for review, by a date."""
    meeting = _locked(meeting)  # cancelled a moment ago by the other person? then refuse
    require(rules.is_mentee(by, meeting.dyad))
    _refuse(rules.record_refusal(meeting))
    if bool(upload) == bool(link.strip()):
        raise ValidationError(_("Attach a file or give a link, one of the two."))
    if review_by is not None and review_by < timezone.localdate():
        raise ValidationError(_("The 'please review by' date is in the past."))
    title = title.strip() or (upload.name if upload else link.strip())[:200]
    same = _same_material(meeting, by=by, title=title, upload=upload, link=link, by_date=review_by)
    if same:
        return same  # a double click sends, and tells, nothing twice
    material = Material(
        meeting=meeting,
        title=title,
        link=link.strip(),
        review_by=review_by,
        uploaded_by=by,
    )
    if upload:
        kind = files.check_upload(upload, max_bytes=max_bytes)
        material.original_name = (upload.name or "material")[-200:]
        material.content_type = files.content_type_of(kind)
        material.size = upload.size
        material.file.save(material.original_name, upload, save=False)
        # The row and the file must agree: if the row cannot be saved, remove the orphan file.
        stored = material.file.name
        try:
            material.save()
        except Exception:
            material.file.storage.delete(stored)
            raise
    else:
        material.save()
    events.tell_material_sent(material, meeting=meeting)
    return material


def _same_material(
    meeting: Meeting, *, by, title: str, upload, link: str, by_date: date | None
) -> Material | None:
    """The material not yet reviewed that this person already sent as this one (the meeting's
    row is locked, so two clicks at once find each other)."""
    return meeting.materials.filter(
        uploaded_by=by,
        reviewed_at=None,
        title=title,
        link=link.strip(),
        original_name=(upload.name or "material")[-200:] if upload else "",
        size=upload.size if upload else None,
        review_by=by_date,
    ).first()


@transaction.atomic
def review_material(*, material: Material, by, comment: str) -> Material:
    """The mentor marks a material reviewed, with a comment the mentee reads."""
    meeting = _locked(material.meeting)
    require(rules.is_mentor(by, meeting.dyad))
    _refuse(rules.record_refusal(meeting))
    material = Material.objects.select_for_update().get(pk=material.pk)
    material.review_comment = comment.strip()
    fields = ["review_comment"]
    if material.reviewed_at is None:
        material.reviewed_at, material.reviewed_by = timezone.now(), by
        material.turnaround = material.reviewed_at - material.created_at
        fields += ["reviewed_at", "reviewed_by", "turnaround"]
    material.save(update_fields=fields)
    events.tell_material_reviewed(material, meeting=meeting)
    return material


@transaction.atomic
def save_shared_notes(*, meeting: Meeting, by, text: str, version: int) -> Meeting:
    """Either side saves the shared notes, unless the other saved since this person loaded them."""
    meeting = _locked(meeting)  # cancelled a moment ago by the other person? then refuse
    require(rules.takes_part(by, meeting.dyad))
    _refuse(rules.record_refusal(meeting))
    now = timezone.now()
    # Compare-and-set on the version: of two saves from the same version exactly one matches.
    saved = Meeting.objects.filter(pk=meeting.pk, notes_version=version).update(
        notes=text,
        notes_version=F("notes_version") + 1,
        notes_updated_at=now,
        notes_updated_by=by,
    )
    current = Meeting.objects.select_related("notes_updated_by").get(pk=meeting.pk)
    if not saved:
        raise StaleNotes(
            _(
                "%(who)s saved these notes at %(when)s, after you opened them. Your text is kept below, beside theirs: combine the two and save again."
            )
            % {
                "who": current.notes_updated_by or _("Someone"),
                "when": _when(current.notes_updated_at) if current.notes_updated_at else "",
            },
            current=current,
        )
    return current


@transaction.atomic
def save_private_note(*, meeting: Meeting, by, text: str) -> PrivateNote:
    """A participant keeps their own notes on the meeting; nobody else can read them."""
    require(rules.can_write_private_note(by, meeting))
    note, _created = PrivateNote.objects.update_or_create(
        meeting=meeting, author=by, defaults={"text": text, "updated_at": timezone.now()}
    )
    return note


@transaction.atomic
def add_action_item(
    *, meeting: Meeting, by, description: str, owner, due_on: date | None = None
) -> ActionItem:
    """Either side records something one of the two will do, by a date."""
    meeting = _locked(meeting)  # cancelled a moment ago by the other person? then refuse
    dyad = meeting.dyad
    require(rules.takes_part(by, dyad))
    _refuse(rules.record_refusal(meeting))
    if owner is None or owner.pk not in (dyad.mentor_id, dyad.mentee_id):
        raise ValidationError(_("An action item belongs to the mentor or the mentee."))
    if not description.strip():
        raise ValidationError(_("Say what needs doing."))
    return ActionItem.objects.create(
        meeting=meeting, description=description.strip(), owner=owner, due_on=due_on, created_by=by
    )


@transaction.atomic
def set_action_item_done(*, item: ActionItem, by, done: bool = True) -> ActionItem:
    """Either side ticks an action item off (or reopens it)."""
    require(rules.takes_part(by, item.meeting.dyad))
    _refuse(rules.action_item_refusal(item.meeting.dyad))
    if done == item.is_done:
        return item
    item.done_at, item.done_by = (timezone.now(), by) if done else (None, None)
    item.save(update_fields=["done_at", "done_by"])
    return item


@transaction.atomic
def regenerate_calendar_feed(*, user) -> str:
    """A new secret feed address for the person; the old one stops working. Returns the token."""
    token = secrets.token_urlsafe(32)
    CalendarFeed.objects.update_or_create(
        user=user,
        defaults={
            "token_hash": hash_feed_token(token),
            "created_at": timezone.now(),
            "last_used_at": None,
        },
    )
    return token


@transaction.atomic
def revoke_calendar_feed(*, user) -> None:
    """Turn the person's feed address off: calendar apps subscribed to it get nothing more."""
    CalendarFeed.objects.filter(user=user).delete()


@transaction.atomic
def cancel_future_meetings(*, dyad: Dyad, reason: str, by=None) -> int:
    """When a pairing ends, take its proposed and upcoming meetings out of both calendars.

    Called in the transaction that ends the dyad (meetings.receivers, on programs' dyad_ended);
    past meetings, notes and materials stay. Both sides' cancellation e-mails are notices planned
    in the same transaction. `by` (who ended the pairing) is named as the one who cancelled.
    Returns how many meetings were cancelled.
    """
    if dyad.status != Dyad.Status.ENDED:
        return 0
    upcoming = list(
        Meeting.objects.select_for_update()
        .filter(dyad=dyad)
        .filter(
            Q(status=Meeting.Status.REQUESTED)
            | Q(status=Meeting.Status.SCHEDULED, starts_at__gte=timezone.now())
        )
    )
    for meeting in upcoming:
        meeting.dyad = dyad  # one dyad for all: its people are read once, for every notice
        was_scheduled = meeting.status == Meeting.Status.SCHEDULED
        meeting.status = Meeting.Status.CANCELLED
        meeting.cancel_reason = reason[:300] or PAIRING_ENDED
        meeting.cancelled_at, meeting.cancelled_by = timezone.now(), by
        meeting.sequence += 1
        meeting.save(
            update_fields=["status", "cancel_reason", "cancelled_at", "cancelled_by", "sequence"]
        )
        if was_scheduled:
            _send_update(meeting, "cancelled")
    return len(upcoming)
