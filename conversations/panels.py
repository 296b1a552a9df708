"""The conversations app's link in the navigation bar, with the count of unread messages: the
counts come in the one query that loads the signed-in person (registry.viewer_count), per dyad, so
the badge, the home page's dyad cards and the list of conversations read none of their own."""

from django.db import connection
from django.utils.translation import gettext_lazy

from conversations import selectors
from conversations.models import Conversation, Message
from mentoring import registry
from programs.models import Dyad

# "dyad id:unread,dyad id:unread" for each of the person's dyads with a conversation ('' for none).
_JOIN = "string_agg" if connection.vendor == "postgresql" else "group_concat"
registry.viewer_count(
    selectors.UNREAD_BY_DYAD,
    f"SELECT COALESCE({_JOIN}(CAST(d.id AS TEXT) || ':' || CAST(("
    f"SELECT COUNT(*) FROM {Message._meta.db_table} m WHERE m.conversation_id = c.id"
    " AND m.id > CASE WHEN d.mentor_id = u.id THEN c.mentor_read_id ELSE c.mentee_read_id END"
    f" AND m.author_id <> u.id) AS TEXT), ','), '')"
    f" FROM {Dyad._meta.db_table} d JOIN {Conversation._meta.db_table} c ON c.dyad_id = d.id"
    " WHERE d.mentor_id = u.id OR d.mentee_id = u.id",
)

registry.person_link(
    gettext_lazy("Messages"),
    "conversations:index",
    sections=["conversations:*"],
    order=15,
    badge=selectors.unread_total,
)
