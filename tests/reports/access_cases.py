from tests.access import Case, roles

_slug = lambda w: [w.program.slug]  # noqa: E731

CASES = [
    # The department view lists the programs the person administers: any admin has one.
    Case("reports:department", ok=roles("admin", "outsider_admin")),
    Case("reports:list", lambda w: [w.program.slug, "needs-mentor"], ok=roles("admin")),
    Case("reports:list_csv", lambda w: [w.program.slug, "upcoming"], ok=roles("admin")),
    Case("reports:trends", _slug, ok=roles("admin")),
    Case("reports:exports", _slug, ok=roles("admin")),
    Case("reports:export_csv", lambda w: [w.program.slug, "meetings"], ok=roles("admin")),
    Case("reports:mentor_load", _slug, ok=roles("admin")),
    Case("reports:annual", _slug, ok=roles("admin")),
]
