"""The program admins' view of the notices their program sent: failures first, "send again"."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mentoring.paging import query_without
from programs.access import notice_for_admin, program_for_admin
from programs.services.program import send_notice_again

PAGE_SIZE = 50


def program_notices(request, slug):
    """Failures first and every notice below, newest first, each list in pages of PAGE_SIZE."""
    program = program_for_admin(request.user, slug=slug)
    recent = Paginator(program.notifications.select_related("recipient"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    failures = Paginator(
        program.notifications.exclude(failed_at=None)
        .select_related("recipient")
        .order_by("-failed_at", "-pk"),
        PAGE_SIZE,
    ).get_page(request.GET.get("failed"))
    return render(
        request,
        "notifications/notification_program.html",
        {
            "program": program,
            "recent": recent,
            "failures": failures,
            "recent_query": query_without(request, "page"),
            "failures_query": query_without(request, "failed"),
        },
    )


@require_POST
def send_again(request, pk):
    notification = notice_for_admin(request.user, pk=pk)
    send_notice_again(notification=notification, by=request.user)
    messages.success(request, _("The notice is on its way again."))
    return redirect("programs:notices", notification.program.slug)
