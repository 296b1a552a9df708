from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class MentoringConfig(AppConfig):
    name = "mentoring"
    verbose_name = "Mentoring"

    def ready(self) -> None:
        # Each app declares its notice kinds, sweeps and jobs in reminders.py and its page panels
        # in panels.py, its part of a person's data export in privacy.py (mentoring/registry.py):
        # importing them registers them.
        autodiscover_modules("reminders", "panels", "privacy")
        # Receivers of allauth's signals: sessions to end, security events to record.
        # Searches ignore accents on SQLite too (mentoring/search.py).
        from django.db.backends.signals import connection_created

        from mentoring import security, sessions  # noqa: F401
        from mentoring.search import register_sqlite_unaccent

        connection_created.connect(register_sqlite_unaccent, dispatch_uid="sqlite_unaccent")
