from django.contrib import messages
from django.http import HttpRequest
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mentoring import viewer
from mentoring.access import get_visible_or_404
from mentoring.models import Notification
from mentoring.notices.inbox import mark_all_read, mark_read
from mentoring.notices.preferences import preferences_of, set_preferences
from mentoring.notification_forms import PreferencesForm

PAGE_SIZE = 50


def unread_notifications(request: HttpRequest) -> dict:
    """The unread count for the page header: read with the person (no query of its own)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def count() -> int:
        # Counted in the query that loaded the person (mentoring.backends); else counted here.
        counted = getattr(user, "unread_notification_count", None)
        if counted is not None:
            return counted
        if not hasattr(request, "_unread_notifications"):
            request._unread_notifications = Notification.objects.filter(
                recipient=user, read_at=None
            ).count()
        return request._unread_notifications

    return {"unread_notifications": count}


def notification_list(request):
    notices = list(Notification.objects.filter(recipient=request.user)[:PAGE_SIZE])
    return render(request, "notifications/notification_list.html", {"notices": notices})


@require_POST
def read(request, pk):
    notification = get_visible_or_404(Notification, request.user, pk=pk)
    mark_read(notification=notification, by=request.user)
    if request.POST.get("open") and url_has_allowed_host_and_scheme(
        notification.url, allowed_hosts={request.get_host()}
    ):
        return redirect(notification.url)
    return redirect("notifications:list")


@require_POST
def read_all(request):
    mark_all_read(by=request.user)
    messages.success(request, _("Every notice is marked read."))
    return redirect("notifications:list")


def preferences(request):
    form = PreferencesForm(
        request.POST or None,
        initial_choices=preferences_of(request.user),
        roles=viewer.roles(request.user),
    )
    if form.is_valid():
        set_preferences(user=request.user, choices=form.cleaned_data)
        messages.success(request, _("Your e-mail choices are saved. In-app notices stay on."))
        return redirect("notifications:preferences")
    return render(request, "notifications/notification_preferences.html", {"form": form})
