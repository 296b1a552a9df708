"""Sign-in backends: Django's and allauth's, each reading the signed-in person with their unread
notices counted, in the one query that loads them for every request. The header shows that count
on every page; a query of its own was one more round trip per page (issue 21)."""

from allauth.account import auth_backends as allauth_backends
from django.contrib.auth import backends, get_user_model
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce

from mentoring.models import Notification


def unread_count():
    """The person's unread notices, as a subquery of their row."""
    unread = Notification.objects.filter(recipient=OuterRef("pk"), read_at=None).order_by()
    return Coalesce(Subquery(unread.values("recipient").annotate(n=Count("id")).values("n")[:1]), 0)


class _WithUnreadCount:
    def get_user(self, user_id):
        User = get_user_model()
        try:
            user = User._default_manager.annotate(unread_notification_count=unread_count()).get(
                pk=user_id
            )
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None


class ModelBackend(_WithUnreadCount, backends.ModelBackend):
    pass


class AuthenticationBackend(_WithUnreadCount, allauth_backends.AuthenticationBackend):
    pass
