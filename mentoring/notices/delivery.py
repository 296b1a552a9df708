"""Planned notices become messages, each once: a chunk claimed in one statement, loaded with its
recipients and their preferences in one query, mailed over one connection, each message recorded
as sent by one statement right after the mail server accepts it.

What no design closes is named at the one place it lives: see `deliver_chunk`.
"""

import logging
import smtplib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.mail import get_connection
from django.db import connection
from django.db.models import Case, F, OuterRef, Subquery, Value, When
from django.utils import timezone

from mentoring.emails import prepare_notification_email
from mentoring.models import Notification, NotificationPreference
from mentoring.notices.planning import lease
from mentoring.notices.preferences import channel_for

log = logging.getLogger(__name__)

MAX_ATTEMPTS = settings.NOTIFICATION_MAX_ATTEMPTS
RETRY_BASE_SECONDS = settings.NOTIFICATION_RETRY_BASE_SECONDS
RETRY_MAX_SECONDS = 30 * 60  # below the broker's visibility timeout, which holds retry messages
# Messages a worker killed mid-chunk can have sent and not recorded, so the most notices a kill
# sends twice (see `deliver_chunk`): each mailed message is recorded before the next one is sent.
UNRECORDED_AT_MOST = 1
# Notices settled without a message (in-app, digest, superseded) recorded per UPDATE: a kill sends
# none of them twice, whatever the number.
MARK_EVERY = 20


def mark_every() -> int:
    return getattr(settings, "NOTIFICATION_MARK_EVERY", MARK_EVERY)


def _record_sql() -> str:
    quote = connection.ops.quote_name
    return (
        f"UPDATE {quote(Notification._meta.db_table)} SET {quote('sent_at')} = %s, "
        f"{quote('channel')} = %s, {quote('last_error')} = '' "
        f"WHERE {quote('id')} = %s AND {quote('failed_at')} IS NULL"
    )


def record_mailed(notification_id: int, *, now: datetime) -> None:
    """One message accepted by the mail server, recorded: one single-row UPDATE. A row another
    worker gave up on after our lease ran out stays as it is (failed_at)."""
    with connection.cursor() as cursor:
        cursor.execute(
            _record_sql(),
            [
                connection.ops.adapt_datetimefield_value(now),
                Notification.Channel.EMAIL.value,
                notification_id,
            ],
        )


class RecordFailed(Exception):
    """The database refused or lost a record: the chunk stops (no message goes out unrecorded) and
    the task fails; its notices go out again after the lease, as after a crash."""


_RECORD = "mentoring_record_mailed"  # the recorder connection's prepared UPDATE


class _Recorder:
    """Records each mailed notice as sent, one single-row UPDATE per message, keeping the rule
    that at most one message is ever sent and not recorded: `wait()`, called before each send,
    returns only once the previous message's record has committed.

    In a worker on PostgreSQL the UPDATE goes over a connection of the recorder's own, in
    asynchronous mode, as soon as the server accepted the message; the next message is rendered
    while it runs, so its round trip costs the chunk nothing. That connection commits without
    waiting for the disk (synchronous_commit off): a worker that dies after the UPDATE reached the
    server has still recorded it, and only a crash of PostgreSQL itself within its
    wal_writer_delay (well under a second) could forget one (a message sent again, never lost).
    Elsewhere (SQLite, or inside a transaction, where another connection would not see the rows)
    the UPDATE runs at once on Django's connection."""

    def __init__(self):
        self.own = self.cursor = None
        self.pending = False
        # The UPDATE planned once per connection, not once per message, unless a pooler that
        # shares connections (PgBouncer in transaction mode) would lose it (PREPARED_STATEMENTS).
        self.prepared = settings.PREPARED_STATEMENTS
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            try:
                self.own = self._connect(prepared=self.prepared)
                self.cursor = self.own.cursor()  # kept: an asynchronous query needs its cursor
            except Exception as error:  # recorded the plain way instead
                log.warning("no recorder connection, recording on the main one: %s", error)

    @staticmethod
    def _connect(*, prepared: bool):
        import psycopg2
        from psycopg2.extras import wait_select

        connection.ensure_connection()
        own = psycopg2.connect(**connection.get_connection_params(), async_=1)
        wait_select(own)
        cursor = own.cursor()
        setup = "SET synchronous_commit TO off"
        if prepared:
            numbered = _record_sql().replace("%s", "$1", 1).replace("%s", "$2", 1)
            setup += f"; PREPARE {_RECORD} AS {numbered.replace('%s', '$3', 1)}"
        cursor.execute(setup)
        wait_select(own)
        return own

    def record(self, notification_id: int, *, now: datetime) -> None:
        if self.own is None:
            record_mailed(notification_id, now=now)
            return
        sql = f"EXECUTE {_RECORD} (%s, %s, %s)" if self.prepared else _record_sql()
        try:
            self.cursor.execute(sql, [now, Notification.Channel.EMAIL.value, notification_id])
        except Exception as error:
            raise RecordFailed(str(error)) from error
        self.pending = True

    def wait(self) -> None:
        if self.pending:
            from psycopg2.extras import wait_select

            self.pending = False
            try:
                wait_select(self.own)
            except Exception as error:
                raise RecordFailed(str(error)) from error

    def close(self) -> None:
        try:
            self.wait()
        finally:
            if self.own is not None:
                self.own.close()
                self.own = self.cursor = None


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


# --- claiming, loading, recording -------------------------------------------------------------


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


@dataclass
class _Unrecorded:
    """Notices settled without a message (superseded) since the last record, up to mark_every()
    of them; a mailed one is recorded on its own at once (`mailed`)."""

    report: ChunkReport
    recorder: _Recorder
    sent: dict[int, str] = field(default_factory=dict)  # id -> channel
    superseded: list[int] = field(default_factory=list)

    def mailed(self, notification_id: int) -> None:
        self.recorder.record(notification_id, now=timezone.now())
        self.report.outcomes[notification_id] = "sent"

    def record(self) -> None:
        mark_done(self.sent, superseded=self.superseded, now=timezone.now())
        self.report.outcomes.update((pk, "sent") for pk in self.sent)
        self.report.outcomes.update((pk, "superseded") for pk in self.superseded)
        self.sent.clear()
        self.superseded.clear()


# --- a chunk -----------------------------------------------------------------------------------


def deliver_chunk(ids: Iterable[int], *, retrying: bool = False) -> ChunkReport:
    """Send a chunk of notices, each by its recipient's preferred channel, each once.

    One UPDATE claims the chunk (`claim`), one query loads the notices with their recipients and
    preferences, one mail connection carries every message, and each message is recorded as sent
    by one single-row UPDATE (`record_mailed`) as soon as the server accepted it, before the next
    one goes out. A message the server refuses for now goes back
    with a backoff (`report.retries`, for the task to schedule); one it refuses for good is recorded
    failed; the others of the chunk are not touched by either. With the server gone (the connection
    itself fails) the rest of the chunk goes back with its backoff, untried.

    THE WINDOW NO DESIGN CLOSES: the mail server has accepted a message, and this process dies
    before the UPDATE that records it commits; sent_at stays empty, the claim expires after
    lease(), and the next sweep sends the notice again: a duplicate, never a loss. The window holds
    one message at most (UNRECORDED_AT_MOST) per kill, sent twice with the same Message-ID
    (mentoring.emails) so a receiving server or client can drop the repeat. The commit per message
    that this costs neither waits for the disk nor holds up the chunk (`_Recorder`); `make bench`
    measures the rate.
    (tests/reminders/test_worker_killed.py kills a real worker inside this window.)"""
    now = timezone.now()
    report = ChunkReport()
    wanted = sorted(set(ids))
    claimed = claim(wanted, now=now, retrying=retrying)
    report.outcomes = dict.fromkeys(wanted, "skipped")
    if not claimed:
        return report
    to_mail = _settle_unmailed(claimed, report, now=now)
    _mail(to_mail, report)
    return report


def _settle_unmailed(
    claimed: list[int], report: ChunkReport, *, now: datetime
) -> list[Notification]:
    """Record at once the notices their recipients want in-app or in a digest; the ones to mail."""
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
    return to_mail


def _mail(to_mail: list[Notification], report: ChunkReport) -> None:
    """Mail the notices over one connection, recording as it goes and whatever happens."""
    unrecorded = _Unrecorded(report, _Recorder())
    mail = get_connection()
    try:
        _send_each(to_mail, mail, unrecorded)
    except SoftTimeLimitExceeded:
        # Out of time: what was sent is recorded below; the rest is released for the next sweep.
        unsent = [
            n.pk
            for n in to_mail
            if report.outcomes[n.pk] == "skipped" and n.pk not in unrecorded.sent
        ]
        Notification.objects.filter(pk__in=unsent, sent_at=None).update(claimed_at=None)
    finally:
        try:
            unrecorded.recorder.close()  # the last message's record has committed
        finally:
            unrecorded.record()
            _close_quietly(mail)


def _send_each(to_mail: list[Notification], mail, unrecorded: _Unrecorded) -> None:
    away: Exception | None = None
    for notification in to_mail:
        if away is not None:  # the server is gone: the rest waits for its retry, untried
            _record_failure(notification, away, unrecorded.report)
            continue
        try:
            mailed = _send_one(notification, mail, unrecorded.recorder)
        except (SoftTimeLimitExceeded, RecordFailed):
            raise
        except Exception as error:
            _record_failure(notification, error, unrecorded.report)
            if _server_away(error):
                away = error
                _close_quietly(mail)
            continue
        if not mailed:
            # Its renderer says nothing is left to say (a newer version of the meeting went out,
            # the feedback was given meanwhile): done, without a message, and read.
            unrecorded.superseded.append(notification.pk)
            unrecorded.sent[notification.pk] = Notification.Channel.IN_APP
            if len(unrecorded.sent) >= mark_every():
                unrecorded.record()
            continue
        unrecorded.mailed(notification.pk)  # before the next message goes out


def _send_one(notification: Notification, mail, recorder: _Recorder) -> bool:
    """Mail one notice; False when its renderer had nothing left to say. Rendered while the
    previous message's record runs; sent only once that record has committed."""
    message = prepare_notification_email(notification)
    if message is None:
        return False
    recorder.wait()  # never two messages sent and not recorded
    # Opens the connection the first time (and again after one was lost); while it is open,
    # send_messages keeps it for the next message instead of closing it.
    mail.open()
    mail.send_messages([message])
    return True


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


# --- one notice ----------------------------------------------------------------------------------


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
