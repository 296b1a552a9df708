"""The pages benchmark: the traffic people make, as a share of `/healthz` measured in the same run,
its latency at a fixed rate, and the workers' memory (issue 21; the meetings CSV of issue 13).

Under gunicorn as deployed (deploy/gunicorn.conf.py, `-w 2`, DEBUG off) on PostgreSQL with
`seed_demo --dyads 1000` (its meetings topped up to 10,000) and fresh statistics (ANALYZE):

The mix: 201 people of the 1,000-dyad program, each on their own pages. 100 mentees and 100
mentors (the mentees of its first 100 active dyads by pk, the mentors of the next 100, so no two
share a dyad) each ask for PERSON_PAGES: home twice, the meetings list, the goals list, their plan
page (a mentor: their mentee's) and their dyad's latest meeting. The load admin asks for
ADMIN_PAGES: home twice, the program page, the attention list, the trends and the annual report.
That is 1,206 requests in one round-robin order: each person in turn asks for their next page (a
mentee, a mentor, a mentee, ...; each starts at a different page), the admin's six spread evenly,
so that any 200 consecutive requests come from 200 different people and hold every kind of page
about equally: the mix in small.

The load generator is wrk (the Debian package, installed here if missing): a C client on one thread,
so it does not compete for the Python cores it measures. A Lua script (written next to the request
list in a temporary directory) hands out the requests in that order over 8 keep-alive connections
(each wrk thread takes every n-th, from its own offset) and counts every answer that is not 200: a
redirect, a 404 or an error is not speed, and fails the run. Each run of the mix goes on where the
previous one stopped, so successive rounds ask for the next pages of the order (the printout says
how far through it the rounds got). Requests carry the
person's session cookie (a session made the way Django's test client's `force_login` makes it),
`X-Forwarded-Proto: https` as nginx sends them (deploy/nginx.conf), so production's HTTPS settings
apply as behind it, and `Accept-Encoding: gzip` as browsers do.

Meanwhile a background writer (a process of its own, psycopg2) commits 2.5 writes a second, one
transaction each, to tables the pages read: alternately a person's `last_login` (their user row,
read on every page they load) and the shared notes of a meeting the mix shows (as
meetings.services.save_shared_notes writes them: text, version, who and when). It runs through
everything timed, `/healthz` included; what it committed in each round, in the latency run and in
the memory run is printed (target >= 2 writes a second in each).

It measures, and prints beside each target ("met" / "NOT met"):
1. rounds (`--rounds=`, default 3), each the mix for `--seconds=` (default 10), then each page
   family alone for `--family-seconds=` (default 4: shorter, and said so), each split in
   `--pairs=` (default 3) short runs that alternate with runs of `/healthz` of `--health-seconds=`
   (default 1): the requests per second answered 200, as a share of the `/healthz` run just before
   (this machine's speed moves by half within seconds, `/healthz` between 500 and 900 req/s and
   the pages with it, so a share is only taken of a `/healthz` measured in the same state), the
   median of a round's runs, then the median of the rounds. Targets: the mix >= 12 %, each home family (mentees', mentors', the admin's) >= 15 %,
   the plan page of the 1,000-dyad program >= 6 %; the other families print their share;
2. the mix at a fixed 30 requests a second for 20 s (open loop, from a Python client: each latency
   counts from the moment its request was due, so a slow answer delays the next ones' figures too):
   p50 / p95 / p99, target p95 <= 150 ms;
3. the resident memory (RSS) of each gunicorn worker before and after `--memory-requests=`
   (default 10,000) more requests of the mix: target flat (<= 5 MB growth);
4. the 1,000-dyad program's meetings CSV, downloaded as a browser would (gzip): time to its first
   byte (target < 1 s), the whole download, its rows, and the workers' memory before and after (it
   streams: no whole file in memory).
Every distinct request is sent once before anything is timed (it must answer 200), which also warms
the workers. It returns True only when every target is met.

Its database is PostgreSQL `mentoring_bench_pages` (BENCH_PAGES_DATABASE_URL to choose): created and
seeded on the first run, kept for the next ones (seed_demo changes nothing when run again).
"""

import contextlib
import multiprocessing
import os
import re
import resource
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import zlib
from http.client import HTTPConnection
from pathlib import Path

from benchmarks import answers

ROOT = Path(__file__).resolve().parent.parent
BENCH_DB = "mentoring_bench_pages"
DYADS = 1_000
LOAD_ADMIN = "load-admin@example.com"
PEOPLE = 100  # mentees, and as many mentors, of the 1,000-dyad program
WORKERS = 2
CONNECTIONS = 8  # wrk's keep-alive connections
WRK_THREADS = 1  # a C client needs one thread for this; the cores are left to gunicorn
# The background writer's pace: above the 2 a second asked for, so that a commit delayed past the
# end of a timed stretch by a busy machine does not take that stretch below 2.
WRITES_PER_SECOND = 2.5
FIXED_RATE = 30  # requests a second for the latency measurement
FIXED_SECONDS = 20
MEMORY_REQUESTS = 10_000
TARGET_MIX = 0.12
TARGET_WRITES = 2.0
TARGET_P95_MS = 150
TARGET_RSS_GROWTH_MB = 5  # allocator noise, not a leak
CSV_MEETINGS = 10_000  # the meetings export is timed with at least this many meetings (issue 13)
TARGET_CSV_FIRST_BYTE_S = 1.0

# What each mentee and mentor of the mix asks for, in order: (page, URL). `{...}` is filled per
# person by `_people()`. A mentor's plan page is their mentee's.
PERSON_PAGES = [
    ("home", "/"),
    ("meetings list", "/meetings/"),
    ("home", "/"),
    ("goals list", "/goals/"),
    ("plan page", "/goals/plan/{program_id}/{mentee_id}/"),
    ("meeting page", "/meetings/{meeting_id}/"),
]
# What the load admin asks for, spread through the mix.
ADMIN_PAGES = [
    ("home", "/"),
    ("program page", "/programs/{slug}/"),
    ("home", "/"),
    ("attention list", "/feedback/programs/{slug}/attention/"),
    ("reports", "/reports/programs/{slug}/trends/"),
    ("reports", "/reports/programs/{slug}/annual/"),
]
# The families each measured alone, in the printed order, with their targets (share of /healthz).
FAMILIES = {
    "home, mentees": 0.15,
    "home, mentors": 0.15,
    "home, the admin": 0.15,
    "meetings list": None,
    "goals list": None,
    "plan page": 0.06,
    "meeting page": None,
    "program page": None,
    "attention list": None,
    "reports": None,
}

# wrk's script: hands out the requests of a file in their order and counts every answer that is
# not 200. wrk gives each of its threads a Lua state of its own: thread `id` of `stride` takes
# requests first + id, first + id + stride, ... Arguments: <file> <first> <limit, 0: none> <stride>.
WRK_SCRIPT = r"""
local threads = {}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  queue = {}
  for line in io.lines(args[1]) do
    local path, cookie = line:match("^([^\t]*)\t(.*)$")
    local headers = {
      ["Host"] = "127.0.0.1",
      ["X-Forwarded-Proto"] = "https",
      ["Accept-Encoding"] = "gzip",
    }
    if cookie ~= "" then headers["Cookie"] = cookie end
    table.insert(queue, wrk.format("GET", path, headers))
  end
  stride = tonumber(args[4])
  position = tonumber(args[2]) + id
  limit = math.ceil(tonumber(args[3]) / stride)
  sent, ok, bad, codes = 0, 0, 0, {}
end

function request()
  local raw = queue[position % #queue + 1]
  position = position + stride
  sent = sent + 1
  return raw
end

function response(status, headers, body)
  if status == 200 then
    ok = ok + 1
  else
    bad = bad + 1
    codes[tostring(status)] = (codes[tostring(status)] or 0) + 1
  end
  if limit > 0 and ok + bad >= limit then wrk.thread:stop() end
end

function done(summary, latency, requests)
  local ok, bad, sent, codes = 0, 0, 0, {}
  for _, thread in ipairs(threads) do
    ok = ok + thread:get("ok")
    bad = bad + thread:get("bad")
    sent = sent + thread:get("sent")
    for code, n in pairs(thread:get("codes")) do codes[code] = (codes[code] or 0) + n end
  end
  local listed = {}
  for code, n in pairs(codes) do table.insert(listed, code .. "x" .. n) end
  local e = summary.errors
  io.write(string.format(
    "pages-wrk ok=%d bad=%d sent=%d duration_us=%d socket_errors=%d codes=%s\n",
    ok, bad, sent, summary.duration, e.connect + e.read + e.write + e.timeout,
    table.concat(listed, ",")))
end
"""


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


def _wrk() -> str:
    """wrk's path: Debian's package, installed if missing (as root), else a clear exit."""
    found = shutil.which("wrk")
    if found:
        return found
    if os.geteuid() == 0 and shutil.which("apt-get"):
        print("pages: installing wrk (apt-get install -y wrk) ...", flush=True)
        install = ["apt-get", "install", "-y", "-q", "wrk"]
        if subprocess.run(install, check=False, stdout=subprocess.DEVNULL).returncode:
            subprocess.run(["apt-get", "update", "-q"], check=False, stdout=subprocess.DEVNULL)
            subprocess.run(install, check=False, stdout=subprocess.DEVNULL)
        found = shutil.which("wrk")
        if found:
            return found
    raise SystemExit("pages: needs wrk, the HTTP load generator: apt-get install wrk")


def _people() -> list[dict]:
    """The people of the mix: the mentees of the load program's first PEOPLE active dyads and the
    mentors of the next PEOPLE (by pk), taken in turn (a mentee, a mentor, ...), then its admin.
    Each: role, id, email and their URLs' fields, their dyad's latest meeting included."""
    from meetings.models import Meeting
    from mentoring.models import User
    from programs.models import Dyad, Program

    load = Program.objects.get(slug=f"load-{DYADS}")
    dyads = list(
        Dyad.objects.filter(program=load, status=Dyad.Status.ACTIVE)
        .order_by("pk")
        .values("pk", "mentee_id", "mentor_id")[: 2 * PEOPLE]
    )
    if len(dyads) < 2 * PEOPLE:
        raise SystemExit(f"pages: the load program has {len(dyads)} active dyads, not {2 * PEOPLE}")
    latest = {}
    meetings = Meeting.objects.filter(dyad_id__in=[d["pk"] for d in dyads]).exclude(starts_at=None)
    for dyad_id, pk, starts_at in meetings.values_list("dyad_id", "pk", "starts_at"):
        latest[dyad_id] = max(latest.get(dyad_id, (starts_at, pk)), (starts_at, pk))
    ids = {d["mentee_id"] for d in dyads} | {d["mentor_id"] for d in dyads}
    emails = dict(User.objects.filter(pk__in=ids).values_list("pk", "email"))

    def person(role: str, dyad: dict) -> dict:
        if dyad["pk"] not in latest:
            raise SystemExit(f"pages: dyad {dyad['pk']} has no meeting (top-up missing?)")
        return {
            "role": role,
            "id": dyad[f"{role}_id"],
            "email": emails[dyad[f"{role}_id"]],
            "program_id": load.pk,
            "mentee_id": dyad["mentee_id"],
            "meeting_id": latest[dyad["pk"]][1],
        }

    people = []
    for mentee_dyad, mentor_dyad in zip(dyads[:PEOPLE], dyads[PEOPLE:], strict=True):
        people += [person("mentee", mentee_dyad), person("mentor", mentor_dyad)]
    admin = User.objects.get(email=LOAD_ADMIN)
    return [*people, {"role": "admin", "id": admin.pk, "email": admin.email, "slug": load.slug}]


def _top_up_meetings() -> int:
    """Held meetings added to the 1,000-dyad program until it has CSV_MEETINGS (idempotent):
    spread over its dyads and the past year. Returns how many meetings it has."""
    from datetime import timedelta

    from django.utils import timezone

    from meetings.models import Meeting
    from programs.models import Dyad, Program

    load = Program.objects.get(memberships__user__email=LOAD_ADMIN)
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


def _mix(people: list[dict], cookies: dict[str, str]) -> list[tuple[str, str, str]]:
    """The mix in its round-robin order: (family, path, cookie). Each person in turn asks for
    their next page, so any len(people) - 1 consecutive requests come from as many people; each
    starts at a different page of PERSON_PAGES (the k-th mentee and the k-th mentor at the same),
    so such a stretch holds every page about equally. The admin's requests are spread evenly."""
    mix = []
    for cycle in range(len(PERSON_PAGES)):
        for n, person in enumerate(people[:-1]):
            page, url = PERSON_PAGES[(n // 2 + cycle) % len(PERSON_PAGES)]
            family = f"home, {person['role']}s" if page == "home" else page
            mix.append((family, url.format(**person), cookies[person["email"]]))
    admin = people[-1]
    spacing = len(mix) // len(ADMIN_PAGES)
    for n, (page, url) in reversed(list(enumerate(ADMIN_PAGES))):
        family = "home, the admin" if page == "home" else page
        mix.insert(
            n * spacing + spacing // 2, (family, url.format(**admin), cookies[admin["email"]])
        )
    return mix


def _start_gunicorn(port: int) -> subprocess.Popen:
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
    server = subprocess.Popen(command, cwd=ROOT, start_new_session=True)
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
    return sorted(int(pid) for pid in out.split())


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


# --- the background writer --------------------------------------------------------------------


def _write(database: dict, people: list[int], meetings: list[tuple[int, int]], count) -> None:
    """The writer process: WRITES_PER_SECOND commits, alternately a person's last sign-in and the
    shared notes of a meeting of the mix, until it is terminated. `count` counts the commits."""
    import psycopg2

    connection = psycopg2.connect(
        host=database["HOST"] or None,
        port=database["PORT"] or None,
        user=database["USER"] or None,
        password=database["PASSWORD"] or None,
        dbname=database["NAME"],
    )
    connection.autocommit = True  # each statement its own transaction, committed
    started = time.monotonic()
    n = 0
    with connection.cursor() as cursor:
        while True:
            # Open loop: a write delayed by a busy database is made up for, not dropped.
            pause = started + n / WRITES_PER_SECOND - time.monotonic()
            if pause > 0:
                time.sleep(pause)
            if n % 2 == 0:
                cursor.execute(
                    "UPDATE mentoring_user SET last_login = now() WHERE id = %s",
                    [people[n // 2 % len(people)]],
                )
            else:
                meeting, by = meetings[n // 2 % len(meetings)]
                cursor.execute(
                    "UPDATE meetings_meeting SET notes = %s, notes_version = notes_version + 1, "
                    "notes_updated_at = now(), notes_updated_by_id = %s WHERE id = %s",
                    [f"Agreed the next steps (write {n} of the benchmark).", by, meeting],
                )
            with count.get_lock():
                count.value += 1
            n += 1


class Writer:
    """The background writer (a process of its own), and the commits it made in each timed window."""

    def __init__(self, database: dict, people: list[dict]):
        spawn = multiprocessing.get_context("spawn")
        self.count = spawn.Value("l", 0)
        ids = [person["id"] for person in people]
        meetings = [
            (person["meeting_id"], person["id"]) for person in people if "meeting_id" in person
        ]
        self.process = spawn.Process(
            target=_write, args=(database, ids, meetings, self.count), daemon=True
        )
        self.windows: list[tuple[str, int, float]] = []  # (what, commits, seconds)

    def start(self) -> None:
        self.process.start()
        while not self.count.value:  # its first commit: every timed window has the writer on
            if not self.process.is_alive():
                raise SystemExit("pages: the background writer stopped before its first write")
            time.sleep(0.05)

    def stop(self) -> None:
        if self.process.is_alive():
            self.process.terminate()
            self.process.join()

    @contextlib.contextmanager
    def window(self, name: str):
        """A timed stretch (a round, the latency run, the memory run): its commits are noted."""
        before, started = self.count.value, time.monotonic()
        yield
        self.windows.append((name, self.count.value - before, time.monotonic() - started))

    def report(self) -> bool:
        """Print the writes a second it committed in each window; whether each had TARGET_WRITES."""
        rates = {name: n / seconds for name, n, seconds in self.windows}
        ok = min(rates.values()) >= TARGET_WRITES
        print(
            "  the background writer committed "
            + ", ".join(f"{rate:.2f} writes/s in {name}" for name, rate in rates.items())
            + f" (target >= {TARGET_WRITES:g} in each: {_verdict(ok)})"
        )
        return ok


# --- the load generators ----------------------------------------------------------------------


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


class Wrk:
    """wrk over request lists written to a temporary directory, with WRK_SCRIPT."""

    def __init__(self, port: int, directory: Path):
        self.binary = _wrk()
        self.version = subprocess.run(
            [self.binary, "--version"], capture_output=True, text=True, check=False
        ).stdout.split(" [")[0]
        self.port = port
        self.directory = directory
        (directory / "pages.lua").write_text(WRK_SCRIPT)
        self.lists: dict[str, Path] = {}
        self.cpu = 0.0  # CPU seconds wrk spent, in all

    def add(self, name: str, requests: list[tuple[str, str]]) -> None:
        """A request list: (path, cookie) in their round-robin order."""
        path = self.directory / f"{len(self.lists)}.txt"
        path.write_text("".join(f"{url}\t{cookie}\n" for url, cookie in requests))
        self.lists[name] = path

    def run(self, name: str, seconds: float, first: int = 0, limit: int = 0) -> dict:
        """The list `name` for `seconds` from its request `first` (or until `limit` answers):
        {"rate": answered 200 a second, "ok", "bad", "codes", "sent"}."""
        command = [
            self.binary,
            f"-t{WRK_THREADS}",
            f"-c{CONNECTIONS}",
            f"-d{max(1, round(seconds))}s",
            "--timeout=30s",
            "--latency",
            "-s",
            str(self.directory / "pages.lua"),
            f"http://127.0.0.1:{self.port}",
            "--",
            str(self.lists[name]),
            str(first),
            str(limit),
            str(WRK_THREADS),
        ]
        cpu = resource.getrusage(resource.RUSAGE_CHILDREN)
        out = subprocess.run(
            command, capture_output=True, text=True, check=False, timeout=seconds + 120
        )
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        self.cpu += after.ru_utime + after.ru_stime - cpu.ru_utime - cpu.ru_stime
        line = re.search(r"^pages-wrk (.*)$", out.stdout, re.MULTILINE)
        reported = re.search(r"^Requests/sec:\s+([\d.]+)", out.stdout, re.MULTILINE)
        if out.returncode or not line or not reported:
            raise SystemExit(f"pages: wrk failed ({out.returncode}):\n{out.stdout}{out.stderr}")
        fields = dict(field.split("=", 1) for field in line.group(1).split())
        ok, bad = int(fields["ok"]), int(fields["bad"]) + int(fields["socket_errors"])
        return {
            "rate": ok / (int(fields["duration_us"]) / 1e6),
            "wrk_rate": float(reported.group(1)),
            "ok": ok,
            "bad": bad,
            "codes": fields["codes"],
            "sent": int(fields["sent"]),
        }


def _fixed_rate(port: int, requests: list[tuple[str, str]], first: int) -> tuple[list[float], int]:
    """Latencies (ms) of FIXED_RATE requests a second for FIXED_SECONDS, round-robin over
    `requests` from `first`, each from the moment it was due; and how many did not answer 200.
    A server that cannot keep up is not waited for past twice the time: what was never sent counts
    as infinitely late."""
    count = FIXED_RATE * FIXED_SECONDS
    give_up = time.monotonic() + 2 * FIXED_SECONDS + 1
    start = time.monotonic() + 0.2
    latencies: list[float] = []
    failed = [0]
    lock = threading.Lock()
    slots = iter(range(count))

    def worker():
        connection = HTTPConnection("127.0.0.1", port, timeout=30)
        while True:
            with lock:
                n = next(slots, None)
            if n is None:
                break
            due = start + n / FIXED_RATE
            if time.monotonic() > give_up:
                with lock:
                    latencies.append(float("inf"))
                continue
            pause = due - time.monotonic()
            if pause > 0:
                time.sleep(pause)
            url, cookie = requests[(first + n) % len(requests)]
            try:
                status, _ = _get(port, url, cookie, connection)
            except OSError:
                connection.close()
                connection = HTTPConnection("127.0.0.1", port, timeout=30)
                status = 0
            took = (time.monotonic() - due) * 1000
            with lock:
                latencies.append(took if status == 200 else float("inf"))
                failed[0] += status != 200
        connection.close()

    # Enough connections that a slow answer never holds back the next request's departure.
    threads = [threading.Thread(target=worker) for _ in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(latencies), failed[0]


def _statuses(port: int, requests: list[tuple[str, str]]) -> list[int]:
    """Each (path, cookie) sent once over CONNECTIONS keep-alive connections: its status."""
    statuses = [0] * len(requests)

    def worker(i):
        connection = HTTPConnection("127.0.0.1", port, timeout=60)
        for n in range(i, len(requests), CONNECTIONS):
            try:
                statuses[n] = _get(port, *requests[n], connection)[0]
            except OSError:
                connection.close()
                connection = HTTPConnection("127.0.0.1", port, timeout=60)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(CONNECTIONS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses


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


def _percentile(values: list[float], share: float) -> float:
    return values[min(len(values) - 1, round(share * (len(values) - 1)))]


# --- the benchmark ----------------------------------------------------------------------------


def _options(argv: list[str]) -> dict:
    options = {
        "seconds": 10.0,
        "family_seconds": 4.0,
        "health_seconds": 1.0,
        "pairs": 3,
        "rounds": 3,
        "memory_requests": MEMORY_REQUESTS,
    }
    for arg in argv:
        name, _, value = arg.removeprefix("--").partition("=")
        name = name.replace("-", "_")
        if name in options and value:
            options[name] = type(options[name])(value)
    return options


def _verdict(ok: bool) -> str:
    return "met" if ok else "NOT met"


def _failures(label: str, result: dict) -> bool:
    """Print a run's answers that were not 200; whether there were any."""
    if result["bad"]:
        print(
            f"    {label}: {result['bad']} answers not 200 ({result['codes'] or 'socket errors'})"
        )
    return bool(result["bad"])


def _all_answer(port: int, mix: list[tuple[str, str, str]]) -> bool:
    """Every distinct request of the mix, once: whether each answered 200 (the others printed)."""
    distinct = list(dict.fromkeys((url, cookie) for _, url, cookie in mix))
    statuses = dict(zip(distinct, _statuses(port, distinct), strict=True))
    wrong = [
        (f, url, statuses[url, cookie]) for f, url, cookie in mix if statuses[url, cookie] != 200
    ]
    for family, url, status in wrong[:20]:
        print(f"  {family}: {url} answered {status or 'nothing'}")
    if wrong:
        print(f"pages: {len(wrong)} requests of the mix did not answer 200; nothing timed")
    return not wrong


# wrk opens its connections at once and one gunicorn worker often accepts all of them: that run
# is served by one process, one core, at about half the rate (/healthz 530 against 800 req/s;
# pages alike), whatever the pages cost. Many people's connections come and go and spread over
# both workers, so a run counts only when both workers served it (each used at least BALANCE of
# the other's CPU); an unbalanced run is run again, up to BALANCE_TRIES times.
BALANCE = 0.5
BALANCE_TRIES = 8


def _balanced(wrk: Wrk, workers: list[int], name: str, seconds: float, first: int = 0) -> dict:
    """wrk.run(name, seconds, first) until both workers served it (see BALANCE); the result with
    `reruns`, the unbalanced runs left out, and `sent` counting them too."""
    sent, reruns = 0, -1
    while reruns < BALANCE_TRIES - 1:
        reruns += 1
        before = [_cpu_seconds([pid]) for pid in workers]
        result = wrk.run(name, seconds, first + sent)
        used = [_cpu_seconds([pid]) - b for pid, b in zip(workers, before, strict=True)]
        sent += result["sent"]
        if min(used) >= BALANCE * max(used):
            break
    return {**result, "reruns": reruns, "sent": sent}


def _rounds(wrk: Wrk, writer: Writer, mix: list, workers: list[int], options: dict) -> tuple:
    """Round after round: the mix, then each family alone, each in short runs that alternate
    with runs of /healthz; a run's share is taken of the /healthz run just before it, a round's
    share is the median of its runs'. This machine's speed moves by half within seconds (/healthz
    between 500 and 900 req/s, the pages with it), so only a /healthz measured in the same state
    says what a page costs against it. Prints the medians of the rounds beside the targets;
    (whether all were met, the mix's median rate, where its round-robin got to)."""
    seconds, family_seconds, rounds = (options[k] for k in ("seconds", "family_seconds", "rounds"))
    health_seconds, pairs = options["health_seconds"], options["pairs"]
    ok = True
    health: list[float] = []
    rates: dict[str, list[float]] = {name: [] for name in ["mix", *FAMILIES]}
    shares: dict[str, list[float]] = {name: [] for name in rates}
    cpu = {"wrk": 0.0, "gunicorn": 0.0}
    health_requests = 0
    reruns = 0
    position = 0  # where the mix's round-robin goes on from
    for r in range(rounds):
        with writer.window(f"round {r + 1}"):
            for name in rates:
                run_rates, run_shares = [], []
                for _ in range(pairs):
                    wrk_before, server_before = wrk.cpu, _cpu_seconds(workers)
                    result = _balanced(wrk, workers, "/healthz", health_seconds)
                    cpu["wrk"] += wrk.cpu - wrk_before
                    cpu["gunicorn"] += _cpu_seconds(workers) - server_before
                    health_requests += result["sent"]
                    reruns += result["reruns"]
                    ok &= not _failures("/healthz", result)
                    health.append(result["rate"])
                    if name == "mix":
                        result = _balanced(wrk, workers, "mix", seconds / pairs, position)
                        position += result["sent"]
                    else:
                        result = _balanced(wrk, workers, name, family_seconds / pairs)
                    reruns += result["reruns"]
                    ok &= not _failures(name, result)
                    run_rates.append(result["rate"])
                    run_shares.append(result["rate"] / health[-1])
                rates[name].append(statistics.median(run_rates))
                shares[name].append(statistics.median(run_shares))
        print(
            f"  round {r + 1}: the mix {rates['mix'][-1]:,.1f} req/s, {shares['mix'][-1]:.1%} of "
            f"/healthz; /healthz ranged {min(health[-pairs * len(rates) :]):,.0f}-"
            f"{max(health[-pairs * len(rates) :]):,.0f} req/s",
            flush=True,
        )
    print(
        f"  /healthz: {statistics.median(health):,.0f} req/s, median of its {len(health)} runs. CPU per "
        f"/healthz request: wrk {cpu['wrk'] / health_requests * 1e6:.0f} µs, gunicorn's workers "
        f"{cpu['gunicorn'] / health_requests * 1e6:.0f} µs ({os.cpu_count()} cores for both)"
    )
    print(
        f"  {reruns} runs were run again because one gunicorn worker had taken wrk's connections"
        f" (BALANCE): each share counts runs that both workers served"
    )
    print(
        f"  the mix's runs went {position:,} requests into its round-robin ({position / len(mix):.1f}"
        f" times through its {len(mix):,}), each run going on where the last one stopped"
    )
    print(f"  {'':<18} {'requests':>8} {'req/s':>8} {'of /healthz':>12}   target")
    for name in rates:
        share = statistics.median(shares[name])
        target = TARGET_MIX if name == "mix" else FAMILIES[name]
        requests = len(mix) if name == "mix" else sum(f == name for f, _, _ in mix)
        line = (
            f"  {'the mix' if name == 'mix' else name:<18} {requests:>8,} "
            f"{statistics.median(rates[name]):>8.1f} {share:>11.1%}"
        )
        if target is not None:
            ok &= share >= target
            line += f"   >= {target:.0%}: {_verdict(share >= target)}"
        print(line)
    print(
        f"  (requests: in the mix's round-robin; req/s and share: median of {rounds} rounds, each "
        f"the median of {pairs} runs, each a share of the /healthz run ({health_seconds:g} s) just "
        f"before it; the mix {seconds:g} s a round, each family alone {family_seconds:g} s a round)"
    )
    if rounds < 3:
        ok = False
        print("  fewer than 3 rounds: no median to hold to the targets (NOT met)")
    return ok, statistics.median(rates["mix"]), position


def _latency(port: int, writer: Writer, mix: list, position: int) -> tuple[bool, int]:
    """The mix at FIXED_RATE from `position`: prints p50 / p95 / p99; (target met, position)."""
    requests = [(url, cookie) for _, url, cookie in mix]
    with writer.window("the latency run"):
        latencies, failed = _fixed_rate(port, requests, position)
    p95 = _percentile(latencies, 0.95)
    ok = p95 <= TARGET_P95_MS and not failed
    print(
        f"  the mix at {FIXED_RATE} req/s for {FIXED_SECONDS} s (open loop): p50 "
        f"{_percentile(latencies, 0.5):.0f} ms, p95 {p95:.0f} ms, p99 "
        f"{_percentile(latencies, 0.99):.0f} ms, {failed} not 200 "
        f"(target p95 <= {TARGET_P95_MS} ms: {_verdict(ok)})"
    )
    return ok, position + len(latencies)


def _memory(
    wrk: Wrk, writer: Writer, server, workers: list[int], rate: float, position: int, count: int
) -> bool:
    """Each worker's RSS before and after `count` more requests of the mix: flat?"""
    before = {pid: _rss_mb(pid) for pid in workers}
    started, answered, ok = time.monotonic(), 0, True
    with writer.window("the memory run"):
        while answered < count:
            # wrk waits out its whole duration even once the limit stopped its thread: no slack.
            left = count - answered
            result = wrk.run("mix", left / rate, position, left)
            ok &= not _failures("memory", result)
            position += result["sent"]
            answered += result["ok"] + result["bad"]
    after = {pid: _rss_mb(pid) for pid in workers}
    growth = max(after[pid] - before[pid] for pid in workers)
    same = _workers(server) == workers  # a worker replaced would make its RSS meaningless
    ok &= growth <= TARGET_RSS_GROWTH_MB and same
    print(
        f"  RSS of the {WORKERS} workers before / after {answered:,} more requests of the mix "
        f"({time.monotonic() - started:.0f} s): "
        + ", ".join(f"{before[p]:.1f} -> {after[p]:.1f} MB" for p in workers)
        + ("" if same else " (a worker was replaced meanwhile)")
        + f" (target flat, <= {TARGET_RSS_GROWTH_MB} MB growth: {_verdict(ok)})"
    )
    return ok


def _csv(port: int, workers: list[int], slug: str, cookie: str, meetings: int) -> bool:
    """The meetings CSV of the 1,000-dyad program, downloaded as a browser would (issue 13)."""
    before = {pid: _rss_mb(pid) for pid in workers}
    url = f"/reports/programs/{slug}/exports/meetings.csv"
    first_byte, took, sent, lines = _download(port, url, cookie)
    after = {pid: _rss_mb(pid) for pid in workers}
    ok = first_byte < TARGET_CSV_FIRST_BYTE_S and lines > CSV_MEETINGS
    print(
        f"  meetings CSV of the 1,000-dyad program ({meetings:,} meetings): first byte after "
        f"{first_byte * 1000:.0f} ms (target < {TARGET_CSV_FIRST_BYTE_S:g} s: "
        f"{_verdict(ok)}), all {lines:,} lines in {took:.1f} s, {sent / 1024:,.0f} KiB "
        "gzipped; workers' RSS "
        + ", ".join(f"{before[p]:.1f} -> {after[p]:.1f} MB" for p in workers)
    )
    return ok


def run(argv: list[str]) -> bool:
    options = _options(argv)
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
    people = _people()
    sessions = _sessions({person["email"] for person in people})
    cookies = {email: f"{settings.SESSION_COOKIE_NAME}={key}" for email, key in sessions.items()}
    keys = ("NAME", "USER", "PASSWORD", "HOST", "PORT")
    database = {key: settings.DATABASES["default"][key] for key in keys}
    connection.close()
    mix = _mix(people, cookies)

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = _start_gunicorn(port)
    writer = Writer(database, people)
    try:
        with tempfile.TemporaryDirectory(prefix="bench-pages-") as directory:
            wrk = Wrk(port, Path(directory))
            print(
                f"pages: each of the mix's {len(mix):,} requests once, before timing ...",
                flush=True,
            )
            if not _all_answer(port, mix):
                return False
            wrk.add("/healthz", [("/healthz", "")])
            wrk.add("mix", [(url, cookie) for _, url, cookie in mix])
            for family in FAMILIES:
                wrk.add(family, [(url, cookie) for f, url, cookie in mix if f == family])
            workers = _workers(server)
            writer.start()
            print(
                f"pages: gunicorn -w {WORKERS} (gthread), PostgreSQL {database['NAME']}; "
                f"{len(people)} people of the {DYADS:,}-dyad program ({PEOPLE} mentees, {PEOPLE} "
                f"mentors, its admin), {len(mix):,} requests round-robin; load from "
                f"{wrk.version} (-t{WRK_THREADS} -c{CONNECTIONS}); a writer committing "
                f"{WRITES_PER_SECOND:g} writes/s throughout; {options['rounds']} rounds of the "
                f"mix {options['seconds']:g} s, then each family alone "
                f"{options['family_seconds']:g} s, each in {options['pairs']} runs after /healthz "
                f"runs of {options['health_seconds']:g} s",
                flush=True,
            )
            ok, rate, position = _rounds(wrk, writer, mix, workers, options)
            fixed_ok, position = _latency(port, writer, mix, position)
            ok &= fixed_ok
            ok &= _memory(wrk, writer, server, workers, rate, position, options["memory_requests"])
            writer.stop()
            ok &= writer.report()
        ok &= _csv(port, workers, people[-1]["slug"], cookies[LOAD_ADMIN], meetings)
    finally:
        writer.stop()
        _stop(server)
    return ok
