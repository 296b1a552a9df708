from collections import Counter

from django.core.management.base import BaseCommand, CommandError
from django.utils.module_loading import import_string

from mentoring import registry
from mentoring.models import Notification
from mentoring.notices.delivery import TransientSendError, deliver
from mentoring.reminders import sweep

LABELS = {
    "sent": "e-mailed",
    "in_app": "in-app only",
    "digest": "kept for the weekly digest",
    "failed": "FAILED",
    "retry": "failed for now, will retry",
    "skipped": "already taken by a worker",
    "superseded": "not sent: a newer version went out",
}


class Command(BaseCommand):
    help = (
        "Run every reminder sweep once, now, and deliver what is due in this process (no broker, "
        "no worker): for operators and for cron-only deployments. Safe beside a running beat."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--only",
            action="append",
            choices=[kind.name for kind in registry.kinds()],
            help="Run only this sweep (repeatable).",
        )

    def handle(self, *args, only=None, **options):
        outcomes: list[tuple[int, str]] = []

        def deliver_here(ids) -> int:
            for notification_id in ids:
                try:
                    outcomes.append((notification_id, deliver(notification_id=notification_id)))
                except TransientSendError:
                    outcomes.append((notification_id, "retry"))
            return len(ids)

        names = only or [kind.name for kind in registry.kinds()]
        try:
            if not only:  # the scheduled writes first (opening due feedback cycles), as beat does
                for job in registry.JOBS.values():
                    import_string(job.task)()
            results = [sweep(name, send=deliver_here) for name in names]
        except Exception as error:  # a sweep that cannot read its tables says so, not a traceback
            raise CommandError(f"sweep failed: {error}") from error
        notices = Notification.objects.in_bulk([pk for pk, _outcome in outcomes])
        for pk, outcome in outcomes:
            notice = notices[pk]
            self.stdout.write(
                f"{LABELS.get(outcome, outcome):<28} {notice.kind:<24} "
                f"{notice.recipient.email:<32} {notice.title}"
            )
        planned = sum(r.planned for r in results)
        counts = Counter(outcome for _pk, outcome in outcomes)
        summary = ", ".join(f"{n} {LABELS.get(o, o)}" for o, n in sorted(counts.items()))
        self.stdout.write(
            self.style.SUCCESS(
                f"{len(names)} sweeps, {planned} new notices. {summary or 'Nothing was due.'}"
            )
        )
