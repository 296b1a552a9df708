"""The pages benchmark: each page's throughput as a share of `/healthz`, latency at a fixed rate,
and the memory of a worker (issue 11, and the program pages of issue 13).

Under gunicorn as deployed (deploy/gunicorn.conf.py, `-w 2`, DEBUG off) on PostgreSQL with
`seed_demo --dyads 1000` and fresh statistics (ANALYZE), it:

1. measures, round after round, `/healthz` and then every page of PAGES for the same few seconds
   each with the same closed-loop load (keep-alive connections, each sending its next request when
   the last one answered), and prints each page's rate as a ratio of that round's `/healthz` rate
   (median of the rounds), beside its target: home pages >= 25 %, the other pages >= 15 %;
2. sends the mentee's home and the 1,000-dyad program page at a fixed 50 requests a second
   (open loop: each latency counts from the moment the request was due, so a slow answer delays
   the next ones' figures too) and prints p50 / p95 / p99, target p95 <= 50 ms;
3. reads the resident memory (RSS) of each gunicorn worker before and after 10,000 more requests
   over every page: it should stay flat;
4. downloads the 1,000-dyad program's meetings CSV (topped up to 10,000 meetings at set-up) as a
   browser would (gzip) and prints the time to its first byte (target < 1 s), the whole download,
   its rows, and the workers' memory before and after: it streams, no whole file in memory.

Pages are kept while the database is unchanged (mentoring/pagecache.py), so a page asked again in
the same state is sent as kept: that is what the rounds measure, and what the targets are held to.
Beside it, one round against a second server started with KEEP_PAGES=0 prints what each page costs
rendered for every request, as the first request after any write sees it. A write to its database
renders pages again: nothing else writes to `mentoring_bench_pages` while it runs.

The load generator is Python (http.client over keep-alive connections in threads, in two
processes). Its own cost is printed: the CPU it spends per request, beside the CPU gunicorn's
workers spend, so a ratio limited by the generator rather than by the pages would show.

Each person signs in once (a session made the way Django's test client's `force_login` makes it)
and every request reuses that session cookie. Requests carry `X-Forwarded-Proto: https`, as nginx
sends them (deploy/nginx.conf), so production's HTTPS settings apply as they would behind it.

Its database is PostgreSQL `mentoring_bench_pages` (BENCH_PAGES_DATABASE_URL to choose): created and
seeded on the first run, kept for the next ones (seed_demo changes nothing when run again).
Options: `--seconds=S` per page per round (default 3), `--rounds=N` (default 3),
`--memory-requests=N` for the RSS measurement (default 10,000).
"""

import multiprocessing
import os
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import zlib
from http.client import HTTPConnection
from pathlib import Path

from benchmarks import answers

ROOT = Path(__file__).resolve().parent.parent
BENCH_DB = "mentoring_bench_pages"
DYADS = 1_000
WORKERS = 2
CONNECTIONS = 8  # concurrent keep-alive connections of the closed-loop rounds
PROCESSES = 2  # load generator processes (each runs CONNECTIONS / PROCESSES threads)
FIXED_RATE = 50  # requests a second for the latency measurement
FIXED_SECONDS = 10
MEMORY_REQUESTS = 10_000
TARGET_HOME = 0.25
TARGET_OTHER = 0.15
TARGET_P95_MS = 50
CSV_MEETINGS = 10_000  # the meetings export is timed with at least this many meetings (issue 13)
TARGET_CSV_FIRST_BYTE_S = 1.0

# The pages measured: (label, who, URL). `{name}` in a URL is filled from `_ids()`. Adding a page
# is one line here.
PAGES = [
    ("home, mentee", "mentee@example.com", "/"),
    ("home, mentor", "mentor@example.com", "/"),
    ("home, admin", "admin@example.com", "/"),
    ("home, admin of 1,000 dyads", "load-admin@example.com", "/"),
    ("home, load mentee", "{load_mentee}", "/"),
    ("program page, demo", "admin@example.com", "/programs/{demo}/"),
    ("program page, 1,000 dyads", "load-admin@example.com", "/programs/{load}/"),
    ("dyads list, all, 1,000 dyads", "load-admin@example.com", "/programs/{load}/?status=all"),
    ("feedback cycle, 1,000 dyads", "load-admin@example.com", "/feedback/cycles/{load_cycle}/"),
    ("mentors' ratings, 1,000", "load-admin@example.com", "/feedback/programs/{load}/mentors/"),
    ("attention list, 1,000", "load-admin@example.com", "/feedback/programs/{load}/attention/"),
    ("members, 1,000 dyads", "load-admin@example.com", "/programs/{load}/members/"),
    ("audit, 1,000 dyads", "load-admin@example.com", "/programs/{load}/audit/"),
    ("requests, 1,000 dyads", "load-admin@example.com", "/programs/{load}/requests/"),
    ("notices, 1,000 dyads", "load-admin@example.com", "/programs/{load}/notices/"),
    ("meeting, mentee", "mentee@example.com", "/meetings/{demo_meeting}/"),
    ("meeting, load mentee", "{load_mentee}", "/meetings/{load_meeting}/"),
    ("plan, mentee", "mentee@example.com", "/goals/plan/{demo_id}/{demo_mentee}/"),
    ("plan, admin of 1,000", "load-admin@example.com", "/goals/plan/{load_id}/{load_mentee_id}/"),
    ("reports, department", "load-admin@example.com", "/reports/"),
    ("reports, trends 1,000", "load-admin@example.com", "/reports/programs/{load}/trends/"),
    ("reports, mentor load", "load-admin@example.com", "/reports/programs/{load}/mentor-load/"),
    ("reports, annual 1,000", "load-admin@example.com", "/reports/programs/{load}/annual/"),
    ("reports, upcoming", "load-admin@example.com", "/reports/programs/{load}/lists/upcoming/"),
]
# The two pages of the fixed-rate latency measurement, by label.
FIXED = ["home, mentee", "program page, 1,000 dyads"]


# --- set-up -----------------------------------------------------------------------------------


def _configure() -> dict:
    env = {
        "DEBUG": "False",
        "SECRET_KEY": secrets.token_urlsafe(32),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        # Demo accounts sign in with their password alone (CONTRACTS.md), admins too.
        "MFA_REQUIRED_FOR_ADMINS": "False",
        "VAR_DIR": str(ROOT / "var" / "bench-pages"),
        "DJANGO_SETTINGS_MODULE": "mentoring.settings",
    }
    if "BENCH_PAGES_DATABASE_URL" in os.environ:
        env["DATABASE_URL"] = os.environ["BENCH_PAGES_DATABASE_URL"]
    else:
        env["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{BENCH_DB}"
        _create_postgres_database(BENCH_DB)
    if answers("127.0.0.1", 6379) and "REDIS_URL" not in os.environ:
        env["REDIS_URL"] = "redis://127.0.0.1:6379/12"
    os.environ.pop("EMAIL_URL", None)
    Path(env["VAR_DIR"]).mkdir(parents=True, exist_ok=True)
    os.environ.update(env)
    return env


def _create_postgres_database(name: str) -> None:
    import psycopg2

    connection = psycopg2.connect(host="127.0.0.1", user="postgres", dbname="postgres")
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{name}"')
    connection.close()


def _seed() -> None:
    """Migrate, seed (idempotent) and collect the static files, in child processes."""
    manage = [sys.executable, str(ROOT / "manage.py")]
    for args in (
        ["migrate", "--noinput", "-v", "0"],
        ["createcachetable"],
        ["seed_demo", "--dyads", str(DYADS)],
        # DEBUG off serves hashed static names from the manifest, as in production.
        ["collectstatic", "--noinput", "-v", "0"],
    ):
        subprocess.run([*manage, *args], check=True, cwd=ROOT, stdout=subprocess.DEVNULL)


def _ids() -> dict[str, object]:
    from feedback.models import FeedbackCycle
    from meetings.models import Meeting
    from programs.models import Dyad, Program

    demo = Program.objects.get(
        memberships__user__email="admin@example.com", memberships__role="admin"
    )
    load = Program.objects.get(memberships__user__email="load-admin@example.com")
    load_dyad = Dyad.objects.filter(program=load, status="active").order_by("pk").first()
    mentee_meeting = Meeting.objects.filter(dyad__mentee__email="mentee@example.com")
    return {
        "demo": demo.slug,
        "demo_id": demo.pk,
        "demo_mentee": Dyad.objects.filter(mentee__email="mentee@example.com").first().mentee_id,
        "demo_meeting": mentee_meeting.exclude(starts_at=None).order_by("-starts_at").first().pk,
        "load": load.slug,
        "load_id": load.pk,
        "load_mentee": load_dyad.mentee.email,
        "load_mentee_id": load_dyad.mentee_id,
        "load_meeting": Meeting.objects.filter(dyad=load_dyad).order_by("-pk").first().pk,
        "load_cycle": FeedbackCycle.objects.filter(program=load).order_by("-pk").first().pk,
    }


def _top_up_meetings() -> int:
    """Held meetings added to the 1,000-dyad program until it has CSV_MEETINGS (idempotent):
    spread over its dyads and the past year. Returns how many meetings it has."""
    from datetime import timedelta

    from django.utils import timezone

    from meetings.models import Meeting
    from programs.models import Dyad, Program

    load = Program.objects.get(memberships__user__email="load-admin@example.com")
    have = Meeting.objects.filter(dyad__program=load).count()
    dyads = list(Dyad.objects.filter(program=load).order_by("pk").values_list("pk", "mentee_id"))
    now = timezone.now()
    added = []
    for i in range(max(0, CSV_MEETINGS - have)):
        dyad, mentee = dyads[i % len(dyads)]
        starts = now - timedelta(days=1 + i % 360, hours=i % 9)
        added.append(
            Meeting(
                dyad_id=dyad,
                requested_by_id=mentee,
                status=Meeting.Status.HELD,
                starts_at=starts,
                ends_at=starts + timedelta(hours=1),
                created_at=starts - timedelta(days=7),
                scheduled_at=starts - timedelta(days=6),
                marked_at=starts + timedelta(hours=2),
                location="Room 4",
            )
        )
    Meeting.objects.bulk_create(added, batch_size=2_000)
    return have + len(added)


def _download(port: int, path: str, cookie: str) -> tuple[float, float, int, int]:
    """(seconds to the first byte, seconds in all, bytes as sent, lines once unzipped)."""
    name, _, value = cookie.partition("=")
    connection = HTTPConnection("127.0.0.1", port, timeout=120)
    started = time.monotonic()
    connection.request("GET", path, headers=_headers(name, value))
    response = connection.getresponse()
    first = response.read(1)
    first_byte = time.monotonic() - started
    gzipped = response.getheader("Content-Encoding") == "gzip"
    unzip = zlib.decompressobj(16 + zlib.MAX_WBITS) if gzipped else None
    sent, lines = len(first), 0
    chunk = first
    while chunk:
        lines += (unzip.decompress(chunk) if unzip else chunk).count(b"\n")
        chunk = response.read(65_536)
        sent += len(chunk)
    connection.close()
    return first_byte, time.monotonic() - started, sent, lines


def _sessions(emails: set[str]) -> dict[str, str]:
    """One signed-in session per person, as `force_login` makes it: {email: session key}."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from mentoring.models import User

    keys = {}
    for user in User.objects.filter(email__in=emails):
        session = SessionStore()
        session[SESSION_KEY] = user._meta.pk.value_to_string(user)
        session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        keys[user.email] = session.session_key
    missing = emails - set(keys)
    if missing:
        raise SystemExit(f"pages: no such account(s): {', '.join(sorted(missing))}")
    return keys


def _start_gunicorn(port: int, keep_pages: bool = True) -> subprocess.Popen:
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "-c",
        str(ROOT / "deploy" / "gunicorn.conf.py"),
        "-w",
        str(WORKERS),
        "-b",
        f"127.0.0.1:{port}",
        "--access-logfile",
        "/dev/null",
        "mentoring.wsgi",
    ]
    env = {**os.environ, "KEEP_PAGES": "1" if keep_pages else "0"}
    server = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if answers("127.0.0.1", port):
            try:
                if _get(port, "/healthz", "")[0] == 200:
                    return server
            except OSError:
                pass
        time.sleep(0.2)
    _stop(server)
    raise SystemExit("pages: gunicorn did not answer /healthz within 60 s")


def _stop(server: subprocess.Popen) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)


def _workers(server: subprocess.Popen) -> list[int]:
    out = subprocess.run(
        ["ps", "-o", "pid=", "--ppid", str(server.pid)], capture_output=True, text=True
    ).stdout
    return [int(pid) for pid in out.split()]


def _rss_mb(pid: int) -> float:
    text = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"VmRSS:\s+(\d+) kB", text).group(1)) / 1024


def _cpu_seconds(pids: list[int]) -> float:
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / ticks


# --- the load generator -----------------------------------------------------------------------


def _headers(cookie_name: str, session: str) -> dict[str, str]:
    headers = {
        "Host": "127.0.0.1",
        "X-Forwarded-Proto": "https",
        "Accept-Encoding": "gzip",
        "Connection": "keep-alive",
    }
    if session:
        headers["Cookie"] = f"{cookie_name}={session}"
    return headers


def _get(port: int, path: str, cookie: str, connection: HTTPConnection | None = None):
    own = connection is None
    connection = connection or HTTPConnection("127.0.0.1", port, timeout=30)
    name, _, value = cookie.partition("=")
    connection.request("GET", path, headers=_headers(name, value))
    response = connection.getresponse()
    body = response.read()
    if own:
        connection.close()
    return response.status, body


def _closed_loop(port: int, path: str, cookie: str, seconds: float, threads: int, queue) -> None:
    """One generator process: `threads` connections, each sending its next request as soon as
    the last one answered, for `seconds`. Puts (answered 200, other answers, CPU seconds)."""
    done, bad = [0] * threads, [0] * threads
    stop = time.monotonic() + seconds

    def loop(i):
        connection = HTTPConnection("127.0.0.1", port, timeout=30)
        while time.monotonic() < stop:
            try:
                status, _ = _get(port, path, cookie, connection)
            except OSError:
                bad[i] += 1
                connection.close()
                connection = HTTPConnection("127.0.0.1", port, timeout=30)
                continue
            if status == 200:
                done[i] += 1
            else:
                bad[i] += 1
        connection.close()

    started = time.process_time()
    workers = [threading.Thread(target=loop, args=(i,)) for i in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    queue.put((sum(done), sum(bad), time.process_time() - started))


def _rate(port: int, path: str, cookie: str, seconds: float) -> tuple[float, int, float]:
    """Requests a second answered 200 under the closed-loop load; other answers; generator CPU."""
    queue = multiprocessing.Queue()
    processes = [
        multiprocessing.Process(
            target=_closed_loop,
            args=(port, path, cookie, seconds, CONNECTIONS // PROCESSES, queue),
        )
        for _ in range(PROCESSES)
    ]
    started = time.monotonic()
    for process in processes:
        process.start()
    results = [queue.get() for _ in processes]
    for process in processes:
        process.join()
    elapsed = time.monotonic() - started
    done = sum(r[0] for r in results)
    return done / elapsed, sum(r[1] for r in results), sum(r[2] for r in results)


def _fixed_rate(port: int, path: str, cookie: str, rate: int, seconds: float) -> list[float]:
    """Latencies (ms) at a fixed arrival rate, each from the moment its request was due. A server
    that cannot keep up is not waited for past twice the time: what was never sent counts as
    infinitely late."""
    count = int(rate * seconds)
    give_up = time.monotonic() + 2 * seconds + 1
    start = time.monotonic() + 0.2
    latencies: list[float] = []
    lock = threading.Lock()
    slots = iter(range(count))

    def worker():
        connection = HTTPConnection("127.0.0.1", port, timeout=30)
        while True:
            with lock:
                n = next(slots, None)
            if n is None:
                break
            due = start + n / rate
            if time.monotonic() > give_up:
                with lock:
                    latencies.append(float("inf"))
                continue
            pause = due - time.monotonic()
            if pause > 0:
                time.sleep(pause)
            try:
                status, _ = _get(port, path, cookie, connection)
            except OSError:
                connection.close()
                connection = HTTPConnection("127.0.0.1", port, timeout=30)
                status = 0
            took = (time.monotonic() - due) * 1000
            with lock:
                latencies.append(took if status == 200 else float("inf"))
        connection.close()

    # Enough connections that a slow answer never holds back the next request's departure.
    threads = [threading.Thread(target=worker) for _ in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(latencies)


def _spread(port: int, requests: list[tuple[str, str]], connections: int) -> int:
    """Send every (url, cookie) once over `connections` keep-alive connections; returns how many
    answered 200."""
    answered = [0] * connections

    def worker(i):
        connection = HTTPConnection("127.0.0.1", port, timeout=30)
        for url, cookie in requests[i::connections]:
            try:
                answered[i] += _get(port, url, cookie, connection)[0] == 200
            except OSError:
                connection.close()
                connection = HTTPConnection("127.0.0.1", port, timeout=30)
        connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(answered)


def _percentile(values: list[float], share: float) -> float:
    return values[min(len(values) - 1, round(share * (len(values) - 1)))]


# --- the benchmark ----------------------------------------------------------------------------


def _options(argv: list[str]) -> tuple[float, int, int]:
    seconds, rounds, memory_requests = 3.0, 3, MEMORY_REQUESTS
    for arg in argv:
        if arg.startswith("--seconds="):
            seconds = float(arg.split("=", 1)[1])
        elif arg.startswith("--rounds="):
            rounds = int(arg.split("=", 1)[1])
        elif arg.startswith("--memory-requests="):
            memory_requests = int(arg.split("=", 1)[1])
    return seconds, rounds, memory_requests


def _rounds(port, pages, cookies, seconds: float, rounds: int, workers: list[int]) -> dict:
    """Round after round: /healthz, then every page, each for `seconds` under the same load."""
    ratios: dict[str, list[float]] = {label: [] for label, _, _ in pages}
    rates: dict[str, list[float]] = {label: [] for label, _, _ in pages}
    health_rates, generator_cpu, server_cpu, health_requests = [], 0.0, 0.0, 0
    for _ in range(rounds):
        before = _cpu_seconds(workers)
        health, _, cpu = _rate(port, "/healthz", "", seconds)
        server_cpu += _cpu_seconds(workers) - before
        generator_cpu += cpu
        health_requests += int(health * seconds)
        health_rates.append(health)
        for label, who, url in pages:
            rate, bad, _ = _rate(port, url, cookies[who], seconds)
            if bad:
                print(f"  {label}: {bad} answers were not 200")
            rates[label].append(rate)
            ratios[label].append(rate / health)
    return {
        "health": health_rates,
        "rates": rates,
        "ratios": ratios,
        "generator_us": generator_cpu / max(health_requests, 1) * 1e6,
        "server_us": server_cpu / max(health_requests, 1) * 1e6,
    }


def _verdict(ok: bool) -> str:
    return "met" if ok else "NOT met"


def run(argv: list[str]) -> bool:
    seconds, rounds, memory_requests = _options(argv)
    _configure()
    print(f"pages: seeding (seed_demo --dyads {DYADS}, idempotent) and ANALYZE ...", flush=True)
    _seed()
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    meetings = _top_up_meetings()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    ids = _ids()
    pages = [(label, who.format(**ids), url.format(**ids)) for label, who, url in PAGES]
    sessions = _sessions({who for _, who, _ in pages})
    cookie_name = settings.SESSION_COOKIE_NAME
    cookies = {who: f"{cookie_name}={key}" for who, key in sessions.items()}
    connection.close()

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = _start_gunicorn(port)
    ok = True
    try:
        answering = []
        for label, who, url in pages:  # every page answers before anything is timed
            status = _get(port, url, cookies[who])[0]
            if status == 200:
                answering.append((label, who, url))
            else:
                ok = False
                print(f"  {label}: {url} answered {status}; left out")
        pages = answering
        workers = _workers(server)
        print(
            f"pages: gunicorn -w {WORKERS} (gthread), PostgreSQL {settings.DATABASES['default']['NAME']}, "
            f"{CONNECTIONS} keep-alive connections from {PROCESSES} generator processes, "
            f"{seconds:g} s per page, {rounds} rounds"
        )
        # The same pages from a server that renders every page (KEEP_PAGES=0), one round: what a
        # page costs the first time it is seen in a state of the database (mentoring/pagecache.py).
        _stop(server)
        server = _start_gunicorn(port, keep_pages=False)
        rendered = _rounds(port, pages, cookies, seconds, 1, _workers(server))
        _stop(server)
        server = _start_gunicorn(port)
        workers = _workers(server)
        measured = _rounds(port, pages, cookies, seconds, rounds, workers)
        health = statistics.median(measured["health"])
        print(
            f"  /healthz: {health:,.0f} req/s (median of {rounds}; the machine's ceiling for this "
            f"stack). Generator CPU {measured['generator_us']:.0f} µs per request, gunicorn's "
            f"workers {measured['server_us']:.0f} µs: {os.cpu_count()} cores shared by both"
        )
        print(
            f"  {'page':<34} {'req/s':>8} {'of /healthz':>12}   target            "
            f"{'rendered every time':>20}"
        )
        for label, _, _ in pages:
            ratio = statistics.median(measured["ratios"][label])
            target = TARGET_HOME if label.startswith("home") else TARGET_OTHER
            page_ok = ratio >= target
            ok &= page_ok
            cold = rendered["ratios"][label][0]
            print(
                f"  {label:<34} {statistics.median(measured['rates'][label]):>8.1f} {ratio:>11.1%}"
                f"   >= {target:.0%}: {_verdict(page_ok):<8} "
                f"{rendered['rates'][label][0]:>9.1f} req/s {cold:>6.1%}"
            )
        print(
            "  (req/s and the target: a page seen again in the same state of the database, as kept;"
            " 'rendered every time': the same page rendered for each request, as after any write)"
        )

        for label, who, url in pages:
            if label not in FIXED:
                continue
            latencies = _fixed_rate(port, url, cookies[who], FIXED_RATE, FIXED_SECONDS)
            p95 = _percentile(latencies, 0.95)
            fixed_ok = p95 <= TARGET_P95_MS
            ok &= fixed_ok
            print(
                f"  {label} at {FIXED_RATE} req/s for {FIXED_SECONDS} s: p50 "
                f"{_percentile(latencies, 0.5):.0f} ms, p95 {p95:.0f} ms, p99 "
                f"{_percentile(latencies, 0.99):.0f} ms (target p95 <= {TARGET_P95_MS} ms: "
                f"{_verdict(fixed_ok)})"
            )

        before = {pid: _rss_mb(pid) for pid in workers}
        every = [(url, cookies[who]) for _, who, url in pages]
        requests = (every * (memory_requests // len(every) + 1))[:memory_requests]
        started = time.monotonic()
        answered = _spread(port, requests, CONNECTIONS)
        sent = len(requests)
        after = {pid: _rss_mb(pid) for pid in workers}
        print(
            f"  {sent:,} requests over every page in {time.monotonic() - started:.0f} s, "
            f"{answered:,} answered 200"
        )
        growth = max(after[pid] - before[pid] for pid in workers)
        flat = growth <= 5  # MB: allocator noise, not a leak
        ok &= flat
        print(
            f"  RSS of the {WORKERS} workers before / after {sent:,} requests: "
            + ", ".join(f"{before[p]:.1f} -> {after[p]:.1f} MB" for p in workers)
            + f" (target flat, <= 5 MB growth: {_verdict(flat)})"
        )

        csv_url = f"/reports/programs/{ids['load']}/exports/meetings.csv"
        before = {pid: _rss_mb(pid) for pid in workers}
        first_byte, took, sent, lines = _download(port, csv_url, cookies["load-admin@example.com"])
        after = {pid: _rss_mb(pid) for pid in workers}
        csv_ok = first_byte < TARGET_CSV_FIRST_BYTE_S and lines > CSV_MEETINGS
        ok &= csv_ok
        print(
            f"  meetings CSV of the 1,000-dyad program ({meetings:,} meetings): first byte after "
            f"{first_byte * 1000:.0f} ms (target < {TARGET_CSV_FIRST_BYTE_S:g} s: "
            f"{_verdict(csv_ok)}), all {lines:,} lines in {took:.1f} s, {sent / 1024:,.0f} KiB "
            "gzipped; workers' RSS "
            + ", ".join(f"{before[p]:.1f} -> {after[p]:.1f} MB" for p in workers)
        )
    finally:
        _stop(server)
    return ok
