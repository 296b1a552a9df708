"""Sign-in backends: Django's and allauth's, each reading the signed-in person with their unread
notices counted, in the one query that loads them for every request (issue 21).

That query runs before every page, so it is written once as SQL (`Manager.raw`, which maps the row
to a User with Django's own field conversions): building and compiling it through the ORM cost
more than running it, and a separate count for the header was one more round trip per page.
"""

import functools

from allauth.account import auth_backends as allauth_backends
from django.contrib.auth import backends, get_user_model

from mentoring import rawsql, registry
from mentoring.models import Notification


def _person_sql() -> str:
    # The apps' counts about the person (registry.viewer_count), in a fixed order.
    return _person_sql_with(tuple(sorted(registry.VIEWER_COUNTS.items())))


@functools.cache  # the same text for every request: built once per process (and set of counts)
def _person_sql_with(viewer_counts: tuple[tuple[str, str], ...]) -> str:
    user, notice = get_user_model()._meta.db_table, Notification._meta.db_table
    counts = "".join(f", ({sql}) AS {name}" for name, sql in viewer_counts)
    return (
        f"SELECT u.*, (SELECT COUNT(*) FROM {notice} n"
        f" WHERE n.recipient_id = u.id AND n.read_at IS NULL) AS unread_notification_count"
        f"{counts} FROM {user} u WHERE u.id = %s"
    )


class _WithUnreadCount:
    def get_user(self, user_id):
        found = rawsql.rows(get_user_model(), _person_sql(), [user_id])
        if not found:
            return None
        user = found[0]
        return user if self.user_can_authenticate(user) else None


class ModelBackend(_WithUnreadCount, backends.ModelBackend):
    pass


class AuthenticationBackend(_WithUnreadCount, allauth_backends.AuthenticationBackend):
    pass
