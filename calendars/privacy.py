"""The calendars app's part of a person's data export: their working hours and the calendars they
connected (the kind, the server, when it was last read; never a password or a secret address),
and how many busy intervals are stored (the intervals themselves: start and end only)."""

from calendars.models import BusyInterval, Connection, WorkingHours
from mentoring import registry
from mentoring.privacy import as_data


@registry.personal_data("calendars")
def calendars_data(user) -> registry.PersonalData:
    hours = WorkingHours.objects.filter(user=user).first()
    connections = []
    for connection in Connection.objects.filter(user=user).order_by("kind"):
        row = as_data(
            connection,
            ["kind", "username", "calendar_name", "created_at", "last_success_at", "last_error"],
        )
        row["server"] = connection.shown_address
        row["busy_intervals"] = [
            {"starts_at": s.isoformat(), "ends_at": e.isoformat()}
            for s, e in BusyInterval.objects.filter(connection=connection)
            .order_by("starts_at")
            .values_list("starts_at", "ends_at")
        ]
        connections.append(row)
    return registry.PersonalData(
        data={
            "working_hours": as_data(hours, ["starts", "ends", "days"]) if hours else None,
            "connections": connections,
        }
    )
