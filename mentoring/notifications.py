"""Notices to people: planned once per occasion, delivered once, listed in-app, mailed by preference.

A sweep (mentoring/reminders.py) finds what is due and calls `plan`; the unique `dedupe_key` makes
planning the same notice again a no-op (one `INSERT … ON CONFLICT DO NOTHING RETURNING id`), so two
sweeps, or two beats by mistake, insert nothing twice. `enqueue` hands the ids to the broker in
chunks; `deliver_chunk` claims a chunk with one conditional UPDATE, so two workers holding the same
id send it once, mails it over one connection and records what was sent a few messages at a time.
What neither closes is named at the one place it lives: see `deliver_chunk`.
"""

import json
import logging
import smtplib
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import NamedTuple

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import get_connection
from django.db import connection, models, transaction
from django.db.models import Case, F, OuterRef, Q, Subquery, Value, When
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
# Notices per delivery task: one broker message, one claim, one load and one mail connection for
# this many, and few enough that a chunk ends well inside the task's time limit on a slow server.
CHUNK_SIZE = 200
# Messages recorded as sent per UPDATE: the most a worker killed mid-chunk can have sent and not
# recorded, so the most notices a kill sends twice (see `deliver_chunk`).
MARK_EVERY = 20


def chunk_size() -> int:
    return getattr(settings, "NOTIFICATION_CHUNK_SIZE", CHUNK_SIZE)


def mark_every() -> int:
    return getattr(settings, "NOTIFICATION_MARK_EVERY", MARK_EVERY)


def chunks(items: list, size: int) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


class Ref(NamedTuple):
    """An object a notice is about, by model and id, for sweeps that read rows with values()."""

    model: type[models.Model]
    pk: int


@dataclass(frozen=True)
class Occasion:
    """One notice a sweep found due: who gets it, about what, on which occasion, saying what.

    `recipient` is a User or anything with its `pk` (a sweep's `mentoring.reminders.Person`);
    `target` a model instance or a `Ref`."""

    recipient: User
    title: str
    target: models.Model | Ref | None = None
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

    def target_model(self) -> type[models.Model] | None:
        if self.target is None:
            return None
        return self.target.model if isinstance(self.target, Ref) else type(self.target)

    def dedupe_key(self, kind: str) -> str:
        target = ""
        if self.target is not None:
            meta = self.target_model()._meta
            target = f"{meta.app_label}.{meta.model_name}:{self.target.pk}"
        return f"{kind}:{self.recipient.pk}:{target}:{self.occasion}"[:200]


def plan_notifications(*, kind: str, due: Iterable[Occasion]) -> int:
    """One row per (kind, recipient, object, occasion): re-planning inserts nothing. Returns new rows."""
    return len(plan(kind=kind, due=due))


# Columns `plan` writes, with their PostgreSQL array types; every other column starts empty.
PLANNED = {
    "kind": "varchar",
    "recipient_id": "bigint",
    "program_id": "bigint",
    "target_type_id": "integer",
    "target_id": "bigint",
    "title": "varchar",
    "body": "text",
    "url": "varchar",
    "details": "jsonb",
    "channel": "varchar",
    "dedupe_key": "varchar",
    "created_at": "timestamptz",
    "attempts": "smallint",
    "last_error": "text",
}
# Rows per INSERT: PostgreSQL takes one array per column; SQLite 14 parameters a row, within its
# 32,766.
PLAN_BATCH = {"postgresql": 2_000}


def plan(*, kind: str, due: Iterable[Occasion]) -> list[int]:
    """Insert the notices not planned yet; the ids of the rows *this call* inserted.

    One `INSERT … ON CONFLICT (dedupe_key) DO NOTHING RETURNING id` per 2,000 rows (500 on
    SQLite), on PostgreSQL and SQLite alike: a row another sweep (or an earlier run) planned is skipped by the database,
    and RETURNING names exactly the rows this statement inserted, even beside a concurrent sweep.
    (bulk_create(ignore_conflicts=True) returns no ids on PostgreSQL.) Rows are plain tuples."""
    registry.kind(kind)  # a kind nobody registered is a programming error, not a row
    stamp = timezone.now()
    type_ids: dict[type, int] = {}
    rows, seen = [], set()
    for occasion in due:
        key = occasion.dedupe_key(kind)
        if key in seen:
            continue
        seen.add(key)
        model = occasion.target_model()
        if model is not None and model not in type_ids:
            type_ids[model] = ContentType.objects.get_for_model(model).pk  # cached per process
        rows.append(
            (
                kind,
                occasion.recipient.pk,
                occasion.program_id,
                type_ids[model] if model is not None else None,
                occasion.target.pk if occasion.target is not None else None,
                occasion.title[:200],
                occasion.body,
                occasion.url[:500],
                json.dumps(occasion.details) if occasion.details else "{}",
                Notification.Channel.DIGEST if occasion.digest_only else "",
                key,
                stamp,
                0,
                "",
            )
        )
    inserted: list[int] = []
    for batch in chunks(rows, PLAN_BATCH.get(connection.vendor, 500)):
        inserted += _insert_new(batch)
    return inserted


def _insert_new(rows: list[tuple]) -> list[int]:
    quote = connection.ops.quote_name
    columns = ", ".join(quote(name) for name in PLANNED)
    head = f"INSERT INTO {quote(Notification._meta.db_table)} ({columns}) "
    tail = f" ON CONFLICT ({quote('dedupe_key')}) DO NOTHING RETURNING {quote('id')}"
    if connection.vendor == "postgresql":
        # One array per column: a statement of 14 parameters, which PostgreSQL parses and plans
        # in a fraction of the time of 2,000 rows of VALUES.
        arrays = ", ".join(f"%s::{kind}[]" for kind in PLANNED.values())
        sql = f"{head}SELECT * FROM unnest({arrays}){tail}"
        params = [list(column) for column in zip(*rows, strict=True)]
    else:
        adapt = connection.ops.adapt_datetimefield_value
        one = "(" + ", ".join(["%s"] * len(PLANNED)) + ")"
        sql = f"{head}VALUES {', '.join([one] * len(rows))}{tail}"
        params = [adapt(v) if isinstance(v, datetime) else v for row in rows for v in row]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]


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
    """Hand the ids to the broker, one delivery task per chunk, and note when. With the broker down
    or hung (its waits are bounded in the settings), stop quietly: the rows wait in the database and
    the next sweep enqueues them, so nothing that became due is lost, and no request that saved
    fails. Returns how many notices were handed over."""
    from mentoring.tasks import deliver_notifications

    handed: list[int] = []
    for chunk in chunks(list(ids), chunk_size()):
        try:
            deliver_notifications.delay(chunk)
        except Exception as error:  # broker down, hung or refusing: the sweep catches up
            log.warning("broker unavailable, notices wait for the next sweep: %s", error)
            break
        handed += chunk
    stamp = timezone.now()
    for batch in chunks(handed, 5_000):
        Notification.objects.filter(pk__in=batch).update(enqueued_at=stamp)
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
    return _server_away(error)


def _server_away(error: BaseException) -> bool:
    """The connection itself failed (not one message): the rest of a chunk would fail alike."""
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


def _id_is_one_of(ids: list[int]) -> tuple[str, list]:
    """`id = ANY(%s)` on PostgreSQL (one parameter, one plan), `id IN (…)` elsewhere."""
    if connection.vendor == "postgresql":
        return f"{connection.ops.quote_name('id')} = ANY(%s)", [ids]
    return f"{connection.ops.quote_name('id')} IN ({', '.join(['%s'] * len(ids))})", list(ids)


def claim(ids: Iterable[int], *, now: datetime, retrying: bool = False) -> list[int]:
    """Take the notices of `ids` that nobody holds, in one statement; the ids taken.

    `UPDATE … WHERE id = ANY(…) AND <claimable> RETURNING id`: of two workers holding the same id,
    the second's UPDATE waits for the first's row lock, then finds the row claimed and skips it, so
    exactly one takes it. A notice is claimable while pending (not sent, not failed), unclaimed or
    its claim older than the lease (a dead worker's), and no retry scheduled for later — unless
    this is that scheduled retry (`retrying`), which anything else waits for."""
    ids = sorted(set(ids))
    if not ids:
        return []
    quote, adapt = connection.ops.quote_name, connection.ops.adapt_datetimefield_value
    id_test, id_params = _id_is_one_of(ids)
    params = [adapt(now), *id_params, adapt(now - lease())]
    retry_test = ""
    if not retrying:
        retry_test = f"AND ({quote('retry_at')} IS NULL OR {quote('retry_at')} <= %s)"
        params.append(adapt(now))
    sql = (
        f"UPDATE {quote(Notification._meta.db_table)} "
        f"SET {quote('claimed_at')} = %s, {quote('retry_at')} = NULL, "
        f"{quote('attempts')} = {quote('attempts')} + 1 "
        f"WHERE {id_test} AND {quote('sent_at')} IS NULL AND {quote('failed_at')} IS NULL "
        f"AND ({quote('claimed_at')} IS NULL OR {quote('claimed_at')} < %s) {retry_test} "
        f"RETURNING {quote('id')}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return sorted(row[0] for row in cursor.fetchall())


def _with_recipients(ids: list[int]) -> list[Notification]:
    """The claimed notices with their recipients and each one's choice for the kind: one query."""
    return list(
        Notification.objects.select_related("recipient")
        .annotate(
            choice=Subquery(
                NotificationPreference.objects.filter(
                    user=OuterRef("recipient"), kind=OuterRef("kind")
                ).values("email")[:1]
            )
        )
        .filter(pk__in=ids)
        .order_by("id")
    )


def mark_done(done: dict[int, str], *, superseded: Iterable[int] = (), now: datetime) -> int:
    """Record handled notices in one UPDATE: each id's channel (e-mail, in-app or digest), and the
    superseded ones (nothing left to say) as read too, so nothing waits in the list for them."""
    if not done:
        return 0
    superseded = list(superseded)
    by_channel: dict[str, list[int]] = defaultdict(list)
    for notification_id, channel in done.items():
        by_channel[channel].append(notification_id)
    changes = {"sent_at": now, "last_error": ""}
    if len(by_channel) == 1:
        changes["channel"] = next(iter(by_channel))
    else:
        changes["channel"] = Case(
            *(When(pk__in=ids, then=Value(channel)) for channel, ids in by_channel.items()),
            default=F("channel"),
        )
    if superseded:
        changes["read_at"] = Case(When(pk__in=superseded, then=Value(now)), default=F("read_at"))
    # failed_at=None: a row another worker gave up on after our lease ran out stays as it is.
    return Notification.objects.filter(pk__in=list(done), failed_at=None).update(**changes)


@dataclass
class ChunkReport:
    """What became of each notice of a chunk, and the retries to schedule: {countdown: [ids]}."""

    outcomes: dict[int, str] = field(default_factory=dict)
    retries: dict[int, list[int]] = field(default_factory=lambda: defaultdict(list))

    def counts(self) -> dict[str, int]:
        counted: dict[str, int] = defaultdict(int)
        for outcome in self.outcomes.values():
            counted[outcome] += 1
        return dict(counted)


def deliver_chunk(ids: Iterable[int], *, retrying: bool = False) -> ChunkReport:
    """Send a chunk of notices, each by its recipient's preferred channel, each once.

    One UPDATE claims the chunk (`claim`), one query loads the notices with their recipients and
    preferences, one mail connection carries every message, and the sent ones are recorded with one
    UPDATE per MARK_EVERY messages (and at the end). A message the server refuses for now goes back
    with a backoff (`report.retries`, for the task to schedule); one it refuses for good is recorded
    failed; the others of the chunk are not touched by either. With the server gone (the connection
    itself fails) the rest of the chunk goes back with its backoff, untried.

    THE WINDOW NO DESIGN CLOSES: the mail server has accepted a message, and this process dies
    before the UPDATE that records it commits; sent_at stays empty, the claim expires after
    lease(), and the next sweep sends the notice again: a duplicate, never a loss. With chunks the
    window holds the messages sent since the last record: at most MARK_EVERY (20) per kill, each
    sent at most twice, each time with the same Message-ID (mentoring.emails) so a receiving
    server or client can drop the repeat. Recording after every message would make it one message,
    at the price of a commit per message; 20 keeps the commits to one per 20 messages and the
    repeats of a rare hard kill (a warm shutdown finishes its chunk) bounded.
    (tests/reminders/test_worker_killed.py kills a real worker inside this window.)"""
    from celery.exceptions import SoftTimeLimitExceeded

    from mentoring.emails import prepare_notification_email

    now = timezone.now()
    report = ChunkReport()
    wanted = sorted(set(ids))
    claimed = claim(wanted, now=now, retrying=retrying)
    report.outcomes = dict.fromkeys(wanted, "skipped")
    if not claimed:
        return report
    quiet: dict[int, str] = {}
    to_mail: list[Notification] = []
    for notification in _with_recipients(claimed):
        channel = channel_for(notification, notification.choice)
        if channel == Notification.Channel.EMAIL:
            to_mail.append(notification)
        else:
            quiet[notification.pk] = channel
    mark_done(quiet, now=now)
    report.outcomes.update(quiet)

    sent: dict[int, str] = {}
    superseded: list[int] = []

    def record() -> None:
        mark_done(sent, superseded=superseded, now=timezone.now())
        report.outcomes.update((pk, "sent") for pk in sent)
        report.outcomes.update((pk, "superseded") for pk in superseded)
        sent.clear()
        superseded.clear()

    mail = get_connection()
    away: Exception | None = None
    try:
        for notification in to_mail:
            if away is not None:  # the server is gone: the rest waits for its retry, untried
                _record_failure(notification, away, report)
                continue
            pause_point("before_send", notification.pk)
            try:
                message = prepare_notification_email(notification)
                if message is None:
                    # Its renderer says nothing is left to say (a newer version of the meeting went
                    # out, the feedback was given meanwhile): done, without a message, and read.
                    superseded.append(notification.pk)
                    sent[notification.pk] = Notification.Channel.IN_APP
                    continue
                # Opens the connection the first time (and again after one was lost); while it
                # is open, send_messages keeps it for the next message instead of closing it.
                mail.open()
                mail.send_messages([message])
            except SoftTimeLimitExceeded:
                raise
            except Exception as error:
                _record_failure(notification, error, report)
                if _server_away(error):
                    away = error
                    _close_quietly(mail)
                continue
            sent[notification.pk] = Notification.Channel.EMAIL
            pause_point("after_send", notification.pk)
            if len(sent) >= mark_every():
                record()
    except SoftTimeLimitExceeded:
        # Out of time: what was sent is recorded below; the rest is released for the next sweep.
        unsent = [n.pk for n in to_mail if report.outcomes[n.pk] == "skipped" and n.pk not in sent]
        Notification.objects.filter(pk__in=unsent, sent_at=None).update(claimed_at=None)
    finally:
        record()
        _close_quietly(mail)
    return report


def _close_quietly(mail) -> None:
    try:
        mail.close()
    except Exception as error:  # a connection that died may fail to say goodbye
        log.info("mail connection closed with an error: %s", error)


def _record_failure(notification: Notification, error: Exception, report: ChunkReport) -> None:
    attempts = notification.attempts  # loaded after the claim counted this attempt
    message = f"{type(error).__name__}: {error}"[:2000]
    mine = Notification.objects.filter(pk=notification.pk, sent_at=None)
    if is_transient(error) and attempts < MAX_ATTEMPTS:
        countdown = backoff_seconds(attempts)
        mine.update(
            claimed_at=None,
            retry_at=timezone.now() + timedelta(seconds=countdown),
            last_error=message,
        )
        report.outcomes[notification.pk] = "retry"
        report.retries[countdown].append(notification.pk)
        return
    # Permanent (or out of attempts): recorded, shown to the program's admins, who may send again.
    mine.update(claimed_at=None, retry_at=None, failed_at=timezone.now(), last_error=message)
    log.warning("notification %s failed permanently: %s", notification.pk, message)
    report.outcomes[notification.pk] = "failed"


def deliver(*, notification_id: int, retrying: bool = False) -> str:
    """Send one notice (a chunk of one): 'sent', 'superseded', 'failed', 'skipped' (someone else
    holds it, or it is done), or its channel ('in_app', 'digest'). A transient failure raises
    TransientSendError with the backoff, for the single-notice task to retry."""
    report = deliver_chunk([notification_id], retrying=retrying)
    for countdown in report.retries:
        raise TransientSendError(countdown, Exception(_last_error(notification_id)))
    return report.outcomes[notification_id]


def _last_error(notification_id: int) -> str:
    return Notification.objects.filter(pk=notification_id).values_list("last_error", flat=True)[0]


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
    """Hand a failed notice out again (the caller decided who may: see programs.services.program)."""
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
