from tests.access import EVERYONE, Case

CASES = [
    Case("home", ok=EVERYONE),
    Case("profile", ok=EVERYONE),
    Case("healthz", ok=EVERYONE, public=True),
    # The language switcher: anyone, signed in or not (it saves only the person's own choice).
    Case(
        "set_language",
        ok=EVERYONE,
        method="post",
        data=lambda w: {"language": "es", "next": "/"},
        public=True,
    ),
]

# Notifications (reminders issue): a person's own inbox; the program admin's operators' view.
from tests.access import roles  # noqa: E402
from tests.reminders.conftest import failed_notice_for, notice_for  # noqa: E402

CASES += [
    Case("notifications:list", ok=EVERYONE),
    Case("notifications:preferences", ok=EVERYONE),
    Case("notifications:read_all", ok=EVERYONE, method="post"),
    Case(
        "notifications:read",
        lambda w: [notice_for(w.mentee, program=w.program).pk],
        ok=roles("mentee"),
        method="post",
    ),
    Case("programs:notices", lambda w: [w.program.slug], ok=roles("admin")),
    Case(
        "programs:notice_send_again",
        lambda w: [failed_notice_for(w.mentee, program=w.program).pk],
        ok=roles("admin"),
        method="post",
    ),
]
