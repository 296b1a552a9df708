"""What a meeting action tells the other side of the dyad (issue 23: nothing happens silently).

Each notice goes to the partner of the person who acted, and to nobody else: not the actor, not
the program's admins. It is planned in the action's transaction (mentoring.notices.dispatch.notify)
and follows the recipient's choice of e-mail, digest or in-app. A scheduled, moved or cancelled
meeting is told by its calendar invitation (MEETING_UPDATE in meetings.services), not here.

Dedupe: the target is the row the action made or changed, so a second proposal or a second
material is told again; the service itself returns the same row on a double click, so the key is
the same and nothing is sent twice.
"""

import hashlib

from django.utils.translation import gettext_lazy

from meetings.models import Material, Meeting
from meetings.reminders import MATERIAL_REVIEWED, MATERIAL_SENT, MEETING_PROPOSED
from mentoring.addresses import address
from mentoring.languages import joined, later
from mentoring.notices.dispatch import notify
from mentoring.notices.planning import Occasion
from mentoring.reminders import day, when


def tell_proposed(meeting: Meeting, *, by) -> None:
    """The partner of whoever proposed: the times offered, in the partner's zone, and where to
    accept one (the meeting page)."""
    dyad = meeting.dyad
    partner = dyad.partner_of(by)
    times = [when(p.starts_at, partner) for p in meeting.proposals.order_by("starts_at")]
    lines = [joined("", ["- ", moment]) for moment in times]
    if meeting.note:
        lines += [
            "",
            later(gettext_lazy("%(person)s adds: %(note)s"), {"person": by, "note": meeting.note}),
        ]
    title = later(
        gettext_lazy("%(person)s proposes a meeting: %(time)s"), {"person": by, "time": times[0]}
    )
    if len(times) > 1:
        title = joined(
            " ", [title, later(gettext_lazy("or %(count)s more"), {"count": len(times) - 1})]
        )
    notify(
        kind=MEETING_PROPOSED,
        due=[
            Occasion(
                recipient=partner,
                target=meeting,
                occasion="proposed",
                title=title,
                body=joined("\n", [gettext_lazy("Accept the time that suits you:"), *lines]),
                url=meeting.get_absolute_url(),
                program_id=dyad.program_id,
            )
        ],
    )


def tell_material_sent(material: Material, *, meeting: Meeting) -> None:
    """The mentor: what the mentee sent, by when, and the page where they review it."""
    dyad = meeting.dyad
    for_meeting = (
        [
            later(
                gettext_lazy("For your meeting on %(when)s."),
                {"when": when(meeting.starts_at, dyad.mentor)},
            )
        ]
        if meeting.starts_at
        else []
    )
    by_when = (
        [later(gettext_lazy("Please review by %(day)s."), {"day": day(material.review_by)})]
        if material.review_by
        else []
    )
    notify(
        kind=MATERIAL_SENT,
        due=[
            Occasion(
                recipient=dyad.mentor,
                target=material,
                occasion="sent",
                title=later(
                    gettext_lazy("%(mentee)s sent “%(title)s” for your review"),
                    {"mentee": dyad.mentee, "title": material.title},
                ),
                body=joined(" ", [*for_meeting, *by_when]),
                url=address("meetings:material_review", material.pk),
                program_id=dyad.program_id,
            )
        ],
    )


def tell_material_reviewed(material: Material, *, meeting: Meeting) -> None:
    """The mentee: their material was reviewed, and where the comment is. A changed comment is
    told again (the occasion is the comment's fingerprint); saving the same one twice is not."""
    dyad = meeting.dyad
    fingerprint = hashlib.sha256(material.review_comment.encode()).hexdigest()[:16]
    reviewed_on = day(material.reviewed_at.astimezone(dyad.mentee.zone).date())
    notify(
        kind=MATERIAL_REVIEWED,
        due=[
            Occasion(
                recipient=dyad.mentee,
                target=material,
                occasion=f"reviewed:{fingerprint}",
                title=later(
                    gettext_lazy("%(mentor)s reviewed “%(title)s”"),
                    {"mentor": dyad.mentor, "title": material.title},
                ),
                body=later(
                    gettext_lazy("Reviewed on %(day)s. Read the comment on the meeting page."),
                    {"day": reviewed_on},
                ),
                url=f"{meeting.get_absolute_url()}#materials",
                program_id=dyad.program_id,
            )
        ],
    )
