"""A real Celery worker on Redis dies (SIGKILL) while a webhook request is in flight: the delivery
is not lost. Once the dead worker's claim lapses, the sweep hands it to a second worker, which
delivers it; the receiver sees the same webhook-id again (the one window no design closes: it
drops the repeat) and a signature that verifies."""

import http.server
import threading
import time
import uuid

import pytest
from standardwebhooks.webhooks import Webhook

from api import crypto, webhooks
from api.models import WebhookDelivery, WebhookEndpoint
from api.tasks import send_due_webhooks
from tests.reminders.worker import BROKER_URL, Worker, broker, purge, wait_for

pytestmark = [pytest.mark.redis, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

SECRET = "whsec_" + "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"


class HoldingReceiver(http.server.BaseHTTPRequestHandler):
    """Holds the first request until the test lets it go; answers 200 to every one."""

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        headers = {k.lower(): v for k, v in self.headers.items()}
        try:
            Webhook(SECRET).verify(body, headers)
            verified = True
        except Exception:
            verified = False
        self.server.seen.append((headers["webhook-id"], verified))
        if len(self.server.seen) == 1:
            self.server.holding.set()
            self.server.release.wait(30)
        try:
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()
        except OSError:
            pass  # the sender is dead

    def log_message(self, *args):
        pass


@pytest.fixture
def receiver():
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), HoldingReceiver)
    httpd.seen, httpd.holding, httpd.release = [], threading.Event(), threading.Event()
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield httpd
    httpd.release.set()
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def queue():
    name = f"webhooks-test-{uuid.uuid4().hex[:8]}"
    purge(name)
    yield name
    purge(name)


def test_a_worker_killed_mid_request_is_a_retry_not_a_loss(
    world, receiver, queue, tmp_path, settings
):
    settings.WEBHOOK_LEASE_SECONDS = 2
    WebhookEndpoint.objects.create(
        program=world.program,
        url=f"http://127.0.0.1:{receiver.server_address[1]}/hooks",
        events=["dyad.ended"],
        secret_encrypted=crypto.encrypt(SECRET),
        created_by=world.admin,
    )
    env = {"OUTBOUND_ALLOW_LOOPBACK": "true", "WEBHOOK_LEASE_SECONDS": "2"}
    with broker(BROKER_URL, queue):
        ids = webhooks.emit(
            program_id=world.program.pk, event_type="dyad.ended", resource="dyad", pk=world.dyad.pk
        )
    assert len(ids) == 1
    delivery = WebhookDelivery.objects.get()
    first = Worker(var_dir=tmp_path, queue=queue, env=env)
    try:
        assert receiver.holding.wait(60), "the worker never sent the request"
        first.kill()
    finally:
        first.stop()
    receiver.release.set()
    delivery.refresh_from_db()
    assert delivery.status == "pending"  # not lost, not marked sent
    second = Worker(var_dir=tmp_path, queue=queue, env=env)
    try:

        def delivered() -> bool:
            time.sleep(0.3)  # a sweep every few tenths of a second, not a flood of tasks
            with broker(BROKER_URL, queue):
                send_due_webhooks()  # the beat's sweep: hands out what a dead worker held
            delivery.refresh_from_db()
            return delivery.status == "succeeded"

        wait_for(delivered, timeout=60, what="the second worker to deliver")
    finally:
        second.stop()
    assert [message_id for message_id, _ in receiver.seen] == [delivery.message_id] * 2
    assert all(verified for _, verified in receiver.seen)
    assert delivery.log.filter(status_code=200).count() == 1
