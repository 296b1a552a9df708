from tests.access import EVERYONE, Case, roles
from tests.programs.helpers import new_mentee, open_request, proposed_dyad


def _fresh_invitation_token(w) -> list[str]:
    """A valid link for an address nobody has: anonymous gets the sign-up form, everyone signed in
    (as another address) gets 403."""
    from programs.invitations import invite_member

    invitation = invite_member(
        program=w.program, by=w.admin, email="newcomer@a.example", role="mentee"
    )
    return [invitation.token]


def _supplemental(w) -> list[int]:
    from programs.services.pairing import add_supplemental_mentor

    dyad = add_supplemental_mentor(
        program=w.program, mentor=w.other_mentor, mentee=w.mentee, by=w.admin, focus_area="stats"
    )
    return [dyad.pk]


def _re_pair_request(w) -> list[int]:
    from programs.services.requests import request_re_pair

    return [request_re_pair(dyad=w.dyad, by=w.mentee, reason="We never meet.").pk]


def _former_member(w):
    from programs.services.members import deactivate_member

    deactivate_member(program=w.program, person=w.other_mentee, by=w.admin)
    return [w.program.slug, w.other_mentee.pk]


CASES = [
    Case("programs:detail", lambda w: [w.program.slug], ok=roles("admin")),
    Case("programs:settings", lambda w: [w.program.slug], ok=roles("admin")),
    Case(
        "programs:settings",
        lambda w: [w.program.slug],
        ok=roles("admin"),
        method="post",
        data=lambda w: {
            "name": "Program A",
            "default_cadence_days": 21,
            "feedback_cycle_months": 6,
            "agreement_template": "We meet.",
        },
        label="save",
    ),
    Case("programs:dyad", lambda w: [w.dyad.pk], ok=roles("admin", "mentor", "mentee")),
    # People pages (members, invitations, audit log): the program's admins only.
    Case("programs:members", lambda w: [w.program.slug], ok=roles("admin")),
    Case("programs:members_csv", lambda w: [w.program.slug], ok=roles("admin")),
    Case("programs:audit", lambda w: [w.program.slug], ok=roles("admin")),
    Case("programs:security", lambda w: [w.program.slug], ok=roles("admin")),
    Case("programs:security_csv", lambda w: [w.program.slug], ok=roles("admin")),
    Case("programs:invite", lambda w: [w.program.slug], ok=roles("admin")),
    Case(
        "programs:invite",
        lambda w: [w.program.slug],
        ok=roles("admin"),
        method="post",
        data=lambda w: {"email": "new.person@a.example", "name": "New Person", "role": "mentee"},
    ),
    Case("programs:invite_bulk", lambda w: [w.program.slug], ok=roles("admin")),
    Case(
        "programs:invite_bulk",
        lambda w: [w.program.slug],
        ok=roles("admin"),
        method="post",
        data=lambda w: {"text": "new.person@a.example, New Person, mentee"},
    ),
    Case("programs:accept_invitation", _fresh_invitation_token, public=True),
    # The admin's dyad pages (helper "dyads").
    Case("programs:pair", lambda w: [w.program.slug], ok=roles("admin")),
    Case(
        "programs:pair",
        lambda w: [w.program.slug],
        ok=roles("admin"),
        method="post",
        data=lambda w: {"mentee": new_mentee(w).pk, "mentor": w.mentor.pk},
    ),
    Case("programs:add_supplemental", lambda w: [w.program.slug], ok=roles("admin")),
    Case(
        "programs:add_supplemental",
        lambda w: [w.program.slug],
        ok=roles("admin"),
        method="post",
        data=lambda w: {"mentee": w.mentee.pk, "mentor": w.other_mentor.pk, "focus_area": "stats"},
    ),
    Case("programs:mentee_history", lambda w: [w.program.slug, w.mentee.pk], ok=roles("admin")),
    Case("programs:dyad_end", lambda w: [w.dyad.pk], ok=roles("admin")),
    Case(
        "programs:dyad_end",
        lambda w: [w.dyad.pk],
        ok=roles("admin"),
        method="post",
        data=lambda w: {"reason": "goals_met"},
    ),
    Case("programs:dyad_re_pair", lambda w: [w.dyad.pk], ok=roles("admin")),
    Case(
        "programs:dyad_re_pair",
        lambda w: [w.dyad.pk],
        ok=roles("admin"),
        method="post",
        data=lambda w: {"new_mentor": w.other_mentor.pk, "reason": "poor_fit"},
    ),
    Case("programs:dyad_pause", lambda w: [w.dyad.pk], ok=roles("admin"), method="post"),
    Case("programs:dyad_resume", lambda w: [w.dyad.pk], ok=roles("admin"), method="post"),
    Case(
        "programs:dyad_approve", lambda w: [proposed_dyad(w).pk], ok=roles("admin"), method="post"
    ),
    Case(
        "programs:dyad_decline", lambda w: [proposed_dyad(w).pk], ok=roles("admin"), method="post"
    ),
    Case("programs:dyad_cadence", lambda w: [w.dyad.pk], ok=roles("admin")),
    Case(
        "programs:dyad_cadence",
        lambda w: [w.dyad.pk],
        ok=roles("admin"),
        method="post",
        data=lambda w: {"cadence_days": "14"},
    ),
    Case("programs:agreement_edit", lambda w: [w.dyad.pk], ok=roles("admin", "mentor", "mentee")),
    Case(
        "programs:agreement_ack", lambda w: [w.dyad.pk], ok=roles("mentor", "mentee"), method="post"
    ),
    # Chosen, not only assigned: the mentor directory and mentor requests.
    Case(
        "programs:mentors", lambda w: [w.program.slug], ok=roles("admin", "mentee", "other_mentee")
    ),
    Case(
        "programs:request_mentor",
        lambda w: [w.program.slug, w.mentor.pk],
        ok=roles("mentee", "other_mentee"),
    ),
    Case("programs:requests", lambda w: [w.program.slug], ok=roles("admin")),
    Case("programs:approve_all", lambda w: [w.program.slug], ok=roles("admin")),
    Case(
        "programs:approve_all",
        lambda w: [w.program.slug],
        ok=roles("admin"),
        method="post",
        data=lambda w: {"dyad": [proposed_dyad(w).pk]},
    ),
    Case("programs:request", lambda w: [open_request(w).pk], ok=roles("admin", "mentor", "mentee")),
    Case(
        "programs:request",
        lambda w: [open_request(w).pk],
        ok=roles("mentor"),
        method="post",
        data=lambda w: {"decision": "accept"},
        label="accept",
    ),
    Case(
        "programs:request",
        lambda w: [open_request(w).pk],
        ok=roles("admin", "mentor"),
        method="post",
        data=lambda w: {"decision": "decline", "reason": "My schedule is full this year."},
        label="decline",
    ),
    Case(
        "programs:request_withdraw",
        lambda w: [open_request(w).pk],
        ok=roles("mentee"),
        method="post",
    ),
    # Pairing without dead ends (issue 14).
    Case("programs:cohort", lambda w: [w.program.slug], ok=roles("admin")),
    Case("programs:cohort", lambda w: [w.program.slug], ok=roles("admin"), method="post"),
    Case("programs:profile_status", lambda w: [w.program.slug], ok=roles("admin")),
    Case("programs:member_supervisor", lambda w: [w.program.slug, w.mentee.pk], ok=roles("admin")),
    Case("programs:make_primary", _supplemental, ok=roles("admin")),
    Case("programs:make_primary", _supplemental, ok=roles("admin"), method="post"),
    Case(
        "programs:dyad_supervisor",
        lambda w: [w.dyad.pk],
        ok=roles("admin"),
        method="post",
        data=lambda w: {"mentor_is_supervisor": "1"},
    ),
    Case("programs:request_re_pair", lambda w: [w.dyad.pk], ok=roles("mentor", "mentee")),
    Case(
        "programs:request_re_pair",
        lambda w: [w.dyad.pk],
        ok=roles("mentor", "mentee"),
        method="post",
        data=lambda w: {"reason": "We never find a time."},
    ),
    Case("programs:re_pair_request", _re_pair_request, ok=roles("admin")),
    Case("programs:supervisors_import", lambda w: [w.program.slug], ok=roles("admin")),
    Case(
        "programs:supervisors_import",
        lambda w: [w.program.slug],
        ok=roles("admin"),
        method="post",
        data=lambda w: {"text": f"{w.mentee.email},{w.mentor.email}"},
    ),
    Case("programs:profile", ok=EVERYONE),
    # The members page's actions (issue 23): the program's admins only, 404 for everyone else.
    Case("programs:member_edit", lambda w: [w.program.slug, w.mentor.pk], ok=roles("admin")),
    Case(
        "programs:member_edit",
        lambda w: [w.program.slug, w.mentor.pk],
        ok=roles("admin"),
        method="post",
        data=lambda w: {"roles": ["mentor"], "capacity": "4"},
    ),
    Case("programs:member_deactivate", lambda w: [w.program.slug, w.mentee.pk], ok=roles("admin")),
    Case(
        "programs:member_deactivate",
        lambda w: [w.program.slug, w.mentee.pk],
        ok=roles("admin"),
        method="post",
        data=lambda w: {"confirm": "1"},
    ),
    Case("programs:member_reactivate", _former_member, ok=roles("admin"), method="post"),
]
