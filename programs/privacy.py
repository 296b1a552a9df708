"""The programs app's part of a person's data export: programs, pairings, agreements, requests."""

from django.db.models import Q

from mentoring import registry
from mentoring.privacy import as_data
from programs.models import Agreement, Dyad, Membership, MentorRequest, Profile, RePairRequest

MEMBERSHIP_FIELDS = ["program", "role", "capacity", "joined_at"]
DYAD_FIELDS = [
    "program",
    "mentor",
    "mentee",
    "kind",
    "focus_area",
    "status",
    "formed",
    "cadence_days",
    "started_on",
    "ended_at",
    "end_reason",
]
AGREEMENT_FIELDS = [
    "dyad",
    "text",
    "meeting_frequency",
    "communication",
    "confidentiality",
    "mentor_acknowledged_at",
    "mentee_acknowledged_at",
]
MENTOR_REQUEST_FIELDS = [
    "program",
    "mentee",
    "mentor",
    "note",
    "status",
    "response_note",
    "created_at",
]
PROFILE_FIELDS = [
    "wants",
    "offers",
    "meeting_frequency",
    "meeting_mode",
    "supervisor",
    "completed_at",
]
RE_PAIR_REQUEST_FIELDS = ["dyad", "reason", "created_at", "handled_at"]


def _rows(queryset, fields: list[str]) -> list[dict]:
    return [as_data(row, fields) for row in queryset]


@registry.personal_data("programs")
def programs_data(user) -> registry.PersonalData:
    dyads = (
        Dyad.objects.filter(Q(mentor=user) | Q(mentee=user))
        .select_related("program", "mentor", "mentee")
        .order_by("created_at")
    )
    requests = MentorRequest.objects.filter(Q(mentee=user) | Q(mentor=user)).select_related(
        "program", "mentor", "mentee"
    )
    agreements = Agreement.objects.filter(dyad__in=dyads).select_related(
        "dyad__mentor", "dyad__mentee"
    )
    # What the person asked; never a request about them made by their partner.
    re_pair_requests = RePairRequest.objects.filter(requested_by=user).select_related(
        "dyad__mentor", "dyad__mentee"
    )
    return registry.PersonalData(
        data={
            "memberships": _rows(
                Membership.objects.filter(user=user).select_related("program"), MEMBERSHIP_FIELDS
            ),
            "dyads": _rows(dyads, DYAD_FIELDS),
            "agreements": _rows(agreements, AGREEMENT_FIELDS),
            "mentor_requests": _rows(requests, MENTOR_REQUEST_FIELDS),
            "profile": _rows(
                Profile.objects.filter(user=user).select_related("supervisor"), PROFILE_FIELDS
            ),
            "re_pair_requests": _rows(re_pair_requests, RE_PAIR_REQUEST_FIELDS),
        }
    )
