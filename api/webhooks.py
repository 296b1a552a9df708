"""Webhooks: events of a program told to its registered endpoints, signed per Standard Webhooks.

- `emit` runs inside the action's transaction: one delivery row per subscribed, active endpoint
  (unique per endpoint and happening, so emitting twice sends once), handed to Celery on commit.
- `deliver` claims a due row (a lease, so two workers never send it at once), POSTs it through
  mentoring.outbound (http(s) only, public addresses, time-out, no redirect followed) with the
  `webhook-id`, `webhook-timestamp` and `webhook-signature` headers, logs the attempt, and on
  anything but 2xx schedules the next attempt by BACKOFF (about a day in all). A delivery that
  fails for good counts against its endpoint; WEBHOOK_DISABLE_AFTER_FAILURES in a row switch the
  endpoint off, and its program's admins are told once.
- `due_deliveries` (the sweep, every minute) hands out what a lost task, a broker outage or a
  worker killed mid-send left behind: a claim older than its lease is up for grabs again.

The one window left: the receiver accepted a request and our worker died before writing so. The
retry then sends it again with the same `webhook-id`, which receivers use to drop repeats (the
spec asks them to); a delivery is never lost.
"""

import base64
import json
import logging
import secrets
import time
import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import ngettext
from standardwebhooks.webhooks import Webhook

from api import crypto
from api.models import TEST_EVENT, WebhookAttempt, WebhookDelivery, WebhookEndpoint
from mentoring import outbound

log = logging.getLogger(__name__)
# Seconds after the first attempt's failure, then after each next one: ≈ 27 hours in all.
BACKOFF = [5, 5 * 60, 30 * 60, 2 * 3600, 5 * 3600, 10 * 3600, 10 * 3600]
MAX_ATTEMPTS = len(BACKOFF) + 1


def lease() -> timedelta:
    """How long a claim holds: longer than a send can take (the time-out), so a send still
    running is never handed out twice; after it, a dead worker's delivery is up for grabs."""
    return timedelta(seconds=settings.WEBHOOK_LEASE_SECONDS)


def new_secret() -> str:
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


def api_address(name: str, pk: int) -> str:
    return settings.SITE_URL + reverse(f"api:{name}", args=[pk])


def payload(event_type: str, *, resource: str, pk: int, program_id: int, when: datetime) -> dict:
    """The thin body: type, time, ids and where to read the rest (the API)."""
    return {
        "type": event_type,
        "timestamp": when.isoformat(),
        "data": {
            "id": pk,
            "resource": resource,
            "program": program_id,
            "url": api_address(resource, pk),
        },
    }


def emit(
    *, program_id: int, event_type: str, resource: str, pk: int, key: str | None = None
) -> list[int]:
    """Plan one delivery of this event per subscribed, active endpoint of the program (in the
    caller's transaction) and hand them to Celery after the commit. `key` names the happening
    (default: type and id); the same key twice plans nothing new."""
    endpoints = [
        endpoint
        for endpoint in WebhookEndpoint.objects.filter(program_id=program_id, disabled_at=None)
        if event_type in endpoint.events
    ]
    if not endpoints:
        return []
    now = timezone.now()
    body = payload(event_type, resource=resource, pk=pk, program_id=program_id, when=now)
    dedupe = key or f"{event_type}:{pk}"
    rows = WebhookDelivery.objects.bulk_create(
        [
            WebhookDelivery(
                endpoint=endpoint,
                message_id=f"msg_{uuid.uuid4().hex}",
                event_type=event_type,
                dedupe_key=dedupe,
                payload=body,
                next_attempt_at=now,
            )
            for endpoint in endpoints
        ],
        ignore_conflicts=True,
    )
    # With ignore_conflicts the ids are not returned: read back what this key planned.
    ids = list(
        WebhookDelivery.objects.filter(
            endpoint__in=endpoints, dedupe_key=dedupe, status=WebhookDelivery.Status.PENDING
        ).values_list("pk", flat=True)
    )
    if rows and ids:
        _enqueue_on_commit(ids)
    return ids


def send_test_event(*, endpoint: WebhookEndpoint) -> WebhookDelivery:
    """A "webhook.test" event for this endpoint alone (even one that is switched off)."""
    now = timezone.now()
    delivery = WebhookDelivery.objects.create(
        endpoint=endpoint,
        message_id=f"msg_{uuid.uuid4().hex}",
        event_type=TEST_EVENT,
        dedupe_key=f"{TEST_EVENT}:{uuid.uuid4().hex}",
        payload=payload(
            TEST_EVENT,
            resource="program",
            pk=endpoint.program_id,
            program_id=endpoint.program_id,
            when=now,
        ),
        next_attempt_at=now,
    )
    _enqueue_on_commit([delivery.pk])
    return delivery


def _enqueue_on_commit(ids: list[int], *, countdown: float = 0) -> None:
    from api.tasks import deliver_webhooks

    def send():
        try:
            deliver_webhooks.apply_async((ids,), countdown=countdown)
        except Exception as error:  # broker down, hung or refusing: the sweep catches up
            log.warning("broker unavailable, webhooks wait for the next sweep: %s", error)

    transaction.on_commit(send)


def _claim(pk: int, now: datetime) -> WebhookDelivery | None:
    claimed = WebhookDelivery.objects.filter(
        Q(claimed_until=None) | Q(claimed_until__lt=now),
        pk=pk,
        status=WebhookDelivery.Status.PENDING,
        next_attempt_at__lte=now,
    ).update(claimed_until=now + lease())
    if not claimed:
        return None
    return WebhookDelivery.objects.select_related("endpoint").get(pk=pk)


def sign(secret: str, message_id: str, when: datetime, body: str) -> dict[str, str]:
    """The Standard Webhooks headers of one request."""
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(int(when.timestamp())),
        "webhook-signature": Webhook(secret).sign(message_id, when, body),
        "Content-Type": "application/json",
    }


def deliver(pk: int) -> str | None:
    """One attempt of one due delivery; returns its status after, or None if it was not ours."""
    now = timezone.now()
    delivery = _claim(pk, now)
    if delivery is None:
        return None
    endpoint = delivery.endpoint
    if endpoint.disabled_at is not None and delivery.event_type != TEST_EVENT:
        _finish(delivery, WebhookDelivery.Status.FAILED, now)
        return WebhookDelivery.Status.FAILED
    body = json.dumps(delivery.payload, separators=(",", ":"))
    headers = sign(crypto.decrypt(endpoint.secret_encrypted), delivery.message_id, now, body)
    started = time.monotonic()
    status_code, error = None, ""
    try:
        answer = outbound.request(
            "POST",
            endpoint.url,
            headers=headers,
            body=body.encode(),
            timeout=settings.WEBHOOK_TIMEOUT_SECONDS,
            max_bytes=64 * 1024,
            max_redirects=0,
        )
        status_code = answer.status
    except outbound.OutboundError as problem:
        error = str(problem)[:300]
    WebhookAttempt.objects.create(
        delivery=delivery,
        at=now,
        status_code=status_code,
        error=error,
        duration_ms=int((time.monotonic() - started) * 1000),
    )
    if status_code is not None and 200 <= status_code < 300:
        _finish(delivery, WebhookDelivery.Status.SUCCEEDED, now)
        if delivery.event_type != TEST_EVENT:
            WebhookEndpoint.objects.filter(pk=endpoint.pk).update(failures_in_a_row=0)
        return WebhookDelivery.Status.SUCCEEDED
    return _after_failure(delivery, now)


def _finish(delivery: WebhookDelivery, status: str, now: datetime) -> None:
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        status=status, finished_at=now, claimed_until=None, attempts=F("attempts") + 1
    )


@transaction.atomic
def _after_failure(delivery: WebhookDelivery, now: datetime) -> str:
    attempts = delivery.attempts + 1
    if delivery.event_type == TEST_EVENT or attempts >= MAX_ATTEMPTS:
        # A test event is tried once: the admin sees the answer in the log straight away.
        _finish(delivery, WebhookDelivery.Status.FAILED, now)
        if delivery.event_type != TEST_EVENT:
            _count_failure(delivery.endpoint_id, now)
        return WebhookDelivery.Status.FAILED
    wait = BACKOFF[attempts - 1]
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        attempts=attempts, next_attempt_at=now + timedelta(seconds=wait), claimed_until=None
    )
    _enqueue_on_commit([delivery.pk], countdown=wait)
    return WebhookDelivery.Status.PENDING


def _count_failure(endpoint_id: int, now: datetime) -> None:
    endpoint = WebhookEndpoint.objects.select_for_update().get(pk=endpoint_id)
    endpoint.failures_in_a_row += 1
    fields = ["failures_in_a_row"]
    if endpoint.disabled_at is None and (
        endpoint.failures_in_a_row >= settings.WEBHOOK_DISABLE_AFTER_FAILURES
    ):
        endpoint.disabled_at = now
        endpoint.disabled_reason = ngettext(
            "%(count)d delivery in a row failed for about a day each.",
            "%(count)d deliveries in a row failed for about a day each.",
            endpoint.failures_in_a_row,
        ) % {"count": endpoint.failures_in_a_row}
        fields += ["disabled_at", "disabled_reason"]
        from api.reminders import tell_admins_endpoint_disabled

        tell_admins_endpoint_disabled(endpoint)
    endpoint.save(update_fields=fields)


def due_deliveries(now: datetime | None = None, limit: int = 500) -> list[int]:
    """Pending deliveries whose time has come and that nobody holds (or whose holder died)."""
    now = now or timezone.now()
    return list(
        WebhookDelivery.objects.filter(
            Q(claimed_until=None) | Q(claimed_until__lt=now),
            status=WebhookDelivery.Status.PENDING,
            next_attempt_at__lte=now,
        )
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )
