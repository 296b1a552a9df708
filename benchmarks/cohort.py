"""The cohort benchmark: 500 mentees without a mentor and 200 mentors (capacities 1 to 4), every
one with a profile; the admin's cohort page proposes the best total (SciPy's assignment solver
over capacity slots) and renders the draft table. Prints the page's time (read, solve, render)
beside its target of 2 s, the pairs proposed and the SQL queries it took.

It runs in a process of its own on its own database (PostgreSQL `mentoring_bench_cohort` when
PostgreSQL answers, else SQLite in var/; BENCH_COHORT_DATABASE_URL to choose), so it shares
nothing with the other parts of `python -m benchmarks`.
"""

import os
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MENTEES, MENTORS = 500, 200
TARGET_SECONDS = 2.0
BENCH_DB = "mentoring_bench_cohort"
TOPICS = [
    "grant writing",
    "health services research",
    "medical education",
    "quality improvement",
    "leadership",
    "career planning",
    "clinical trials",
    "biostatistics",
    "global health",
    "ethics",
    "informatics",
    "teaching",
]
STAGES = ["resident", "fellow", "junior_faculty", "mid_career", "senior_faculty"]


def _database_url() -> str:
    if "BENCH_COHORT_DATABASE_URL" in os.environ:
        return os.environ["BENCH_COHORT_DATABASE_URL"]
    from benchmarks import answers
    from benchmarks.reminders import _create_postgres_database

    if answers("127.0.0.1", 5432):
        _create_postgres_database(BENCH_DB)
        return f"postgres://postgres@127.0.0.1:5432/{BENCH_DB}"
    (ROOT / "var").mkdir(exist_ok=True)
    (ROOT / "var" / "bench-cohort.sqlite3").unlink(missing_ok=True)
    return f"sqlite:///{ROOT / 'var' / 'bench-cohort.sqlite3'}"


def _seed():
    from django.utils import timezone

    from mentoring.models import User
    from programs.models import Membership, Profile, Program

    program = Program.objects.create(name="Cohort benchmark", slug="cohort-bench")
    admin = User.objects.create_user("cohort-admin@bench.example", "bench-password-42")
    Membership.objects.create(program=program, user=admin, role=Membership.Role.ADMIN)
    people = User.objects.bulk_create(
        [
            User(
                email=f"person{i}@bench.example",
                name=f"Person {i:04d}",
                department=f"Department {i % 9}",
                career_stage=STAGES[(i % 3) + (2 if i < MENTORS else 0)],
                expertise=", ".join(TOPICS[(i * 5 + k) % len(TOPICS)] for k in range(3)),
                interests=", ".join(TOPICS[(i * 7 + k) % len(TOPICS)] for k in range(3)),
            )
            for i in range(MENTORS + MENTEES)
        ]
    )
    Membership.objects.bulk_create(
        [
            Membership(
                program=program,
                user=person,
                role=Membership.Role.MENTOR if i < MENTORS else Membership.Role.MENTEE,
                capacity=(i % 4) + 1 if i < MENTORS else None,
            )
            for i, person in enumerate(people)
        ]
    )
    now = timezone.now()
    Profile.objects.bulk_create(
        [
            Profile(
                user=person,
                meeting_mode=("video", "in_person", "either")[i % 3],
                meeting_frequency=("monthly", "fortnightly")[i % 2],
                # Every tenth mentee's supervisor is a mentor: never proposed.
                supervisor=people[i % MENTORS] if i >= MENTORS and i % 10 == 0 else None,
                completed_at=now,
            )
            for i, person in enumerate(people)
        ]
    )
    return program, admin


def _measure() -> bool:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    call_command("migrate", verbosity=0, interactive=False)
    program, admin = _seed()
    client = Client()
    client.force_login(admin)
    url = reverse("programs:cohort", args=[program.slug])
    client.get(url, {"run": "1"})  # warm-up: templates compiled, imports done
    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        response = client.get(url, {"run": "1"})
        seconds = time.perf_counter() - start
    assert response.status_code == 200, response.status_code
    html = response.content.decode()
    figures = re.search(
        r"<strong>(\d+)</strong> of (\d+) mentees paired, total score <strong>(\d+)</strong>", html
    )
    ok = seconds <= TARGET_SECONDS
    print(
        f"cohort: {MENTEES} mentees × {MENTORS} mentors solved and rendered in {seconds:.2f} s "
        f"(target ≤ {TARGET_SECONDS:.0f} s) {'OK' if ok else 'SLOW'}; "
        f"{figures[1]} of {figures[2]} paired, total score {figures[3]}, "
        f"{len(queries)} queries, {len(response.content) // 1024} KiB"
    )
    return ok


def run(argv: list[str]) -> bool:
    """Measure in a child process, so Django is set up on this part's own database."""
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "DJANGO_SETTINGS_MODULE": "mentoring.settings",
        "ALLOWED_HOSTS": "testserver,localhost,127.0.0.1",
    }
    child = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from benchmarks.cohort import _measure; sys.exit(0 if _measure() else 1)",
        ],
        cwd=ROOT,
        env=env,
        check=False,
    )
    return child.returncode == 0
