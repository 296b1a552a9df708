"""Who hears of each pairing event, and what they read: nothing about a pairing happens silently.

The services of programs/services/ call these inside their transaction; `notify` plans the rows
there and hands them out after the commit. Each notice links to the page where its recipient
acts, and a date in it is written in the recipient's zone (mentoring.reminders.when).

The dedupe key (kind, recipient, target, occasion) is chosen so that a double click plans nothing
twice, while a repeat of the event is told again: a second request after a withdrawn one is a new
MentorRequest (a new target); a dyad is approved, declined or re-paired once in its life.
"""

from collections.abc import Iterable

from django.utils import timezone
from django.utils.translation import gettext_lazy

from mentoring.addresses import address
from mentoring.languages import joined, later
from mentoring.notices.dispatch import notify
from mentoring.notices.planning import Occasion
from mentoring.reminders import day, when
from programs.models import Dyad, MentorRequest
from programs.reminders import (
    MENTOR_REQUEST_ANSWERED,
    MENTOR_REQUESTED,
    PAIRED,
    PAIRING_APPROVED,
    PAIRING_NOT_APPROVED,
    RE_PAIRED,
    SUPPLEMENTAL_ADDED,
)
from programs.selectors import program_admins


def tell_mentor_requested(mentor_request: MentorRequest) -> None:
    """The mentor hears that a mentee asks them; the admins too when they approve pairings."""
    program, mentee = mentor_request.program, mentor_request.mentee
    url = address("programs:request", mentor_request.pk)
    due = [
        Occasion(
            recipient=mentor_request.mentor,
            target=mentor_request,
            occasion="asked",
            title=later(
                gettext_lazy("%(program)s: %(mentee)s asks you to be their mentor"),
                {"program": program, "mentee": mentee},
            ),
            body=later(
                gettext_lazy(
                    "Asked %(when)s. Read their note, then accept or decline with a reason."
                ),
                {"when": when(mentor_request.created_at, mentor_request.mentor)},
            ),
            url=url,
            program_id=program.pk,
        )
    ]
    if program.requests_need_approval:
        due += [
            Occasion(
                recipient=admin,
                target=mentor_request,
                occasion="asked",
                title=later(
                    gettext_lazy("%(program)s: %(mentee)s asks %(mentor)s to be their mentor"),
                    {"program": program, "mentee": mentee, "mentor": mentor_request.mentor},
                ),
                body=later(
                    gettext_lazy(
                        "Asked %(when)s. If the mentor accepts, the pairing waits for your approval; "
                        "you may also decline for the program or assign another mentor."
                    ),
                    {"when": when(mentor_request.created_at, admin)},
                ),
                url=address("programs:requests", program.slug),
                program_id=program.pk,
            )
            for admin in program_admins(program, besides=(mentee.pk, mentor_request.mentor_id))
        ]
    notify(kind=MENTOR_REQUESTED, due=due)


def tell_request_accepted(mentor_request: MentorRequest, dyad: Dyad) -> None:
    """The mentee hears the mentor said yes; the admins, when the pairing waits for them."""
    program, mentee, mentor = mentor_request.program, mentor_request.mentee, mentor_request.mentor
    waits = dyad.status == Dyad.Status.PROPOSED
    due = [
        Occasion(
            recipient=mentee,
            target=mentor_request,
            occasion=MentorRequest.Status.ACCEPTED,
            title=later(
                gettext_lazy("%(program)s: %(mentor)s accepted your request"),
                {"program": program, "mentor": mentor},
            ),
            body=later(
                gettext_lazy(
                    "Accepted %(when)s. The program admin approves the pairing before it starts."
                )
                if waits
                else gettext_lazy(
                    "Accepted %(when)s. Read and acknowledge your mentoring agreement, then plan "
                    "a first meeting."
                ),
                {"when": when(mentor_request.responded_at, mentee)},
            ),
            url=dyad.get_absolute_url(),
            program_id=program.pk,
        )
    ]
    if waits:
        due += [
            Occasion(
                recipient=admin,
                target=mentor_request,
                occasion=MentorRequest.Status.ACCEPTED,
                title=later(
                    gettext_lazy("%(program)s: approve %(mentee)s with %(mentor)s"),
                    {"program": program, "mentee": mentee, "mentor": mentor},
                ),
                body=later(
                    gettext_lazy(
                        "%(mentor)s accepted %(when)s; the pairing waits for your approval."
                    ),
                    {"mentor": mentor, "when": when(mentor_request.responded_at, admin)},
                ),
                url=address("programs:requests", program.slug),
                program_id=program.pk,
            )
            for admin in program_admins(program, besides=(mentee.pk, mentor.pk))
        ]
    notify(kind=MENTOR_REQUEST_ANSWERED, due=due)


def tell_request_declined(mentor_request: MentorRequest) -> None:
    """The mentee hears their request was declined (by the mentor or for the program), and why."""
    mentee = mentor_request.mentee
    by_mentor = mentor_request.responded_by_id == mentor_request.mentor_id
    notify(
        kind=MENTOR_REQUEST_ANSWERED,
        due=[
            Occasion(
                recipient=mentee,
                target=mentor_request,
                occasion=MentorRequest.Status.DECLINED,
                title=later(
                    gettext_lazy("%(program)s: %(mentor)s declined your request")
                    if by_mentor
                    else gettext_lazy(
                        "%(program)s: the program declined your request to %(mentor)s"
                    ),
                    {"program": mentor_request.program, "mentor": mentor_request.mentor},
                ),
                body=later(
                    gettext_lazy(
                        "Declined %(when)s: “%(reason)s” Choose another mentor from the list."
                    ),
                    {
                        "when": when(mentor_request.responded_at, mentee),
                        "reason": mentor_request.response_note,
                    },
                ),
                url=address("programs:mentors", mentor_request.program.slug),
                program_id=mentor_request.program_id,
            )
        ],
    )


def tell_paired(dyads: list[Dyad]) -> None:
    """Tell both people of each new dyad who their partner is, and what comes next."""
    due = []
    for dyad in dyads:
        waits = dyad.status == Dyad.Status.PROPOSED
        for person, partner, role in (
            (dyad.mentee, dyad.mentor, gettext_lazy("mentor")),
            (dyad.mentor, dyad.mentee, gettext_lazy("mentee")),
        ):
            due.append(
                Occasion(
                    recipient=person,
                    target=dyad,
                    occasion="paired",
                    title=later(
                        gettext_lazy("%(program)s: %(partner)s is your %(role)s"),
                        {"program": dyad.program, "partner": partner, "role": role},
                    ),
                    body=gettext_lazy("The program admin approves the pairing before it starts.")
                    if waits
                    else gettext_lazy(
                        "Read and acknowledge your mentoring agreement, then plan a first meeting."
                    ),
                    url=dyad.get_absolute_url(),
                    program_id=dyad.program_id,
                )
            )
    notify(kind=PAIRED, due=due)


def tell_supplemental(dyad: Dyad) -> None:
    """The mentee and the supplemental mentor hear of each other, the focus area and the term."""
    until = (
        later(gettext_lazy(" until %(day)s"), {"day": day(dyad.ends_on)})
        if dyad.ends_on is not None
        else ""
    )
    due = [
        Occasion(
            recipient=person,
            target=dyad,
            occasion="added",
            title=later(
                title, {"program": dyad.program, "mentor": dyad.mentor, "mentee": dyad.mentee}
            ),
            body=later(
                gettext_lazy(
                    "Focus: %(focus)s%(until)s. Plan a first meeting from the dyad's page."
                ),
                {"focus": dyad.focus_area, "until": until},
            ),
            url=dyad.get_absolute_url(),
            program_id=dyad.program_id,
        )
        for person, title in (
            (dyad.mentee, gettext_lazy("%(program)s: %(mentor)s is your supplemental mentor")),
            (dyad.mentor, gettext_lazy("%(program)s: you are a supplemental mentor of %(mentee)s")),
        )
    ]
    notify(kind=SUPPLEMENTAL_ADDED, due=due)


def tell_approved(dyads: Iterable[Dyad]) -> None:
    """Both people of each approved dyad hear that it starts now."""
    due = [
        Occasion(
            recipient=person,
            target=dyad,
            occasion="approved",
            title=later(
                gettext_lazy("%(program)s: your pairing with %(partner)s is approved"),
                {"program": dyad.program, "partner": dyad.partner_of(person)},
            ),
            body=later(
                gettext_lazy(
                    "Approved %(when)s. Read and acknowledge your mentoring agreement, then plan a "
                    "first meeting."
                ),
                {"when": when(timezone.now(), person)},
            ),
            url=dyad.get_absolute_url(),
            program_id=dyad.program_id,
        )
        for dyad in dyads
        for person in (dyad.mentee, dyad.mentor)
    ]
    notify(kind=PAIRING_APPROVED, due=due)


def tell_not_approved(dyad: Dyad) -> None:
    """Both people hear the program did not approve their pairing; the mentee may choose again."""
    due = [
        Occasion(
            recipient=person,
            target=dyad,
            occasion="not-approved",
            title=later(
                gettext_lazy("%(program)s: your pairing with %(partner)s was not approved"),
                {"program": dyad.program, "partner": dyad.partner_of(person)},
            ),
            body=joined(
                " ",
                [
                    later(
                        gettext_lazy("The program's reason: “%(note)s”"), {"note": dyad.end_note}
                    ),
                    *(
                        [gettext_lazy("Choose another mentor from the list.")]
                        if person == dyad.mentee
                        else []
                    ),
                ],
            ),
            url=address("programs:mentors", dyad.program.slug)
            if person == dyad.mentee
            else dyad.get_absolute_url(),
            program_id=dyad.program_id,
        )
        for person in (dyad.mentee, dyad.mentor)
    ]
    notify(kind=PAIRING_NOT_APPROVED, due=due)


def tell_re_paired(old: Dyad, new: Dyad) -> None:
    """The old mentor hears the pairing ended; the mentee and the new mentor, of each other."""
    names = {"program": new.program, "mentee": new.mentee, "old": old.mentor, "new": new.mentor}
    due = [
        Occasion(
            recipient=old.mentor,
            target=old,
            occasion="re-paired",
            title=later(
                gettext_lazy("%(program)s: %(mentee)s has been paired with another mentor"), names
            ),
            body=later(
                gettext_lazy(
                    "Your dyad ended %(when)s. Its meetings, notes and feedback stay readable on its page."
                ),
                {"when": when(old.ended_at, old.mentor)},
            ),
            url=old.get_absolute_url(),
            program_id=old.program_id,
        ),
        Occasion(
            recipient=new.mentee,
            target=new,
            occasion="re-paired",
            title=later(gettext_lazy("%(program)s: %(new)s is your new mentor"), names),
            body=later(
                gettext_lazy(
                    "Your pairing with %(old)s has ended; your goals carry over. Read and acknowledge "
                    "the new agreement, then plan a first meeting."
                ),
                names,
            ),
            url=new.get_absolute_url(),
            program_id=new.program_id,
        ),
        Occasion(
            recipient=new.mentor,
            target=new,
            occasion="re-paired",
            title=later(gettext_lazy("%(program)s: %(mentee)s is your new mentee"), names),
            body=later(
                gettext_lazy(
                    "%(mentee)s was re-paired with you; their goals carry over. Read and acknowledge "
                    "the agreement, then plan a first meeting."
                ),
                names,
            ),
            url=new.get_absolute_url(),
            program_id=new.program_id,
        ),
    ]
    notify(kind=RE_PAIRED, due=due)
