"""The reminders benchmark: sweeps whose cost follows what is due, delivery at 1,000 a second.

Seeds 100,000 meetings of which 1,000 start tomorrow (3,000 reminders: both sides' "tomorrow",
the mentees' "agenda not ready"), times one full sweep (every kind's sweep: find what is due and
plan it), then does the same with 10,000 meetings and the same 1,000 due, and prints both times,
their ratio and the time per 1,000 due among 100,000, each beside its target. Then it sends the
2,000 "tomorrow" reminders end to end through the real broker (Redis when it answers, else the
embedded file-system broker) and one real worker of 2 processes, writing each e-mail as an .eml
file as a mail server would receive it, and prints reminders sent per second (the best of three
rounds, each printed: the machine's neighbours swing a single round's time). Last, the kill
round: the same reminders with the worker SIGKILLed twice while it sends; it prints what was lost
(target 0) and what was sent twice (at most the one message each dying process had sent and not
yet recorded: UNRECORDED_AT_MOST per process per kill, mentoring/notices/delivery.py), listing the
notices sent twice.

It uses its own database (PostgreSQL `mentoring_bench` when PostgreSQL answers, else SQLite in
var/; BENCH_DATABASE_URL to choose), created, migrated and ANALYZEd here; nothing else is touched.
"""

import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

from benchmarks import answers

ROOT = Path(__file__).resolve().parent.parent
DUE = 1_000
SIZES = (100_000, 10_000)
TARGET_RATIO = 1.5
TARGET_SWEEP_SECONDS = 0.4  # a full sweep, per 1,000 due among 100,000 meetings
TARGET_PER_SECOND = 1_000  # reminders end to end, with 2 worker processes
WORKER_PROCESSES = 2
END_TO_END_ROUNDS = 3
BENCH_DB = "mentoring_bench"
REDIS_DB = 14  # its own broker database (the cache takes 15); BENCH_REDIS_URL to choose


def _configure() -> dict:
    """Point this process (and the worker it starts) at the benchmark's own database and broker."""
    env = {}
    if "BENCH_DATABASE_URL" in os.environ:
        env["DATABASE_URL"] = os.environ["BENCH_DATABASE_URL"]
    elif answers("127.0.0.1", 5432):
        env["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{BENCH_DB}"
        _create_postgres_database(BENCH_DB)
    else:
        (ROOT / "var").mkdir(exist_ok=True)
        (ROOT / "var" / "bench.sqlite3").unlink(missing_ok=True)
        env["DATABASE_URL"] = f"sqlite:///{ROOT / 'var' / 'bench.sqlite3'}"
    if "BENCH_REDIS_URL" in os.environ:
        env["REDIS_URL"] = os.environ["BENCH_REDIS_URL"]
    elif answers("127.0.0.1", 6379):
        env["REDIS_URL"] = f"redis://127.0.0.1:6379/{REDIS_DB}"
    env["VAR_DIR"] = tempfile.mkdtemp(prefix="mentoring-bench-")
    # As in production (Dockerfile): no query log, no template debugging, in the worker and here.
    env["DEBUG"] = "False"
    env["SECRET_KEY"] = secrets.token_urlsafe(32)
    env.pop("EMAIL_URL", None)
    os.environ.pop("EMAIL_URL", None)
    os.environ.update(env, DJANGO_SETTINGS_MODULE="mentoring.settings")
    return env


def _create_postgres_database(name: str) -> None:
    import psycopg2

    connection = psycopg2.connect(host="127.0.0.1", user="postgres", dbname="postgres")
    connection.autocommit = True
    with connection.cursor() as cursor:
        # Anew each run: a database left by an older schema (migrations are squashed while
        # nothing is released) would measure the wrong thing or fail.
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    connection.close()


def _setup_django() -> None:
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)


# --- seeding ---------------------------------------------------------------------------------


def _seed_people(now: datetime):
    """One program, 1,000 active dyads (2,000 people), a feedback cycle so that none is due."""
    from django.contrib.auth.hashers import make_password

    from feedback.models import FeedbackCycle
    from mentoring.models import User
    from programs.models import Dyad, Membership, Program

    Program.objects.filter(slug="bench").exists() and _wipe()
    program = Program.objects.create(name="Benchmark program", slug="bench")
    password = make_password(None)
    people = User.objects.bulk_create(
        [
            User(email=f"bench{n}@example.org", name=f"Bench {n}", password=password)
            for n in range(2 * DUE)
        ]
    )
    admin = User.objects.create_user("bench-admin@example.org", None, name="Bench Admin")
    Membership.objects.create(program=program, user=admin, role="admin")
    mentors, mentees = people[:DUE], people[DUE:]
    Membership.objects.bulk_create(
        [Membership(program=program, user=u, role="mentor") for u in mentors]
        + [Membership(program=program, user=u, role="mentee") for u in mentees]
    )
    dyads = Dyad.objects.bulk_create(
        [
            Dyad(
                program=program,
                mentor=mentor,
                mentee=mentee,
                status="active",
                started_on=now.date(),
                created_by=admin,
            )
            for mentor, mentee in zip(mentors, mentees, strict=True)
        ]
    )
    today = now.date()
    FeedbackCycle.objects.create(
        program=program,
        name="Bench cycle",
        opens=today - timedelta(days=30),
        due=today - timedelta(days=20),
        closes=today - timedelta(days=10),
        scheduled=True,
    )
    return dyads


def _seed_meetings(dyads, *, total: int, now: datetime) -> None:
    """`total` meetings: DUE of them start tomorrow (one per dyad), the rest were held before."""
    from meetings.models import Meeting

    Meeting.objects.all().delete()
    tomorrow = datetime.combine(now.date() + timedelta(days=1), datetime.min.time(), UTC)
    rows = []
    for n, dyad in enumerate(dyads):
        start = tomorrow + timedelta(hours=9, minutes=n % 480)
        rows.append(
            Meeting(
                dyad=dyad,
                status="scheduled",
                starts_at=start,
                ends_at=start + timedelta(hours=1),
                requested_by_id=dyad.mentee_id,
            )
        )
    past = total - len(dyads)
    for n in range(past):
        dyad = dyads[n % len(dyads)]
        # Held meetings spread over the last years, the latest a week ago: no dyad is overdue.
        start = now - timedelta(days=7 + (n // len(dyads)) * 3, hours=n % 7)
        rows.append(
            Meeting(
                dyad=dyad,
                status="held",
                starts_at=start,
                ends_at=start + timedelta(hours=1),
                requested_by_id=dyad.mentee_id,
            )
        )
    Meeting.objects.bulk_create(rows, batch_size=5_000)
    _analyze()


def _analyze(statement: str = "ANALYZE") -> None:
    """Fresh statistics (PostgreSQL), so that query plans do not depend on luck."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(statement)


def _wipe() -> None:
    from django.db import connection

    from feedback.models import FeedbackCycle
    from meetings.models import Meeting
    from mentoring.models import Notification, User
    from programs.models import AuditEntry, Dyad, Membership, Program

    Notification.objects.all().delete()
    Meeting.objects.all().delete()
    FeedbackCycle.objects.all().delete()
    Dyad.objects.all().delete()
    Membership.objects.all().delete()
    AuditEntry.objects.all().delete()
    Program.objects.all().delete()
    User.objects.all().delete()
    connection.close()


# --- measuring -------------------------------------------------------------------------------


def _time_full_sweep(now: datetime) -> tuple[float, int]:
    """One full sweep, planning only (the ids it would enqueue are collected, not sent)."""
    from mentoring.models import Notification
    from mentoring.reminders import sweep_all

    Notification.objects.all().delete()
    # Each round plans the very same keys again: without this, their dead rows from the last round
    # would sit in the unique index every ON CONFLICT probe walks, a cost no real sweep pays.
    _analyze("VACUUM ANALYZE mentoring_notification")
    handed = []

    def collect(ids) -> int:
        handed.extend(ids)
        return len(ids)

    started = time.perf_counter()
    sweep_all(now=now, send=collect)
    return time.perf_counter() - started, len(handed)


def _sweep_cpu(now: datetime) -> float:
    """This process's CPU seconds for one full sweep (the database's work not included): a figure
    the machine's load does not inflate the way it does wall time."""
    from mentoring.models import Notification
    from mentoring.reminders import sweep_all

    Notification.objects.all().delete()
    _analyze("VACUUM ANALYZE mentoring_notification")
    started = time.process_time()
    sweep_all(now=now, send=lambda ids: len(list(ids)))
    return time.process_time() - started


def _start_worker(env: dict, queue: str, log: Path) -> subprocess.Popen:
    celery = Path(sys.executable).with_name("celery")
    return subprocess.Popen(
        [
            str(celery),
            "-A",
            "mentoring",
            "worker",
            "-Q",
            queue,
            f"--concurrency={WORKER_PROCESSES}",
            "--without-gossip",
            "--without-mingle",
            "--loglevel=INFO",
            "-n",
            f"{queue}@%h",
        ],
        env={**os.environ, **env},
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
        cwd=ROOT,
        start_new_session=True,
    )


def _end_to_end(env: dict, now: datetime) -> tuple[int, float]:
    """Plan the due reminders and send them through the broker and a real worker."""
    import signal

    from mentoring.celery import app
    from mentoring.models import Notification
    from mentoring.reminders import sweep

    queue = f"bench-{os.getpid()}"
    app.conf.task_default_queue = queue
    if "REDIS_URL" in env:
        import redis

        redis.Redis.from_url(env["REDIS_URL"]).flushdb()
    Notification.objects.all().delete()
    # As before each timed sweep: the last round's dead rows would slow every claim and record of
    # this one (autovacuum would remove them on a real server; the bench cannot count on it).
    _analyze("VACUUM ANALYZE mentoring_notification")
    # A folder of the round's own for the worker's e-mails: deleting the last round's thousands of
    # files here would have the disk discard them while this round writes (nothing a real mail
    # server does while it receives); the whole VAR_DIR goes once the benchmark ends.
    folder = Path(tempfile.mkdtemp(prefix="round-", dir=env["VAR_DIR"]))
    env = {**env, "VAR_DIR": str(folder)}
    log = folder / "worker.log"
    worker = _start_worker(env, queue, log)
    try:
        deadline = time.monotonic() + 60
        while b"ready." not in (log.read_bytes() if log.exists() else b""):
            if time.monotonic() > deadline or worker.poll() is not None:
                raise RuntimeError(f"the worker did not start; see {log}")
            time.sleep(0.1)
        started = time.perf_counter()
        enqueued = sweep("meeting_tomorrow", now=now).enqueued
        deadline = time.monotonic() + 600
        while Notification.objects.filter(sent_at=None).exists():
            if time.monotonic() > deadline:
                raise RuntimeError("reminders were not all sent within 10 minutes")
            time.sleep(0.05)
        elapsed = time.perf_counter() - started
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(timeout=30)
    mails = len(list((folder / "mail").glob("*.eml")))
    if mails != enqueued:
        raise RuntimeError(f"{enqueued} reminders enqueued but {mails} e-mails written")
    return enqueued, elapsed


KILL_LEASE_SECONDS = 5  # the kill round's lease: a dead worker's claims come back within seconds


def _notice_keys(folder: Path) -> list[tuple[str, str]]:
    """(X-Mentoring-Notice, Message-ID) of every e-mail the workers wrote."""
    import email

    keys = []
    for path in folder.glob("*.eml"):
        message = email.message_from_bytes(path.read_bytes())
        # A long header comes folded onto a second line: joined again, as a receiver unfolds it.
        notice = "".join((message["X-Mentoring-Notice"] or "").split())
        keys.append((notice, message["Message-ID"]))
    return keys


def _kill_round(env: dict, now: datetime) -> tuple[int, int, list[str], int, int]:
    """The same reminders again, SIGKILLing the worker twice while it sends; a new worker and the
    next sweeps finish the job. Returns (due, lost, the notices sent twice, Message-IDs sent twice,
    kills)."""
    import signal

    from mentoring.celery import app
    from mentoring.models import Notification
    from mentoring.notices.planning import deliverable_ids
    from mentoring.notices.tasks import enqueue
    from mentoring.reminders import sweep

    mail = Path(env["VAR_DIR"]) / "mail"
    shutil.rmtree(mail, ignore_errors=True)
    queue = f"bench-kill-{os.getpid()}"
    app.conf.task_default_queue = queue
    if "REDIS_URL" in env:
        import redis

        redis.Redis.from_url(env["REDIS_URL"]).flushdb()
    Notification.objects.all().delete()
    worker_env = {**env, "NOTIFICATION_LEASE_SECONDS": str(KILL_LEASE_SECONDS)}
    due = sweep("meeting_tomorrow", now=now).planned
    kills, deadline = 0, time.monotonic() + 600

    def written() -> int:
        return len(list(mail.glob("*.eml"))) if mail.exists() else 0

    for round_ in range(3):
        log = Path(env["VAR_DIR"]) / f"worker-kill-{round_}.log"
        worker = _start_worker(worker_env, queue, log)
        try:
            if round_ < 2:  # let it send a quarter, then SIGKILL it mid-stream
                target = written() + due // 4
                while written() < target and worker.poll() is None:
                    if time.monotonic() > deadline:
                        raise RuntimeError("the kill round stalled")
                    time.sleep(0.01)
                os.killpg(worker.pid, signal.SIGKILL)
                kills += 1
                continue
            # The last worker lives; once a lease has passed, each sweep's hand-out (at the real
            # time: the round's `now` is noon) queues again what the killed workers held.
            with _lease(KILL_LEASE_SECONDS):
                while Notification.objects.filter(sent_at=None, failed_at=None).exists():
                    if time.monotonic() > deadline:
                        raise RuntimeError("the kill round did not finish within 10 minutes")
                    enqueue(deliverable_ids(kind="meeting_tomorrow"))
                    time.sleep(1)
            time.sleep(1)  # let the last sends land on disk
        finally:
            if worker.poll() is None:
                os.killpg(worker.pid, signal.SIGTERM)
            worker.wait(timeout=30)
    keys = _notice_keys(mail)
    notices = [k for k, _m in keys]
    message_ids = [m for _k, m in keys]
    lost = due - len(set(notices))
    counted = Counter(notices)
    return (
        due,
        lost,
        sorted(key for key, count in counted.items() if count > 1),
        len(message_ids) - len(set(message_ids)),
        kills,
    )


class _lease:
    """This process's lease, for the sweeps of the kill round."""

    def __init__(self, seconds: int):
        self.seconds = seconds

    def __enter__(self):
        from django.conf import settings

        self.saved = settings.NOTIFICATION_LEASE_SECONDS
        settings.NOTIFICATION_LEASE_SECONDS = self.seconds

    def __exit__(self, *exc):
        from django.conf import settings

        settings.NOTIFICATION_LEASE_SECONDS = self.saved


def _verdict(ok: bool) -> str:
    return "ok" if ok else "MISSED"


def run(argv: list[str]) -> bool:
    env = _configure()
    _setup_django()
    from django.db import connection

    from mentoring.notices.delivery import UNRECORDED_AT_MOST

    now = datetime.now(UTC).replace(hour=12, minute=0, second=0, microsecond=0)
    broker = "Redis" if "REDIS_URL" in env else "file-system broker"
    print(f"reminders: database {connection.vendor} ({connection.settings_dict['NAME']}), {broker}")
    # The machine's load beside the figures: on a shared machine, wall times grow with it.
    print(f"  load average at the start: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    try:
        dyads = _seed_people(now)
        timings = {}
        for total in SIZES:
            _seed_meetings(dyads, total=total, now=now)  # then ANALYZE: plans from fresh stats
            _time_full_sweep(now)  # warm caches and connections
            best, handed = min(_time_full_sweep(now) for _ in range(3))
            timings[total] = best
            print(
                f"  full sweep, {total:>7,} meetings, {DUE:,} due: {best * 1000:7.1f} ms "
                f"({handed:,} reminders planned)"
            )
        cpu = min(_sweep_cpu(now) for _ in range(3))  # the last size seeded: 10,000
        print(f"  full sweep, this process's CPU only: {cpu * 1000:.0f} ms")
        per_thousand = timings[SIZES[0]] / (DUE / 1_000)
        ratio = timings[SIZES[0]] / timings[SIZES[1]]
        sweep_ok = per_thousand <= TARGET_SWEEP_SECONDS
        print(
            f"  sweep per 1,000 due among {SIZES[0]:,} meetings: {per_thousand:.2f} s "
            f"(target <= {TARGET_SWEEP_SECONDS} s: {_verdict(sweep_ok)})"
        )
        print(
            f"  ratio {SIZES[0]:,} / {SIZES[1]:,} meetings: {ratio:.2f} "
            f"(target <= {TARGET_RATIO}: {_verdict(ratio <= TARGET_RATIO)})"
        )
        print(f"  load average now: {os.getloadavg()[0]:.1f}")
        # Best of a few rounds, as for the sweeps: on a shared machine one round's wall time
        # swings by half with what its neighbours do; every round is printed.
        rounds = [_end_to_end(env, now) for _ in range(END_TO_END_ROUNDS)]
        sent, elapsed = min(rounds, key=lambda sent_elapsed: sent_elapsed[1])
        rate = sent / elapsed
        print(
            f"  end to end through {broker}, one worker of {WORKER_PROCESSES} processes, best of "
            f"{len(rounds)} rounds: {sent:,} reminders in {elapsed:.2f} s = {rate:,.0f} per "
            f"second (target >= {TARGET_PER_SECOND:,}: {_verdict(rate >= TARGET_PER_SECOND)}; "
            f"rounds: {', '.join(f'{n / s:,.0f}' for n, s in rounds)} per second)"
        )
        due, lost, duplicates, ids_twice, kills = _kill_round(env, now)
        twice = len(duplicates)
        bound = kills * WORKER_PROCESSES * UNRECORDED_AT_MOST
        print(
            f"  kill round: {due:,} due, worker SIGKILLed {kills} times while sending: "
            f"{lost} lost (target 0: {_verdict(lost == 0)}), {twice} sent twice (at most "
            f"{bound}: the message each dying process had sent and not yet recorded, "
            f"{UNRECORDED_AT_MOST} a process: {_verdict(twice <= bound)}), {ids_twice} with a "
            "repeated Message-ID left for a receiver to drop"
        )
        for key in duplicates:
            print(f"    sent twice: {key}")
        return (
            sweep_ok
            and ratio <= TARGET_RATIO
            and rate >= TARGET_PER_SECOND
            and lost == 0
            and twice <= bound
        )
    finally:
        _wipe()
        shutil.rmtree(env["VAR_DIR"], ignore_errors=True)
