"""The programs app's part of a person's data export: programs, pairings, agreements, requests."""

from django.db.models import Q

from mentoring import registry
from mentoring.privacy import as_data
from programs.models import Agreement, Dyad, Membership, MentorRequest, Profile, RePairRequest


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
    return registry.PersonalData(
        data={
            "memberships": [
                as_data(m, ["program", "role", "capacity", "joined_at"])
                for m in Membership.objects.filter(user=user).select_related("program")
            ],
            "dyads": [
                as_data(
                    d,
                    [
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
                    ],
                )
                for d in dyads
            ],
            "agreements": [
                as_data(
                    a,
                    [
                        "dyad",
                        "text",
                        "meeting_frequency",
                        "communication",
                        "confidentiality",
                        "mentor_acknowledged_at",
                        "mentee_acknowledged_at",
                    ],
                )
                for a in Agreement.objects.filter(dyad__in=dyads).select_related(
                    "dyad__mentor", "dyad__mentee"
                )
            ],
            "mentor_requests": [
                as_data(
                    r,
                    [
                        "program",
                        "mentee",
                        "mentor",
                        "note",
                        "status",
                        "response_note",
                        "created_at",
                    ],
                )
                for r in requests
            ],
            "profile": [
                as_data(
                    p,
                    [
                        "wants",
                        "offers",
                        "meeting_frequency",
                        "meeting_mode",
                        "supervisor",
                        "completed_at",
                    ],
                )
                for p in Profile.objects.filter(user=user).select_related("supervisor")
            ],
            # What the person asked; never a request about them made by their partner.
            "re_pair_requests": [
                as_data(r, ["dyad", "reason", "created_at", "handled_at"])
                for r in RePairRequest.objects.filter(requested_by=user).select_related(
                    "dyad__mentor", "dyad__mentee"
                )
            ],
        }
    )
