"""The project's Celery app with one more beat entry, due every second, so that a test sees within
seconds which beat sends: `celery -A tests.deploy.beat_app beat` is `celery -A mentoring beat` (the
same app, settings, scheduler and registry schedule) plus that entry. No worker consumes it."""

from mentoring.celery import app

app.conf.beat_schedule = {"every-second": {"task": "tests.deploy.tick", "schedule": 1.0}}
