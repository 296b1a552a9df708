"""The core's Celery tasks keep the names beat's schedule and already queued messages refer to,
wherever their code lives (mentoring/notices/tasks.py, registered through mentoring/tasks.py)."""

from mentoring.celery import app
from mentoring.registry import beat_schedule

NAMES = {
    "mentoring.tasks.sweep",
    "mentoring.tasks.deliver_notifications",
    "mentoring.tasks.deliver_notification",
}


def test_autodiscovery_registers_the_core_tasks_under_their_old_names():
    app.loader.import_default_modules()  # what a worker does as it starts
    assert set(app.tasks) >= NAMES


def test_beat_sweeps_every_kind_with_the_sweep_task_by_name():
    schedule = beat_schedule("mentoring.tasks.sweep")
    sweeps = [entry for entry in schedule.values() if "args" in entry]
    assert sweeps and {entry["task"] for entry in sweeps} == {"mentoring.tasks.sweep"}
    assert app.tasks["mentoring.tasks.sweep"].name == "mentoring.tasks.sweep"
