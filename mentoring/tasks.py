"""The core's Celery tasks, where Celery's autodiscovery looks for them (each installed app's `tasks`
module). They live with the machinery they run, in mentoring/notices/tasks.py, under the names
they have always had here; the data export in mentoring/exports.py."""

from mentoring.exports import build_data_export
from mentoring.notices.tasks import (
    deliver_notification,
    deliver_notifications,
    sweep,
    sweep_when_beat_starts,
)

__all__ = [
    "build_data_export",
    "deliver_notification",
    "deliver_notifications",
    "sweep",
    "sweep_when_beat_starts",
]
