from tests.access import Case, roles


def _fresh_invitation_token(w) -> list[str]:
    """A valid link for an address nobody has: anonymous gets the sign-up form, everyone signed in
    (as another address) gets 403."""
    from programs.invitations import invite_member

    invitation = invite_member(
        program=w.program, by=w.admin, email="newcomer@a.example", role="mentee"
    )
    return [invitation.token]


CASES = [
    Case("programs:detail", lambda w: [w.program.slug], ok=roles("admin")),
    Case("programs:dyad", lambda w: [w.dyad.pk], ok=roles("admin", "mentor", "mentee")),
    # People pages (members, invitations, audit log): the program's admins only.
    Case("programs:members", lambda w: [w.program.slug], ok=roles("admin")),
    Case("programs:members_csv", lambda w: [w.program.slug], ok=roles("admin")),
    Case("programs:audit", lambda w: [w.program.slug], ok=roles("admin")),
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
]
