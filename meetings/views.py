from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from goals.models import Goal, ProgressReport
from goals.selectors import whole_plan_goals_and_reports
from goals.visibility import sees_whole_plan
from meetings import files, meeting_page, rules, selectors, services
from meetings.calendar import feed_ics, meeting_ics
from meetings.forms import (
    ActionItemForm,
    AgendaItemForm,
    CancelMeetingForm,
    ChangeMeetingForm,
    MaterialForm,
    PrivateNoteForm,
    ProposeMeetingForm,
    ReviewMaterialForm,
    SharedNotesForm,
)
from meetings.models import CalendarFeed, Meeting, PrivateNote, ProposedTime, hash_feed_token
from mentoring import registry
from mentoring.access import get_visible_or_404, require
from mentoring.form_markup import fields_for
from mentoring.languages import in_language_of
from programs.models import Dyad

FEED_TOKEN_SESSION_KEY = "meetings_new_feed_token"


def _meeting(request, pk) -> Meeting:
    return get_visible_or_404(meeting_page.meeting_for_page(), request.user, pk=pk)


def _agenda_form(meeting: Meeting, user, data=None) -> AgendaItemForm:
    """The dyad's mentee's goals and reports to link, as far as `user` sees them: the plan's rule
    row by row only for a viewer who does not see the whole plan (a supplemental or former
    mentor); the option's label and what the service checks, nothing more. For a viewer who sees
    the whole plan, the options are read once as SQL (goals.selectors); what is posted is still
    checked against the querysets."""
    dyad = meeting.dyad
    plan = {"mentee_id": dyad.mentee_id, "program_id": dyad.program_id}
    goals, reports = Goal.objects.filter(**plan), ProgressReport.objects.filter(**plan)
    whole = sees_whole_plan(user, **plan)
    if not whole:
        goals, reports = goals.visible_to(user), reports.visible_to(user)
    form = AgendaItemForm(
        data,
        goals=goals.only("title", *plan),
        reports=reports.only("submitted_at", "accomplishments", *plan),
        prefix="agenda",
    )
    if whole:
        listed = whole_plan_goals_and_reports(dyad.program_id, dyad.mentee_id)
        form.fields["goal"].listed, form.fields["progress_report"].listed = listed
    return form


def _render_detail(request, meeting: Meeting, *, status: int = 200, **forms):
    context = {"meeting": meeting, **meeting_page.meeting_page(meeting, request.user)}
    if "edit_agenda" in context["actions"]:
        agenda_form = forms.get("agenda_form") or _agenda_form(meeting, request.user)
        context["agenda_form"] = agenda_form
        context["agenda_fields"] = fields_for(agenda_form)
    if "add_action_item" in context["actions"]:
        action_form = forms.get("action_form") or ActionItemForm(dyad=meeting.dyad, prefix="action")
        context["action_form"] = action_form
        context["action_fields"] = fields_for(action_form)
    context["overlap_proposal"] = forms.get("overlap_proposal")
    return render(request, "meetings/meeting_detail.html", context, status=status)


def meeting_detail(request, pk):
    meeting = get_visible_or_404(meeting_page.meeting_for_detail(), request.user, pk=pk)
    return _render_detail(request, meeting)


def my_meetings(request):
    """The navigation's "Meetings": the person's pairings, open ones first, each leading to its
    meetings."""
    dyads = selectors.my_dyads(request.user)
    open_dyads = [d for d in dyads if d.is_open]
    return render(
        request,
        "meetings/my_meetings.html",
        {"open_dyads": open_dyads, "ended_dyads": [d for d in dyads if not d.is_open]},
    )


def dyad_meetings(request, pk):
    dyad = get_visible_or_404(
        Dyad.objects.select_related("program", "mentor", "mentee"), request.user, pk=pk
    )
    return render(
        request,
        "meetings/dyad_meetings.html",
        {
            "dyad": dyad,
            "meetings": selectors.dyad_meetings(dyad),
            "cadence": selectors.dyad_cadence(dyad),
            "role": dyad.role_of(request.user),
            "can_propose": rules.can_propose(request.user, dyad),
        },
    )


def propose_meeting(request, pk):
    dyad = get_visible_or_404(
        Dyad.objects.select_related("program", "mentor", "mentee"), request.user, pk=pk
    )
    require(rules.takes_part(request.user, dyad))
    form = ProposeMeetingForm(request.POST or None)
    if form.is_valid():
        try:
            meeting = services.propose_meeting(
                dyad=dyad,
                by=request.user,
                times=form.cleaned_data["times"],
                location=form.cleaned_data["location"],
                video_url=form.cleaned_data["video_url"],
                note=form.cleaned_data["note"],
                confirm_overlap=form.cleaned_data["confirm_overlap"],
            )
        except services.OverlapWarning as warning:
            form.add_error(None, warning)
            form.ask_overlap_confirmation()
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Your proposed times are sent. %(partner)s picks one of them.")
                % {"partner": dyad.partner_of(request.user)},
            )
            return redirect(meeting)
    fragments = [  # other apps' parts of this page (a slot picker), loaded by the browser
        reverse(name, args=[dyad.pk]) for name in registry.page_fragments("meetings:propose")
    ]
    return render(
        request,
        "meetings/meeting_propose.html",
        {"dyad": dyad, "form": form, "fragments": fragments},
    )


@require_POST
def accept_proposal(request, pk):
    proposal = get_visible_or_404(
        ProposedTime.objects.select_related(
            "meeting__dyad__mentor", "meeting__dyad__mentee", "meeting__dyad__program"
        ),
        request.user,
        pk=pk,
    )
    meeting = proposal.meeting
    require(rules.takes_part(request.user, meeting.dyad))
    try:
        services.accept_proposal(
            proposal=proposal,
            by=request.user,
            confirm_overlap=bool(request.POST.get("confirm_overlap")),
        )
    except services.OverlapWarning as warning:
        messages.warning(request, " ".join(warning.messages))
        meeting = _meeting(request, meeting.pk)
        return _render_detail(request, meeting, overlap_proposal=proposal)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("The meeting is scheduled. You both get a calendar invitation.")
        )
    return redirect(meeting)


def change_meeting(request, pk):
    meeting = _meeting(request, pk)
    require(rules.takes_part(request.user, meeting.dyad))
    form = ChangeMeetingForm(request.POST or None, meeting=meeting)
    if meeting.is_cancelled:
        messages.error(
            request,
            _(
                "This meeting was cancelled, so it can no longer be changed. Propose a new meeting instead."
            ),
        )
        return redirect(meeting)
    if form.is_valid():
        starts_at, ends_at = form.cleaned_data["times"]
        try:
            services.change_meeting(
                meeting=meeting,
                by=request.user,
                starts_at=starts_at,
                ends_at=ends_at,
                location=form.cleaned_data["location"],
                video_url=form.cleaned_data["video_url"],
                reason=form.cleaned_data["reason"],
                confirm_overlap=form.cleaned_data["confirm_overlap"],
            )
        except services.OverlapWarning as warning:
            form.add_error(None, warning)
            form.ask_overlap_confirmation()
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("The meeting is changed. You both get an updated invitation.")
            )
            return redirect(meeting)
    return render(request, "meetings/meeting_change.html", {"meeting": meeting, "form": form})


def cancel_meeting(request, pk):
    meeting = _meeting(request, pk)
    require(rules.takes_part(request.user, meeting.dyad))
    form = CancelMeetingForm(request.POST or None)
    if form.is_valid():
        try:
            services.cancel_meeting(
                meeting=meeting, by=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The meeting is cancelled. The other person is told why."))
            return redirect(meeting)
    return render(request, "meetings/meeting_cancel.html", {"meeting": meeting, "form": form})


@require_POST
def mark_meeting(request, pk):
    meeting = _meeting(request, pk)
    require(rules.takes_part(request.user, meeting.dyad))
    try:
        services.mark_meeting(
            meeting=meeting, by=request.user, outcome=request.POST.get("outcome", "")
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("The meeting is marked held. Add the notes and action items below.")
            if request.POST.get("outcome") == Meeting.Status.HELD
            else _("The meeting is marked missed. Propose a new time when you can."),
        )
    return redirect(meeting)


@require_POST
def add_agenda_item(request, pk):
    meeting = _meeting(request, pk)
    require(rules.takes_part(request.user, meeting.dyad))
    form = _agenda_form(meeting, request.user, request.POST)
    if form.is_valid():
        try:
            services.add_agenda_item(meeting=meeting, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Added to the agenda."))
            return redirect(f"{meeting.get_absolute_url()}#agenda")
    return _render_detail(request, meeting, agenda_form=form, status=400)


@require_POST
def remove_agenda_item(request, pk):
    item = get_visible_or_404(meeting_page.agenda_item_for_page(), request.user, pk=pk)
    require(rules.takes_part(request.user, item.meeting.dyad))
    try:
        services.remove_agenda_item(item=item, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(f"{item.meeting.get_absolute_url()}#agenda")


@require_POST
def set_agenda_ready(request, pk):
    meeting = _meeting(request, pk)
    require(rules.is_mentee(request.user, meeting.dyad))
    ready = request.POST.get("ready") == "1"
    try:
        services.set_agenda_ready(meeting=meeting, by=request.user, ready=ready)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("The agenda is marked ready: your mentor sees it.")
            if ready
            else _("The agenda is open again."),
        )
    return redirect(f"{meeting.get_absolute_url()}#agenda")


def add_material(request, pk):
    meeting = _meeting(request, pk)
    require(rules.is_mentee(request.user, meeting.dyad))
    form = MaterialForm(request.POST or None, request.FILES or None)
    if form.is_valid():
        try:
            services.attach_material(
                meeting=meeting,
                by=request.user,
                title=form.cleaned_data["title"],
                upload=form.cleaned_data["upload"],
                link=form.cleaned_data["link"],
                review_by=form.cleaned_data["review_by"],
                max_bytes=settings.MATERIAL_MAX_UPLOAD_BYTES,
            )
        except ValidationError as error:
            form.add_error("upload" if form.cleaned_data["upload"] else None, error)
        else:
            messages.success(request, _("Sent to your mentor for review."))
            return redirect(f"{meeting.get_absolute_url()}#materials")
    form.ask_for_the_file_again()
    return render(request, "meetings/material_add.html", {"meeting": meeting, "form": form})


def download_material(request, pk):
    material = get_visible_or_404(meeting_page.material_for_page(), request.user, pk=pk)
    if not material.is_file:
        raise Http404
    return files.download(
        material.file,
        filename=material.original_name or "material",
        content_type=material.content_type,
    )


def review_material(request, pk):
    material = get_visible_or_404(meeting_page.material_for_page(), request.user, pk=pk)
    meeting = material.meeting
    require(rules.is_mentor(request.user, meeting.dyad))
    form = ReviewMaterialForm(request.POST or None, initial={"comment": material.review_comment})
    if form.is_valid():
        try:
            services.review_material(
                material=material, by=request.user, comment=form.cleaned_data["comment"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Marked reviewed. The mentee sees your comment."))
            return redirect(f"{meeting.get_absolute_url()}#materials")
    return render(
        request,
        "meetings/material_review.html",
        {"material": material, "meeting": meeting, "form": form},
    )


def shared_notes(request, pk):
    meeting = _meeting(request, pk)
    require(rules.takes_part(request.user, meeting.dyad))
    form = SharedNotesForm(
        request.POST or None, initial={"text": meeting.notes, "version": meeting.notes_version}
    )
    theirs = None
    if meeting.is_cancelled and request.method == "POST":
        form.is_valid()
        form.add_error(None, _("This meeting was cancelled, so its notes can no longer change."))
    elif form.is_valid():
        try:
            services.save_shared_notes(
                meeting=meeting,
                by=request.user,
                text=form.cleaned_data["text"],
                version=form.cleaned_data["version"],
            )
        except services.StaleNotes as stale:
            theirs = stale.current
            form.add_error(None, stale)
            # The next save goes against the version now shown beside the person's own text.
            data = request.POST.copy()
            data["version"] = str(theirs.notes_version)
            form.data = data
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The shared notes are saved."))
            return redirect(f"{meeting.get_absolute_url()}#notes")
    return render(
        request, "meetings/notes_edit.html", {"meeting": meeting, "form": form, "theirs": theirs}
    )


def private_note(request, pk):
    meeting = _meeting(request, pk)
    require(rules.takes_part(request.user, meeting.dyad))
    note = PrivateNote.objects.visible_to(request.user).filter(meeting=meeting).first()
    form = PrivateNoteForm(request.POST or None, initial={"text": note.text if note else ""})
    if form.is_valid():
        try:
            services.save_private_note(
                meeting=meeting, by=request.user, text=form.cleaned_data["text"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your private notes are saved. Only you can read them."))
            return redirect(f"{meeting.get_absolute_url()}#private-notes")
    return render(request, "meetings/private_note_edit.html", {"meeting": meeting, "form": form})


@require_POST
def add_action_item(request, pk):
    meeting = _meeting(request, pk)
    require(rules.takes_part(request.user, meeting.dyad))
    form = ActionItemForm(request.POST, dyad=meeting.dyad, prefix="action")
    if form.is_valid():
        try:
            services.add_action_item(meeting=meeting, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Action item added."))
            return redirect(f"{meeting.get_absolute_url()}#actions")
    return _render_detail(request, meeting, action_form=form, status=400)


@require_POST
def set_action_item_done(request, pk):
    item = get_visible_or_404(meeting_page.action_item_for_page(), request.user, pk=pk)
    require(rules.takes_part(request.user, item.meeting.dyad))
    done = request.POST.get("done", "1") == "1"
    try:
        services.set_action_item_done(item=item, by=request.user, done=done)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    if request.headers.get("HX-Request"):
        return render(
            request,
            "meetings/_action_item.html",
            {"item": item, "can_edit": rules.can_tick_action_item(request.user, item)},
        )
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = f"{item.meeting.get_absolute_url()}#actions"
    return redirect(back)


def meeting_invite(request, pk):
    meeting = _meeting(request, pk)
    if meeting.starts_at is None:
        raise Http404
    response = HttpResponse(meeting_ics(meeting), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="meeting-{meeting.pk}.ics"'
    return response


def calendar_feed_page(request):
    feed = CalendarFeed.objects.visible_to(request.user).first()
    token = request.session.pop(FEED_TOKEN_SESSION_KEY, None)
    feed_url = (
        request.build_absolute_uri(reverse("meetings:feed", args=[token]))
        if token and feed
        else None
    )
    return render(request, "meetings/calendar_feed.html", {"feed": feed, "feed_url": feed_url})


@require_POST
def regenerate_calendar_feed(request):
    token = services.regenerate_calendar_feed(user=request.user)
    request.session[FEED_TOKEN_SESSION_KEY] = token
    messages.success(
        request, _("Your new calendar address is below. Any older address stops working.")
    )
    return redirect("meetings:calendar")


@require_POST
def revoke_calendar_feed(request):
    services.revoke_calendar_feed(user=request.user)
    messages.success(request, _("Your calendar address is turned off."))
    return redirect("meetings:calendar")


@login_not_required
@never_cache
def calendar_feed(request, token):
    # The token is the credential: only its hash is stored, so a leaked database opens no feed.
    feed = (
        CalendarFeed.objects.select_related("user")
        .filter(token_hash=hash_feed_token(token))
        .first()
    )
    if feed is None or not feed.user.is_active:
        raise Http404
    CalendarFeed.objects.filter(pk=feed.pk).update(last_used_at=timezone.now())
    with in_language_of(feed.user):  # a calendar app asks, not the person: theirs, not its
        body = feed_ics(selectors.feed_meetings(feed.user), name=_("Mentoring meetings"))
    return HttpResponse(body, content_type="text/calendar; charset=utf-8")
