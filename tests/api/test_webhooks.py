"""Webhooks against a real HTTP receiver on loopback: each request verified with the Standard
Webhooks reference code; retries after a 500 and a time-out; exactly one success per event; a
worker that dies mid-delivery causes a retry, not a loss; an endpoint that keeps failing is
switched off and its admins are told once."""

import http.server
import json
import threading
import time
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from standardwebhooks.webhooks import Webhook

from api import webhooks
from api.models import Event, WebhookAttempt, WebhookDelivery, WebhookEndpoint
from api.tasks import announce_feedback_cycle_dates, send_due_webhooks
from feedback.services import open_cycle
from meetings import services as meeting_services
from meetings.models import Meeting
from mentoring.models import Notification
from programs.models import Dyad, Membership
from programs.services.dyads import end_dyad
from programs.services.members import deactivate_member
from programs.services.pairing import re_pair_mentee
from programs.services.requests import request_re_pair
from tests.builders import add_member, make_dyad, make_user
from tests.meetings.builders import schedule, started

ALL_EVENTS = [e.value for e in Event]


class Receiver(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        server = self.server
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        headers = {k.lower(): v for k, v in self.headers.items()}
        try:
            Webhook(server.secret).verify(body, headers)
            verified = True
        except Exception:
            verified = False
        behaviour = server.script.pop(0) if server.script else server.default
        server.seen.append(
            {"headers": headers, "body": body, "verified": verified, "answer": behaviour}
        )
        if behaviour == "slow":
            time.sleep(2)
            behaviour = 200
        try:
            self.send_response(behaviour)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")
        except BrokenPipeError:
            pass  # the sender gave up waiting (the time-out under test)

    def log_message(self, *args):
        pass


@pytest.fixture
def receiver(settings):
    settings.WEBHOOK_TIMEOUT_SECONDS = 0.5
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    httpd.seen, httpd.script, httpd.default, httpd.secret = [], [], 200, ""
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    httpd.url = f"http://127.0.0.1:{httpd.server_address[1]}/hooks"
    yield httpd
    httpd.shutdown()
    httpd.server_close()


def register(client, world, receiver, events=ALL_EVENTS) -> WebhookEndpoint:
    """The admin registers the receiver; the secret is on that page, once."""
    client.force_login(world.admin)
    response = client.post(
        reverse("integrations:webhooks", args=[world.program.slug]),
        {"url": receiver.url, "events": events, "description": "HR"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    receiver.secret = page.split('id="webhook-secret"')[1].split('value="')[1].split('"')[0]
    assert receiver.secret.startswith("whsec_")
    endpoint = WebhookEndpoint.objects.get()
    assert receiver.secret not in endpoint.secret_encrypted
    listing = client.get(reverse("integrations:webhook", args=[endpoint.pk])).content.decode()
    assert receiver.secret not in listing
    return endpoint


def sweep_at(moment):
    with time_machine.travel(moment, tick=False):
        send_due_webhooks()


def test_an_event_is_retried_after_a_500_and_a_timeout_and_delivered_once(
    client, world, receiver, settings, django_capture_on_commit_callbacks
):
    endpoint = register(client, world, receiver, [Event.DYAD_ENDED])
    receiver.script = [500, "slow"]
    start = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        end_dyad(dyad=world.dyad, by=world.admin, reason=Dyad.EndReason.OTHER, note="CANARY-end")
    assert [s["answer"] for s in receiver.seen] == [500]  # sent at once, after the commit
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == "pending" and delivery.attempts == 1
    sweep_at(start + timedelta(seconds=2))  # not due yet: nothing sent
    assert len(receiver.seen) == 1
    sweep_at(start + timedelta(seconds=10))  # the second attempt times out
    assert len(receiver.seen) == 2
    sweep_at(start + timedelta(minutes=7))  # the third succeeds
    sweep_at(start + timedelta(days=2))  # and nothing is sent again
    time.sleep(2.2)  # the timed-out request finishes on the receiver's side
    assert len(receiver.seen) == 3
    delivery.refresh_from_db()
    assert delivery.status == "succeeded"
    # The same webhook-id every time (receivers drop repeats); every signature verifies.
    assert {s["headers"]["webhook-id"] for s in receiver.seen} == {delivery.message_id}
    assert all(s["verified"] for s in receiver.seen)
    body = json.loads(receiver.seen[-1]["body"])
    assert body["type"] == "dyad.ended"
    assert body["data"] == {
        "id": world.dyad.pk,
        "resource": "dyad",
        "program": world.program.pk,
        "url": f"{settings.SITE_URL}/api/v1/dyads/{world.dyad.pk}/",
    }
    assert all(b"CANARY" not in s["body"] for s in receiver.seen)
    log = list(WebhookAttempt.objects.order_by("at").values_list("status_code", "error"))
    assert [code for code, _ in log] == [500, None, 200]
    assert log[1][1]  # what went wrong, in words
    page = client.get(reverse("integrations:webhook", args=[endpoint.pk])).content.decode()
    assert ">500<" in page and ">200<" in page


def test_a_worker_killed_mid_delivery_causes_a_retry_not_a_loss(
    client, world, receiver, django_capture_on_commit_callbacks
):
    register(client, world, receiver, [Event.DYAD_ENDED])
    end_dyad(dyad=world.dyad, by=world.admin, reason=Dyad.EndReason.GOALS_MET)  # not committed
    delivery = WebhookDelivery.objects.get()
    # A worker claimed it and died before sending: the claim stands until its lease runs out.
    now = timezone.now()
    WebhookDelivery.objects.filter(pk=delivery.pk).update(claimed_until=now + webhooks.lease())
    sweep_at(now + timedelta(seconds=30))
    assert receiver.seen == []
    sweep_at(now + webhooks.lease() + timedelta(seconds=1))
    assert len(receiver.seen) == 1 and receiver.seen[0]["verified"]
    delivery.refresh_from_db()
    assert delivery.status == "succeeded"
    sweep_at(now + timedelta(hours=1))
    assert len(receiver.seen) == 1


def test_the_same_happening_twice_is_one_delivery(client, world, receiver):
    register(client, world, receiver, [Event.DYAD_ENDED])
    for _ in range(2):
        webhooks.emit(
            program_id=world.program.pk, event_type="dyad.ended", resource="dyad", pk=world.dyad.pk
        )
    assert WebhookDelivery.objects.count() == 1
    pk = WebhookDelivery.objects.get().pk
    assert webhooks.deliver(pk) == "succeeded"
    assert webhooks.deliver(pk) is None  # a second worker with the same id sends nothing
    assert len(receiver.seen) == 1


def test_an_endpoint_that_keeps_failing_is_switched_off_and_admins_told_once(
    client, world, receiver, settings
):
    settings.WEBHOOK_DISABLE_AFTER_FAILURES = 2
    second_admin = make_user("admin2@a.example")
    add_member(world.program, second_admin, "admin")
    endpoint = register(client, world, receiver, [Event.DYAD_ENDED, Event.DYAD_CREATED])
    receiver.default = 500
    end_dyad(dyad=world.dyad, by=world.admin, reason=Dyad.EndReason.GOALS_MET)
    end_dyad(dyad=world.other_dyad, by=world.admin, reason=Dyad.EndReason.GOALS_MET)
    moment = timezone.now()
    for _ in range(webhooks.MAX_ATTEMPTS + 1):
        moment += timedelta(hours=11)
        sweep_at(moment)
    assert len(receiver.seen) == 2 * webhooks.MAX_ATTEMPTS
    assert set(WebhookDelivery.objects.values_list("status", flat=True)) == {"failed"}
    endpoint.refresh_from_db()
    assert endpoint.disabled_at is not None
    told = Notification.objects.filter(kind="webhook_disabled")
    assert sorted(n.recipient_id for n in told) == sorted([world.admin.pk, second_admin.pk])
    # Switched off: new events plan nothing for it.
    make_dyad(world.program, by=world.admin)
    assert WebhookDelivery.objects.filter(event_type="dyad.created").count() == 0
    # The admin switches it on again; it counts from zero.
    client.force_login(world.admin)
    client.post(reverse("integrations:webhook_enable", args=[endpoint.pk]))
    endpoint.refresh_from_db()
    assert endpoint.is_active and endpoint.failures_in_a_row == 0


def test_send_a_test_event_from_the_endpoint_page(
    client, world, receiver, django_capture_on_commit_callbacks
):
    endpoint = register(client, world, receiver, [Event.DYAD_ENDED])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("integrations:webhook_test", args=[endpoint.pk]))
    assert response.status_code == 302
    assert len(receiver.seen) == 1 and receiver.seen[0]["verified"]
    assert json.loads(receiver.seen[0]["body"])["type"] == "webhook.test"
    page = client.get(reverse("integrations:webhook", args=[endpoint.pk])).content.decode()
    assert "webhook.test" in page and ">200<" in page


def test_private_and_loopback_addresses_are_refused(client, world, settings):
    settings.OUTBOUND_ALLOW_LOOPBACK = False
    client.force_login(world.admin)
    url = reverse("integrations:webhooks", args=[world.program.slug])
    for address in ["http://127.0.0.1:8000/x", "http://10.0.0.5/x", "ftp://example.org/x"]:
        response = client.post(url, {"url": address, "events": ["dyad.ended"]})
        assert response.status_code == 200
        assert "invalid" in response.content.decode() or "address" in response.content.decode()
    assert not WebhookEndpoint.objects.exists()


def test_a_loopback_endpoint_is_not_called_when_loopback_is_refused(
    client, world, receiver, settings
):
    register(client, world, receiver, [Event.DYAD_ENDED])
    settings.OUTBOUND_ALLOW_LOOPBACK = False
    end_dyad(dyad=world.dyad, by=world.admin, reason=Dyad.EndReason.GOALS_MET)
    webhooks.deliver(WebhookDelivery.objects.get().pk)
    assert receiver.seen == []
    assert "private network" in WebhookAttempt.objects.get().error


def test_every_event_is_planned_by_the_action_that_causes_it(client, world, receiver):
    register(client, world, receiver)
    newcomer = make_user("new@a.example")
    add_member(world.program, newcomer, "mentor")
    request_re_pair(dyad=world.dyad, by=world.mentee, reason="Different field")
    meeting = schedule(world.other_dyad)
    meeting_services.cancel_meeting(meeting=meeting, by=world.other_mentee, reason="Ill")
    past = started(world.other_dyad)
    meeting_services.mark_meeting(meeting=past, by=world.other_mentor, outcome=Meeting.Status.HELD)
    missed = started(world.other_dyad, days_ago=2)
    meeting_services.mark_meeting(
        meeting=missed, by=world.other_mentor, outcome=Meeting.Status.MISSED
    )
    new_dyad = re_pair_mentee(dyad=world.dyad, by=world.admin, new_mentor=newcomer)
    today = timezone.localdate()
    cycle = open_cycle(
        program=world.program,
        by=world.admin,
        name="Spring",
        opens=today,
        due=today + timedelta(days=3),
        closes=today + timedelta(days=5),
    )
    with time_machine.travel(timezone.now() + timedelta(days=7), tick=False):
        announce_feedback_cycle_dates()
        announce_feedback_cycle_dates()  # twice: told once
    deactivate_member(program=world.program, person=newcomer, by=world.admin)
    planned = set(WebhookDelivery.objects.values_list("event_type", "payload__data__id"))
    assert planned >= {
        ("member.joined", Membership.everyone.get(user=newcomer).pk),
        ("dyad.re_pair_requested", world.dyad.pk),
        ("meeting.scheduled", meeting.pk),
        ("meeting.cancelled", meeting.pk),
        ("meeting.held", past.pk),
        ("meeting.missed", missed.pk),
        ("dyad.ended", world.dyad.pk),
        ("dyad.created", new_dyad.pk),
        ("dyad.re_paired", new_dyad.pk),
        ("feedback_cycle.opened", cycle.pk),
        ("feedback_cycle.closed", cycle.pk),
        ("dyad.ended", new_dyad.pk),  # the newcomer left: their pairing ended
    }
    left = WebhookDelivery.objects.filter(event_type="member.left")
    assert left.count() == 1
    assert WebhookDelivery.objects.filter(event_type="feedback_cycle.closed").count() == 1


def test_admin_of_another_program_cannot_see_the_endpoint(client, world, receiver):
    endpoint = register(client, world, receiver, [Event.DYAD_ENDED])
    client.force_login(world.outsider_admin)
    assert client.get(reverse("integrations:webhook", args=[endpoint.pk])).status_code == 404
    assert (
        client.post(reverse("integrations:webhook_delete", args=[endpoint.pk])).status_code == 404
    )
    assert WebhookEndpoint.objects.filter(pk=endpoint.pk).exists()


def test_deleting_an_endpoint_asks_first(client, world, receiver):
    endpoint = register(client, world, receiver, [Event.DYAD_ENDED])
    url = reverse("integrations:webhook_delete", args=[endpoint.pk])
    assert "Nothing more is sent" in client.get(url).content.decode()
    assert WebhookEndpoint.objects.exists()
    assert client.post(url).status_code == 302
    assert not WebhookEndpoint.objects.exists()
