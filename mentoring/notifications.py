"""Notices to people: planned once per occasion, delivered once, listed in-app, mailed by preference.

A sweep (mentoring/reminders.py) finds what is due and calls `plan_notifications`; the unique
`dedupe_key` makes planning the same notice again a no-op, so two sweeps, or two beats by mistake,
insert nothing twice. `deliver` claims one notice with a lease, so two workers holding the same id
send it once. What neither closes is named at the one place it lives: see `deliver`.
"""

import logging
import smtplib
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models import F, OuterRef, Q, Subquery
from django.utils import timezone

from mentoring import registry
from mentoring.access import require
from mentoring.models import Notification, NotificationPreference, User

log = logging.getLogger(__name__)


def lease() -> timedelta:
    """A claim older than this belongs to a worker that died (or hung) mid-send: the next sweep
    hands the notice out again. It must exceed the longest send (the task's hard time limit), or a
    slow send would be handed out twice while still running."""
    return timedelta(seconds=settings.NOTIFICATION_LEASE_SECONDS)


MAX_ATTEMPTS = settings.NOTIFICATION_MAX_ATTEMPTS
RETRY_BASE_SECONDS = settings.NOTIFICATION_RETRY_BASE_SECONDS
RETRY_MAX_SECONDS = 30 * 60  # below the broker's visibility timeout, which holds retry messages


@dataclass(frozen=True)
class Occasion:
    """One notice a sweep found due: who gets it, about what, on which occasion, saying what."""

    recipient: User
    title: str
    target: models.Model | None = None
    # What makes this notice unique beside kind, recipient and target: e.g. the meeting's start
    # (a rescheduled meeting earns a new reminder) or the ISO week of a digest.
    occasion: str = ""
    body: str = ""
    url: str = ""
    program_id: int | None = None
    # Never a single e-mail: it waits for the recipient's weekly digest (a mentor hearing of a
    # mentee's overdue milestone, say). Their "no e-mail" choice still wins.
    digest_only: bool = False
    # What the kind's e-mail renderer needs beyond the target (its `render` in the registry).
    details: dict = field(default_factory=dict)

    def dedupe_key(self, kind: str) -> str:
        target = ""
        if self.target is not None:
            meta = self.target._meta
            target = f"{meta.app_label}.{meta.model_name}:{self.target.pk}"
        return f"{kind}:{self.recipient.pk}:{target}:{self.occasion}"[:200]


def plan_notifications(*, kind: str, due: Iterable[Occasion]) -> int:
    """One row per (kind, recipient, object, occasion): re-planning inserts nothing. Returns new rows."""
    return len(plan(kind=kind, due=due))


def plan(*, kind: str, due: Iterable[Occasion]) -> list[int]:
    """Insert the notices not planned yet; the ids of the rows *this call* inserted.

    bulk_create with ignore_conflicts cannot say which rows it inserted; every row of one call
    carries the same `created_at`, to the microsecond, so reading back the keys with that stamp
    finds exactly this call's rows, even while another sweep plans the same notices."""
    registry.kind(kind)  # a kind nobody registered is a programming error, not a row
    stamp = timezone.now()
    rows = []
    for occasion in due:
        target_type = None
        if occasion.target is not None:
            target_type = ContentType.objects.get_for_model(occasion.target)  # cached per process
        rows.append(
            Notification(
                kind=kind,
                recipient=occasion.recipient,
                program_id=occasion.program_id,
                target_type=target_type,
                target_id=occasion.target.pk if occasion.target is not None else None,
                title=occasion.title[:200],
                body=occasion.body,
                url=occasion.url[:500],
                dedupe_key=occasion.dedupe_key(kind),
                channel=Notification.Channel.DIGEST if occasion.digest_only else "",
                details=occasion.details,
                created_at=stamp,
            )
        )
    if not rows:
        return []
    keys = [row.dedupe_key for row in rows]
    Notification.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)
    return list(
        Notification.objects.filter(dedupe_key__in=keys, created_at=stamp).values_list(
            "id", flat=True
        )
    )


def notify(*, kind: str, due: Iterable[Occasion]) -> int:
    """Notices caused by what someone just did (a meeting moved, an admin's reminder): planned in
    the caller's transaction, so they exist exactly when the change does, and handed to the broker
    after the commit. With the broker down the rows wait, and the sweep of their kind (every kind
    is swept, mentoring/registry.py) sends them once it is back. Returns the new rows."""
    occasions = list(due)
    planned = plan_notifications(kind=kind, due=occasions)
    keys = [occasion.dedupe_key(kind) for occasion in occasions]
    if keys:
        transaction.on_commit(lambda: enqueue(_deliverable_by_keys(keys)))
    return planned


def _deliverable_by_keys(keys: list[str]) -> list[int]:
    queryset = Notification.objects.claimable(now=timezone.now(), lease=lease())
    return list(queryset.filter(dedupe_key__in=keys).order_by("id").values_list("id", flat=True))


def deliverable_ids(*, kind: str | None = None, now: datetime | None = None) -> list[int]:
    """Notices waiting for a worker that no queue holds: pending, unclaimed (or the claim expired),
    no retry scheduled, and never handed to the broker, or handed over longer than a lease ago (the
    broker lost it, or its worker died). A backlog already queued is not queued again."""
    now = now or timezone.now()
    queryset = Notification.objects.claimable(now=now, lease=lease()).filter(
        Q(enqueued_at=None) | Q(enqueued_at__lt=now - lease())
    )
    if kind is not None:
        queryset = queryset.filter(kind=kind)
    return list(queryset.order_by("created_at", "id").values_list("id", flat=True))


def enqueue(ids: Iterable[int]) -> int:
    """Hand each id to the broker and note when. With the broker down or hung (its waits are
    bounded in the settings), stop quietly: the rows wait in the database and the next sweep
    enqueues them, so nothing that became due is lost, and no request that saved fails."""
    from mentoring.tasks import deliver_notification

    handed = []
    for notification_id in ids:
        try:
            deliver_notification.delay(notification_id)
        except Exception as error:  # broker down, hung or refusing: the sweep catches up
            log.warning("broker unavailable, notices wait for the next sweep: %s", error)
            break
        handed.append(notification_id)
    if handed:
        Notification.objects.filter(pk__in=handed).update(enqueued_at=timezone.now())
    return len(handed)


# --- delivery --------------------------------------------------------------------------------


class TransientSendError(Exception):
    """The mail server may accept this later: the task retries after `countdown` seconds."""

    def __init__(self, countdown: int, error: BaseException):
        super().__init__(str(error))
        self.countdown = countdown


def is_transient(error: BaseException) -> bool:
    """Connection trouble and 4xx replies may pass; 5xx replies and refused addresses will not."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(400 <= code < 500 for code, _msg in error.recipients.values())
    if isinstance(error, smtplib.SMTPResponseException):
        return 400 <= error.smtp_code < 500
    return isinstance(
        error,
        smtplib.SMTPServerDisconnected | smtplib.SMTPConnectError | ConnectionError | TimeoutError,
    ) or (isinstance(error, OSError) and not isinstance(error, smtplib.SMTPException))


def backoff_seconds(attempts: int) -> int:
    """60 s, 2 min, 4 min, ... after the 1st, 2nd, 3rd failed attempt, capped at 30 minutes."""
    return min(RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0), RETRY_MAX_SECONDS)


def channel_for(notification: Notification, choice: str | None) -> str:
    """E-mail, digest or in-app only, by the recipient's choice for this kind (None: the default).

    The rule: a notice that *is* the message (a calendar invitation or cancellation, a reminder a
    program admin chose to send) is always e-mailed; the preference governs only notices *about*
    something, which the sweeps find. A digest or in-app choice must not swallow an invitation.
    """
    spec = registry.KINDS.get(notification.kind)
    if spec is not None and spec.always_emailed:
        return Notification.Channel.EMAIL
    if choice == NotificationPreference.Email.OFF:
        return Notification.Channel.IN_APP
    if choice == NotificationPreference.Email.DIGEST and not (spec and spec.is_digest):
        return Notification.Channel.DIGEST
    if notification.channel:
        return notification.channel  # planned for the digest only
    return Notification.Channel.EMAIL


def pause_point(name: str, notification_id: int) -> None:
    """Test-only: with NOTIFICATION_TEST_PAUSE=<name>:<folder>, delivering a notice whose
    <folder>/hold-<id> exists announces itself as <folder>/<name>-<id> and waits while that file
    exists, so that an integration test kills the worker at a known point of a known notice."""
    setting = settings.NOTIFICATION_TEST_PAUSE
    if not setting or not setting.startswith(f"{name}:"):
        return
    folder = Path(setting.partition(":")[2])
    hold = folder / f"hold-{notification_id}"
    if not hold.exists():
        return
    (folder / f"{name}-{notification_id}").touch()
    while hold.exists():
        time.sleep(0.02)


def deliver(*, notification_id: int, retrying: bool = False) -> str:
    """Send one notice by its recipient's preferred channel, once. Returns what happened."""
    from mentoring.emails import send_notification_email

    now = timezone.now()
    # The claim: one conditional UPDATE, so of two workers holding the same id exactly one wins.
    claim = Notification.objects.filter(pk=notification_id, sent_at=None, failed_at=None).filter(
        Q(claimed_at=None) | Q(claimed_at__lt=now - lease())
    )
    if not retrying:  # a Celery retry is the scheduled attempt itself; anything else waits for it
        claim = claim.filter(Q(retry_at=None) | Q(retry_at__lte=now))
    if not claim.update(claimed_at=now, retry_at=None, attempts=F("attempts") + 1):
        return "skipped"
    notification = (
        Notification.objects.select_related("recipient")
        .annotate(
            choice=Subquery(
                NotificationPreference.objects.filter(
                    user=OuterRef("recipient"), kind=OuterRef("kind")
                ).values("email")[:1]
            )
        )
        .get(pk=notification_id)
    )
    channel = channel_for(notification, notification.choice)
    if channel != Notification.Channel.EMAIL:
        Notification.objects.filter(pk=notification_id).update(sent_at=now, channel=channel)
        return channel
    pause_point("before_send", notification_id)
    try:
        mailed = send_notification_email(notification)
    except Exception as error:
        return _record_failure(notification, error)
    if not mailed:
        # Its renderer says nothing is left to say (a newer version of the meeting went out, the
        # feedback was given meanwhile): done, without a message, and nothing to read in the list.
        Notification.objects.filter(pk=notification_id).update(
            sent_at=now, read_at=now, channel=Notification.Channel.IN_APP, last_error=""
        )
        return "superseded"
    # THE WINDOW NO DESIGN CLOSES: the mail server has accepted the message, and if this process
    # dies before the UPDATE below commits, sent_at stays empty. The claim then expires after lease()
    # and the next sweep sends the notice again: at most one duplicate, never a loss.
    # (tests/reminders/test_worker_killed.py kills a real worker exactly here.)
    pause_point("after_send", notification_id)
    Notification.objects.filter(pk=notification_id).update(
        sent_at=timezone.now(), channel=channel, last_error=""
    )
    return "sent"


def _record_failure(notification: Notification, error: Exception) -> str:
    attempts = notification.attempts
    message = f"{type(error).__name__}: {error}"[:2000]
    mine = Notification.objects.filter(pk=notification.pk, sent_at=None)
    if is_transient(error) and attempts < MAX_ATTEMPTS:
        countdown = backoff_seconds(attempts)
        mine.update(
            claimed_at=None,
            retry_at=timezone.now() + timedelta(seconds=countdown),
            last_error=message,
        )
        raise TransientSendError(countdown, error) from error
    # Permanent (or out of attempts): recorded, shown to the program's admins, who may send again.
    mine.update(claimed_at=None, retry_at=None, failed_at=timezone.now(), last_error=message)
    log.warning("notification %s failed permanently: %s", notification.pk, message)
    return "failed"


# --- sweeps ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SweepResult:
    name: str
    kind: str
    planned: int
    enqueued: int


def run_sweep(
    *,
    name: str,
    kind: str,
    find: Callable[[datetime], Iterable[Occasion]],
    now: datetime | None = None,
    send: Callable[[Iterable[int]], int] = enqueue,
) -> SweepResult:
    """Plan what `find` says is due, then hand every deliverable notice of the kind to `send`.

    Planning commits before anything is enqueued, so a worker never looks for a row that is not
    there yet. `planned` counts the rows this run inserted, exact even beside a concurrent sweep. Deliverable includes notices planned earlier whose send never finished (a broker that
    was down, a worker that died): the sweep is what makes those eventually go out.
    """
    now = now or timezone.now()
    with transaction.atomic():
        planned = plan(kind=kind, due=find(now))
    # What this run planned, plus what no queue holds any more: never the whole pending backlog.
    enqueued = send(deliverable_ids(kind=kind, now=now))
    return SweepResult(name=name, kind=kind, planned=len(planned), enqueued=enqueued)


# --- what a person does with their notices ---------------------------------------------------


def mark_read(*, notification: Notification, by: User) -> Notification:
    """The recipient marks one notice read (marking it again changes nothing)."""
    require(notification.recipient_id == by.pk)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def mark_all_read(*, by: User) -> int:
    """The person marks every notice of theirs read."""
    return Notification.objects.filter(recipient=by, read_at=None).update(read_at=timezone.now())


@transaction.atomic
def resend(*, notification: Notification) -> Notification:
    """Hand a failed notice out again (the caller decided who may: see programs.services)."""
    if notification.failed_at is None:
        return notification  # sent or still on its way: a double click sends nothing twice
    Notification.objects.filter(pk=notification.pk).update(
        failed_at=None, claimed_at=None, retry_at=None, attempts=0
    )
    notification.refresh_from_db()
    from mentoring.tasks import deliver_notification

    transaction.on_commit(lambda: _enqueue_quietly(deliver_notification, notification.pk))
    return notification


def _enqueue_quietly(task, notification_id: int) -> None:
    try:
        task.delay(notification_id)
    except Exception:  # broker down or hung: the next sweep hands it out
        log.warning("broker unavailable: notice %s goes out with the next sweep", notification_id)


@transaction.atomic
def set_preferences(*, user: User, choices: dict[str, str]) -> None:
    """Save how the person wants each kind by e-mail; the default (each one) keeps no row."""
    for kind, email in choices.items():
        if email == NotificationPreference.Email.EACH:
            NotificationPreference.objects.filter(user=user, kind=kind).delete()
        else:
            NotificationPreference.objects.update_or_create(
                user=user, kind=kind, defaults={"email": email}
            )


def preferences_of(user: User) -> dict[str, str]:
    """Every kind with the person's choice (default: each one by e-mail)."""
    chosen = dict(NotificationPreference.objects.filter(user=user).values_list("kind", "email"))
    return {
        kind.name: chosen.get(kind.name, NotificationPreference.Email.EACH)
        for kind in registry.kinds()
        if not kind.always_emailed
    }
