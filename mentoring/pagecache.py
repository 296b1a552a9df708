"""Pages kept, ready to send, for as long as nothing in the database has changed (issue 11).

A read page's HTML follows from the rows it reads, who asks, the address, the language and the
clock. `kept_while_unchanged` keeps a view's answer under a key made of exactly these, so a second
request for the same page in the same state is answered without running the view:

- the state of this database: a counter every write statement moves (a sequence that a
  statement-level trigger on every model's table advances, installed after each `migrate` by
  `watch_writes`) and the transactions of this database that have written and not yet ended
  (`backend_xid` of its sessions). Any write from anywhere (a form, a Celery worker, a bulk
  `update()`, the admin site, a management command, psql) moves the counter while its transaction
  is still open, and that transaction's end changes the list, so once it has committed no request
  can find the state under which a page was kept without it: there is no invalidation to forget.
  The trigger runs after its statement (the writer already has its transaction id) and the state
  is read before the view reads anything, so what the view saw is never older than its key. A
  request that has written in its own open transaction (`pg_current_xact_id_if_assigned()`)
  neither reads nor keeps pages: uncommitted rows are not for others to see. Writes to other
  databases on the same server change nothing here;
- the person (their dyads, their time zone, their navigation), the full address with its query
  string (filters, search, page number), the language, and htmx's request headers;
- the minute: a page kept at 10:04 is not sent at 10:05, so what the clock decides (overdue,
  upcoming, the next seven days) is never more than a minute late.

What belongs to one response is not kept: the CSRF token in the kept copy is replaced by a
placeholder and a fresh token goes into each response; a page with messages waiting to be shown
is neither sent from nor kept; only complete 200 HTML answers are kept. On SQLite (the embedded
default) there is no such state: nothing is kept, every page is rendered.

The store is the "pages" cache (Redis, shared by every worker; when Redis does not answer, each
process's memory). Any cache failure renders the page: a cache that is down or hung slows pages,
it never fails one.
"""

from __future__ import annotations

import hashlib
import logging
import re
import time
import zlib
from functools import wraps

from django.apps import apps
from django.core.cache import caches
from django.db import DEFAULT_DB_ALIAS, connections
from django.http import HttpResponse
from django.middleware.csrf import _unmask_cipher_token, get_token
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac

log = logging.getLogger(__name__)

CACHE_ALIAS = "pages"
COUNTER = "mentoring_writes"
TRIGGER = "mentoring_wrote"
STATE_SQL = f"""
SELECT to_regclass('{COUNTER}') IS NOT NULL,
       pg_sequence_last_value(to_regclass('{COUNTER}')),
       (SELECT string_agg(a.backend_xid::text, ',' ORDER BY a.backend_xid::text)
          FROM pg_stat_get_activity(NULL) a
         WHERE a.datid = (SELECT oid FROM pg_database WHERE datname = current_database())
           AND a.backend_xid IS NOT NULL),
       pg_current_xact_id_if_assigned() IS NOT NULL
"""
WATCH_SQL = f"""
CREATE SEQUENCE IF NOT EXISTS {COUNTER};
CREATE OR REPLACE FUNCTION {TRIGGER}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM nextval('{COUNTER}');
    RETURN NULL;
END $$;
"""
HTMX_HEADERS = ("HX-Request", "HX-Target", "HX-Trigger", "HX-Boosted")
# Masked CSRF tokens are 64 letters and digits; a candidate is replaced only if it unmasks to the
# request's own secret, so no text a person typed is ever mistaken for one.
_TOKEN = re.compile(r"(?<![A-Za-z0-9])[A-Za-z0-9]{64}(?![A-Za-z0-9])")
_KEPT_HEADERS = frozenset({"content-type", "cache-control", "content-language"})


def _placeholder() -> str:
    # Keyed with SECRET_KEY: the same in every process, and not something a person can type in.
    return "csrf-" + salted_hmac("mentoring.pagecache", "csrf-placeholder").hexdigest()[:40]


def database_state(using: str = DEFAULT_DB_ALIAS) -> str | None:
    """What this database has committed so far, or None where pages cannot be kept (not
    PostgreSQL, writes not watched yet, or this request's own transaction has written)."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute(STATE_SQL)
        watched, counter, writing, own_writes = cursor.fetchone()
    if own_writes or not watched:
        return None
    where = connection.settings_dict
    return f"{where.get('HOST')}:{where.get('PORT')}/{where.get('NAME')}@{counter or 0}/{writing}"


def watched_tables() -> list[str]:
    """The tables of every model (their many-to-many tables too): what pages are made of."""
    return sorted(
        {
            model._meta.db_table
            for model in apps.get_models(include_auto_created=True)
            if model._meta.managed and not model._meta.proxy
        }
    )


def watch_writes(*, using: str = DEFAULT_DB_ALIAS, **kwargs) -> None:
    """After `migrate` (post_migrate): the counter, and on every model's table a trigger that
    moves it after each INSERT, UPDATE, DELETE or TRUNCATE statement. Idempotent."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return
    existing = set(connection.introspection.table_names())
    with connection.cursor() as cursor:
        cursor.execute(WATCH_SQL)
        for table in watched_tables():
            if table not in existing:
                continue
            name = connection.ops.quote_name(table)
            cursor.execute(f"DROP TRIGGER IF EXISTS {TRIGGER} ON {name}")
            cursor.execute(
                f"CREATE TRIGGER {TRIGGER} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {name} "
                f"FOR EACH STATEMENT EXECUTE FUNCTION {TRIGGER}()"
            )


def _messages_waiting(request) -> bool:
    storage = getattr(request, "_messages", None)
    return storage is not None and len(storage) > 0


def page_key(request, state: str, now: float) -> str:
    parts = [
        state,
        str(request.user.pk),
        request.build_absolute_uri(),
        translation.get_language() or "",
        timezone.get_current_timezone_name(),
        str(int(now // 60)),
        *(request.headers.get(name, "") for name in HTMX_HEADERS),
    ]
    digest = hashlib.sha256("\x1f".join(parts).encode()).hexdigest()
    return f"page:{digest}"


def _keepable(response) -> bool:
    return (
        type(response) is HttpResponse
        and response.status_code == 200
        and response.get("Content-Type", "").startswith("text/html")
        and not response.cookies
    )


def _without_tokens(request, html: str) -> str:
    secret = request.META.get("CSRF_COOKIE")
    if not secret:
        return html
    placeholder = _placeholder()

    def swap(match: re.Match) -> str:
        token = match.group(0)
        return placeholder if _unmask_cipher_token(token) == secret else token

    return _TOKEN.sub(swap, html)


def _cache_call(name: str, *args):
    try:
        return getattr(caches[CACHE_ALIAS], name)(*args)
    except Exception as error:  # a cache that fails makes the page rendered, never a 500
        log.warning("pages cache: %s failed (%s); rendering the page", name, error)
        return None


def _unpacked(kept) -> tuple[str | None, dict]:
    """(page, headers) of what the cache gave, or (None, {}) for nothing or anything unreadable
    (written by another version of this code, say): the page is then rendered."""
    try:
        headers, packed = kept
        return zlib.decompress(packed).decode(), dict(headers)
    except Exception:  # whatever the cache holds, the answer is then the rendered page
        return None, {}


def kept_while_unchanged(view):
    """Keep this GET view's pages while the database does not change (see the module)."""

    @wraps(view)
    def keeping(request, *args, **kwargs):
        if (
            request.method != "GET"
            or not request.user.is_authenticated
            or _messages_waiting(request)
        ):
            return view(request, *args, **kwargs)
        state = database_state()
        if state is None:
            return view(request, *args, **kwargs)
        now = time.time()
        key = page_key(request, state, now)
        body, headers = _unpacked(_cache_call("get", key))
        if body is not None:
            if _placeholder() in body:
                body = body.replace(_placeholder(), get_token(request))
            return HttpResponse(body, headers=headers)
        response = view(request, *args, **kwargs)
        if _keepable(response) and not _messages_waiting(request):
            body = _without_tokens(request, response.content.decode(response.charset))
            headers = {k: v for k, v in response.items() if k.lower() in _KEPT_HEADERS}
            # Kept compressed (a fifth of the size in Redis, which is also the broker), and only
            # to the end of its key's minute: no later request can ask for it.
            packed = zlib.compress(body.encode(), 1)
            _cache_call("set", key, (headers, packed), 61 - now % 60)
        return response

    keeping.keeps_pages = True
    return keeping
