"""My calendars (the owner's page) and the slot picker of the meeting proposal page."""

from itertools import groupby

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from calendars import services, tasks
from calendars import slots as slot_picker
from calendars.forms import CalDAVForm, PublishedCalendarForm, WorkingHoursForm
from calendars.models import Connection, WorkingHours
from meetings.rules import takes_part
from mentoring.access import get_visible_or_404, require
from mentoring.moments import moment_range_text
from programs.models import Dyad


def _page(request, *, hours_form=None, published_form=None, caldav_form=None):
    user = request.user
    connections = {c.kind: c for c in Connection.objects.visible_to(user)}
    hours = WorkingHours.objects.visible_to(user).first()
    if hours_form is None:
        initial = (
            {"starts": hours.starts, "ends": hours.ends, "days": list(hours.days)}
            if hours
            else None
        )
        hours_form = WorkingHoursForm(initial=initial)
    context = {
        "published": connections.get(Connection.Kind.PUBLISHED),
        "caldav": connections.get(Connection.Kind.CALDAV),
        "hours_form": hours_form,
        "published_form": published_form or PublishedCalendarForm(),
        "caldav_form": caldav_form or CalDAVForm(),
        "zone": timezone.get_current_timezone_name(),
    }
    return render(request, "calendars/my_calendars.html", context)


def my_calendars(request):
    return _page(request)


@require_POST
def save_hours(request):
    form = WorkingHoursForm(request.POST)
    if form.is_valid():
        try:
            services.save_working_hours(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your working hours are saved."))
            return redirect("calendars:mine")
    return _page(request, hours_form=form)


@require_POST
def connect_published(request):
    form = PublishedCalendarForm(request.POST)
    if form.is_valid():
        try:
            services.connect_published(user=request.user, address=form.cleaned_data["address"])
        except ValidationError as error:
            form.add_error("address", error)
        else:
            messages.success(
                request,
                _(
                    "Your published calendar is connected. Its busy times are read every 15 minutes."
                ),
            )
            return redirect("calendars:mine")
    return _page(request, published_form=form)


@require_POST
def connect_caldav(request):
    form = CalDAVForm(request.POST)
    if form.is_valid():
        try:
            services.connect_caldav(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Your CalDAV calendar is connected. Meetings you schedule are written into it."),
            )
            return redirect("calendars:mine")
    return _page(request, caldav_form=form)


@require_POST
def refresh(request, pk):
    connection = get_visible_or_404(Connection, request.user, pk=pk)
    # Read by a worker, as every 15 minutes: a slow calendar server holds no web thread for its
    # time-out. The page says when it was last read, or why it could not be.
    tasks.later(tasks.refresh_calendar, connection.pk)
    messages.info(
        request, _("Your calendar is being read now: reload this page in a moment to see it.")
    )
    return redirect("calendars:mine")


@require_POST
def choose_calendar(request, pk):
    connection = get_visible_or_404(Connection, request.user, pk=pk)
    try:
        services.choose_calendar(
            connection=connection, by=request.user, calendar_url=request.POST.get("calendar", "")
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Meetings are now written into “%(name)s”.") % {"name": connection.calendar_name},
        )
    return redirect("calendars:mine")


@require_POST
def disconnect(request, pk):
    connection = get_visible_or_404(Connection, request.user, pk=pk)
    services.disconnect(connection=connection, by=request.user)
    messages.success(
        request, _("The calendar is disconnected; its busy times and password are deleted.")
    )
    return redirect("calendars:mine")


SHOWN_DAYS = 3  # the rest behind "more days": a phone reaches the form below without scrolling far


def slots(request, pk):
    """The common free times of the two people of the dyad (an htmx fragment of the proposal
    page). Only its mentor and mentee: a program admin sees nothing of anyone's calendar."""
    dyad = get_visible_or_404(Dyad.objects.select_related("mentor", "mentee"), request.user, pk=pk)
    require(takes_part(request.user, dyad))
    try:
        minutes = int(request.GET.get("minutes", slot_picker.DEFAULT_LENGTH))
    except ValueError:
        minutes = slot_picker.DEFAULT_LENGTH
    if minutes not in slot_picker.LENGTHS:
        minutes = slot_picker.DEFAULT_LENGTH
    now = timezone.now()
    partner = dyad.partner_of(request.user)
    me, them = slot_picker.sides_of([request.user, partner], now=now)
    found = slot_picker.free_slots([me, them], now=now, minutes=minutes)
    zone = timezone.get_current_timezone()
    days = [
        {
            "day": day,
            "slots": [
                {
                    "date": start.astimezone(zone).strftime("%Y-%m-%d"),
                    "start": start.astimezone(zone).strftime("%H:%M"),
                    "end": end.astimezone(zone).strftime("%H:%M"),
                    "text": moment_range_text(start, end),
                }
                for start, end in group
            ],
        }
        for day, group in groupby(found, key=lambda slot: slot[0].astimezone(zone).date())
    ]
    return render(
        request,
        "calendars/_slot_picker.html",
        {
            "dyad": dyad,
            "me": me,
            "them": them,
            "partner": partner,
            "days": days[:SHOWN_DAYS],
            "more_days": days[SHOWN_DAYS:],
            "minutes": minutes,
            "lengths": slot_picker.LENGTHS,
            "url": reverse("calendars:slots", args=[dyad.pk]),
        },
    )
