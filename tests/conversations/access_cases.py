"""Every conversations URL × every person of the world: the dyad's two people only. The program's
admin, the other dyad and the other program get 404 on the conversation, its polling, each message
and each attachment: what a conversation holds is not the program's to read. The one exception is a
message one of the two shared: its admin view opens to the program's admins, and no one else."""

from tests.access import EVERYONE, Case, roles
from tests.conversations.builders import share, write, write_with_pdf

PAIR = roles("mentor", "mentee")
AUTHOR = roles("mentee")  # the messages below are the mentee's


def _once(world, key, build):
    cache = world.__dict__.setdefault("_conversations_cache", {})
    if key not in cache:
        cache[key] = build()
    return cache[key]


def message(w):
    return _once(w, "message", lambda: write(w.dyad, w.mentee, "Quick question"))


def shared(w):
    return _once(w, "shared", lambda: share(message(w), w.mentee, "Is this all right?"))


def attached(w):
    return _once(w, "attached", lambda: write_with_pdf(w.dyad, w.mentee))


CASES = [
    Case("conversations:index", ok=EVERYONE),
    Case("conversations:detail", lambda w: [w.dyad.pk], ok=PAIR),
    Case(
        "conversations:detail",
        lambda w: [w.dyad.pk],
        ok=PAIR,
        method="post",
        data=lambda w: {"body": "Can we meet on Monday?"},
    ),
    Case("conversations:poll", lambda w: [message(w).conversation.dyad_id], ok=PAIR),
    Case("conversations:edit", lambda w: [message(w).pk], ok=AUTHOR),
    Case(
        "conversations:edit",
        lambda w: [message(w).pk],
        ok=AUTHOR,
        method="post",
        data=lambda w: {"body": "Quick question, corrected"},
    ),
    Case("conversations:delete", lambda w: [message(w).pk], ok=AUTHOR, method="post"),
    Case("conversations:attachment", lambda w: [attached(w).pk], ok=PAIR),
    # Either of the two may ask the program's admins about one message; nobody else reaches it.
    Case("conversations:share", lambda w: [message(w).pk], ok=PAIR),
    Case(
        "conversations:share",
        lambda w: [message(w).pk],
        ok=PAIR,
        method="post",
        data=lambda w: {"note": "Please have a look"},
    ),
    # The one shared message: the program's own admin only (not the partner, not another admin).
    Case("conversations:shared", lambda w: [shared(w).pk], ok=roles("admin")),
]
