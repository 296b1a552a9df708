"""The settings of the real worker the reliability tests start (tests/reminders/worker.py): the
project's own, with its .eml mail backend made to pause where a test kills the worker. The pause is
a test's, so it lives here and not in the code that delivers."""

from mentoring.settings import *  # noqa: F403

EMAIL_BACKEND = "tests.reminders.backends.PausingEmlBackend"
