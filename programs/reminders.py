"""The programs app's notice: the program admins' weekly digest, assembled from the sections other
apps register (mentoring.registry.admin_digest_section), so programs names none of them."""

from collections.abc import Iterator
from datetime import datetime

from django.utils.translation import gettext_lazy

from mentoring import registry
from mentoring.languages import joined, later
from mentoring.models import Notification
from mentoring.notices.planning import Occasion
from mentoring.reminders import HOUR, last_week, url_of
from programs.models import Membership

MEMBER_LEFT = registry.action_notice_kind(
    "member_left",
    gettext_lazy("A member deleted their account"),
    roles=("admin",),
    every=5 * 60,
    why="Sent when it happens; the sweep only catches what a broker outage held back.",
)


ADMIN_DIGEST = "admin_digest"


@registry.notice_kind(
    ADMIN_DIGEST,
    gettext_lazy("Weekly program digest (admins)"),
    roles=("admin",),
    every=HOUR,
    why="Weekly digests go out from Monday 08:00 in each recipient's zone: hourly finds every zone.",
    is_digest=True,
    order=90,
)
def admin_digests(now: datetime) -> Iterator[Occasion]:
    """Every program admin, weekly: what each app reports about their program."""
    due = {}
    for membership in Membership.objects.filter(role=Membership.Role.ADMIN).select_related(
        "user", "program"
    ):
        week = last_week(membership.user, now)
        if week is not None:
            occasion = Occasion(
                recipient=membership.user,
                target=membership.program,
                occasion=week[0].date().isoformat(),
                title="",
            )
            due[occasion.dedupe_key(ADMIN_DIGEST)] = membership
    # The sweep runs hourly all week: the digests already planned this week are not built again
    # (each costs every app's digest section).
    planned = Notification.objects.filter(dedupe_key__in=list(due)).values_list(
        "dedupe_key", flat=True
    )
    for key in planned:
        del due[key]
    program_ids = sorted({membership.program_id for membership in due.values()})
    if not program_ids:
        return
    sections = [section(program_ids, now) for _order, section in registry.ADMIN_DIGEST_SECTIONS]
    for membership in due.values():
        admin, program = membership.user, membership.program
        start, _end = last_week(admin, now)
        lines = [line for section in sections for line in section.get(program.pk, [])]
        yield Occasion(
            recipient=admin,
            target=program,
            occasion=start.date().isoformat(),
            title=later(gettext_lazy("%(program)s: the week in review"), {"program": program.name}),
            body=joined("\n", lines),
            url=url_of(program),
            program_id=program.pk,
        )


# Pairing (programs/matching.py and the services that act on it). Notices *about* an event: each
# follows the person's choice (each by e-mail, in the digest, in-app only).
PAIRED = registry.event_notice_kind(
    "paired",
    gettext_lazy("You have been paired"),
    roles=("mentor", "mentee"),
)
RE_PAIR_REQUESTED = registry.event_notice_kind(
    "re_pair_requested",
    gettext_lazy("A mentee or mentor asks for a different pairing (admins)"),
    roles=("admin",),
)
PROFILE_REMINDER = registry.action_notice_kind(
    "profile_reminder",
    gettext_lazy("Complete your profile (a program admin's reminder)"),
    roles=("mentor", "mentee"),
    every=5 * 60,
    why="Sent after the admin's commit; the sweep only catches what a broker outage held back.",
)

# The pairing events that each tell the people they concern (programs/pairing_notices.py): each
# follows the person's choice (each by e-mail, in the digest, in-app only).
MENTOR_REQUESTED = registry.event_notice_kind(
    "mentor_requested",
    gettext_lazy(
        "A mentee asks for a mentor (the mentor; admins when the program approves pairings)"
    ),
    roles=("mentor", "admin"),
)
MENTOR_REQUEST_ANSWERED = registry.event_notice_kind(
    "mentor_request_answered",
    gettext_lazy(
        "A mentor request is answered (the mentee; admins when a pairing awaits approval)"
    ),
    roles=("mentee", "admin"),
)
PAIRING_APPROVED = registry.event_notice_kind(
    "pairing_approved",
    gettext_lazy("A program admin approved your pairing"),
    roles=("mentor", "mentee"),
)
PAIRING_NOT_APPROVED = registry.event_notice_kind(
    "pairing_not_approved",
    gettext_lazy("A program admin did not approve your pairing"),
    roles=("mentor", "mentee"),
)
RE_PAIRED = registry.event_notice_kind(
    "re_paired",
    gettext_lazy(
        "A mentee is re-paired with a new mentor (the mentee, the old and the new mentor)"
    ),
    roles=("mentor", "mentee"),
)
SUPPLEMENTAL_ADDED = registry.event_notice_kind(
    "supplemental_mentor_added",
    gettext_lazy("A supplemental mentor is added for a focus area"),
    roles=("mentor", "mentee"),
)

# The members page (programs/services/members.py): what a program admin changed about a person.
MEMBER_CHANGED = registry.event_notice_kind(
    "member_changed",
    gettext_lazy("A program admin changed your roles, capacity or supervisor"),
    roles=("admin", "mentor", "mentee"),
)
MEMBER_STATUS = registry.action_notice_kind(
    "member_status",
    gettext_lazy("A program admin deactivated or reactivated your membership"),
    # Always e-mailed: a deactivated member no longer sees the program's pages.
    roles=("admin", "mentor", "mentee"),
    every=5 * 60,
    why="Sent when the admin confirms; the sweep only catches what a broker outage held back.",
    always_emailed=True,
)
PAIRING_ENDED_MEMBER_LEFT = registry.event_notice_kind(
    "pairing_ended_member_left",
    gettext_lazy("Your pairing ended because your partner was deactivated"),
    roles=("mentor", "mentee"),
)
