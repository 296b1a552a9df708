from tests.access import Case, roles

CASES = [
    Case("programs:detail", lambda w: [w.program.slug], ok=roles("admin")),
    Case("programs:dyad", lambda w: [w.dyad.pk], ok=roles("admin", "mentor", "mentee")),
]
