"""The conversations app's link in the navigation bar, with the count of unread messages: the
count comes in the one query that loads the signed-in person (registry.viewer_count)."""

from conversations import selectors
from conversations.models import Conversation, Message
from mentoring import registry
from programs.models import Dyad

registry.viewer_count(
    selectors.UNREAD_COUNT,
    f"SELECT COUNT(*) FROM {Dyad._meta.db_table} d"
    f" JOIN {Conversation._meta.db_table} c ON c.dyad_id = d.id"
    f" JOIN {Message._meta.db_table} m ON m.conversation_id = c.id"
    " AND m.id > CASE WHEN d.mentor_id = u.id THEN c.mentor_read_id ELSE c.mentee_read_id END"
    " WHERE (d.mentor_id = u.id OR d.mentee_id = u.id) AND m.author_id <> u.id",
)

registry.person_link(
    "Messages",
    "conversations:index",
    sections=["conversations:*"],
    order=15,
    badge=selectors.unread_total,
)
