"""The program admins' view of the notices their program sent: failures first, "send again"."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from programs import services
from programs.access import notice_for_admin, program_for_admin

PAGE_SIZE = 50


def program_notices(request, slug):
    program = program_for_admin(request.user, slug=slug)
    recent = list(program.notifications.select_related("recipient")[:PAGE_SIZE])
    failures = list(
        program.notifications.exclude(failed_at=None)
        .select_related("recipient")
        .order_by("-failed_at")[:PAGE_SIZE]
    )
    return render(
        request,
        "notifications/notification_program.html",
        {"program": program, "recent": recent, "failures": failures},
    )


@require_POST
def send_again(request, pk):
    notification = notice_for_admin(request.user, pk=pk)
    services.send_notice_again(notification=notification, by=request.user)
    messages.success(request, _("The notice is on its way again."))
    return redirect("programs:notices", notification.program.slug)
