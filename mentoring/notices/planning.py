"""What is due becomes rows, once: one row per (kind, recipient, object, occasion).

A sweep or an action describes each notice as an `Occasion`; `plan` inserts the ones not planned
yet with one `INSERT … ON CONFLICT DO NOTHING RETURNING id`, so re-planning is a no-op and the ids
returned are exactly what is new. `deliverable_ids` names the rows waiting for a worker, and
`run_sweep` plans a sweep's findings, then hands those rows to whoever sends them.
"""

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import NamedTuple

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection, models, transaction
from django.db.models import Q
from django.utils import timezone

from mentoring import registry
from mentoring.languages import in_language_of
from mentoring.models import Notification, User


def lease() -> timedelta:
    """A claim older than this belongs to a worker that died (or hung) mid-send: the next sweep
    hands the notice out again. It must exceed the longest send (the task's hard time limit), or a
    slow send would be handed out twice while still running."""
    return timedelta(seconds=settings.NOTIFICATION_LEASE_SECONDS)


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
        type_id = type_ids[model] if model is not None else None
        rows.append(_row(kind, occasion, key=key, type_id=type_id, stamp=stamp))
    inserted: list[int] = []
    for batch in chunks(rows, PLAN_BATCH.get(connection.vendor, 500)):
        inserted += _insert_new(batch)
    return inserted


def _row(kind: str, occasion: Occasion, *, key: str, type_id: int | None, stamp) -> tuple:
    """The values of PLANNED's columns, in their order, for one occasion. The title and body are
    made text here, in the recipient's language: a lazy one (mentoring.languages.later) is
    translated for them, whoever's action planned it."""
    with in_language_of(occasion.recipient):
        title, body = str(occasion.title), str(occasion.body)
    return (
        kind,
        occasion.recipient.pk,
        occasion.program_id,
        type_id,
        occasion.target.pk if occasion.target is not None else None,
        title[:200],
        body,
        occasion.url[:500],
        json.dumps(occasion.details) if occasion.details else "{}",
        Notification.Channel.DIGEST if occasion.digest_only else "",
        key,
        stamp,
        0,
        "",
    )


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


def deliverable_by_keys(keys: list[str]) -> list[int]:
    """The notices of these dedupe keys that nobody holds, by id (an action's own notices)."""
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
    send: Callable[[Iterable[int]], int],
    now: datetime | None = None,
) -> SweepResult:
    """Plan what `find` says is due, then hand every deliverable notice of the kind to `send`
    (mentoring.notices.tasks.enqueue, or a caller's own: the management command sends in-process).

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


def sweep_kind(
    name: str, *, send: Callable[[Iterable[int]], int], now: datetime | None = None
) -> SweepResult:
    """Run one kind's sweep by name: plan what is due, then hand every deliverable notice to `send`.
    A kind that actions plan has nothing to find: its sweep hands out what is still undelivered."""
    spec = registry.kind(name)
    return run_sweep(
        name=name, kind=name, find=spec.find or _nothing, now=now or timezone.now(), send=send
    )


def _nothing(now: datetime) -> Iterator[Occasion]:
    return iter(())
