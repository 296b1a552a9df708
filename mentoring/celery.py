import functools
import logging
import os

from celery import Celery
from celery.contrib.django.task import DjangoTask
from celery.signals import task_postrun, task_prerun
from django.db import close_old_connections, transaction

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mentoring.settings")


class Task(DjangoTask):
    """`delay_on_commit` that never turns a saved change into an error page: with the broker down,
    the commit has happened, the enqueue is logged as lost, and the periodic sweeps catch up."""

    def delay_on_commit(self, *args, **kwargs) -> None:
        transaction.on_commit(functools.partial(self._delay_or_log, args, kwargs))

    def _delay_or_log(self, args, kwargs) -> None:
        try:
            self.apply_async(args, kwargs)
        except Exception as error:  # down, hung or refusing: the periodic sweeps catch up
            logging.getLogger(__name__).warning(
                "broker unavailable, %s not sent: %s", self.name, error
            )


app = Celery("mentoring", task_cls=Task)


@task_prerun.connect
@task_postrun.connect
def _close_old_connections(**kwargs) -> None:
    """Workers keep their database connection between tasks (CELERY_DB_REUSE_MAX): a new
    PostgreSQL connection per notice cost more than the notice. As Django does around a request,
    each task drops a connection that is broken (a database restart) or older than CONN_MAX_AGE."""
    if not getattr(kwargs.get("task"), "request", None) or kwargs["task"].request.is_eager:
        return
    close_old_connections()


app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.on_after_finalize.connect
def schedule_what_the_apps_declared(sender: Celery, **kwargs) -> None:
    """Beat's schedule is the registry's: every kind's sweep and every job at its declared interval,
    so a new reminder kind is scheduled by the app that declares it (mentoring/registry.py)."""
    import django

    django.setup()
    from mentoring.registry import beat_schedule

    sender.conf.beat_schedule = {
        **beat_schedule("mentoring.tasks.sweep"),
        **sender.conf.beat_schedule,
    }
