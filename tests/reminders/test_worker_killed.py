"""A real worker on Redis dies (SIGKILL) in the middle of a batch; a new one takes over. Every due
reminder is delivered exactly once, except in the one window no design closes (mail accepted,
process dead before sent_at is written): it repeats only the one message the dying worker had
sent and not yet recorded (each is recorded before the next is sent), once, and never loses one.

The test hands the reminders out in chunks of CHUNK (3 chunks of 4), so a kill falls mid-batch."""

import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from mentoring.models import Notification
from mentoring.reminders import sweep
from tests.reminders.conftest import schedule_meeting
from tests.reminders.worker import BROKER_URL, Worker, broker, mails, purge, wait_for

pytestmark = [pytest.mark.redis, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def reminders():
    """The "within the hour" reminders (scheduling also sends each side an invitation notice)."""
    return Notification.objects.filter(kind="meeting_soon")


LEASE_SECONDS = 2
CHUNK = 4


@pytest.fixture
def batch(world, settings):
    """Six meetings within the hour: twelve reminders (both sides of each) due now."""
    settings.NOTIFICATION_LEASE_SECONDS = LEASE_SECONDS
    settings.NOTIFICATION_CHUNK_SIZE = CHUNK  # this process enqueues: 12 reminders, 3 tasks
    start = timezone.now() + timedelta(minutes=30)
    for n in range(3):
        schedule_meeting(world.dyad, start + timedelta(minutes=n))
        schedule_meeting(world.other_dyad, start + timedelta(minutes=n))
    return 12


@pytest.fixture
def queue():
    name = f"reminders-test-{uuid.uuid4().hex[:8]}"
    purge(name)
    yield name
    purge(name)


def _kill_mid_batch(tmp_path, queue, *, point: str, victim: int = 4) -> tuple[Notification, dict]:
    """Enqueue the batch, let a worker deliver some, SIGKILL it at `point` of the notice at index
    `victim` (the 5th: the first of the second chunk), let a second worker and the next sweep
    finish. Returns the notice it died on and the mail counts."""
    pause = tmp_path / "pause"
    pause.mkdir()
    with broker(BROKER_URL, queue):
        assert sweep("meeting_soon").enqueued == 12
    ordered = list(reminders().order_by("created_at", "id"))
    start = victim - victim % CHUNK
    held = [n.pk for n in ordered[start : start + CHUNK]]  # the chunk the worker dies holding
    victim = ordered[victim]
    (pause / f"hold-{victim.pk}").touch()
    first = Worker(
        var_dir=tmp_path,
        queue=queue,
        env={"NOTIFICATION_TEST_PAUSE": f"{point}:{pause}", "NOTIFICATION_LEASE_SECONDS": "2"},
    )
    try:
        wait_for(lambda: (pause / f"{point}-{victim.pk}").exists(), what="the worker to pause")
        first.kill()
    finally:
        first.stop()
    (pause / f"hold-{victim.pk}").unlink()
    # It died mid-batch: what it sent before the victim is recorded, the victim and after are not.
    assert reminders().filter(sent_at=None).count() >= len(ordered) - ordered.index(victim)
    second = Worker(var_dir=tmp_path, queue=queue, env={"NOTIFICATION_LEASE_SECONDS": "2"})
    try:
        wait_for(
            lambda: reminders().exclude(pk__in=held).filter(sent_at=None).count() == 0,
            what="the second worker to deliver the other chunks",
        )
        # The dead worker's claims expire after the lease; the next sweep hands the rest of its
        # chunk out again.
        wait_for(
            lambda: (
                reminders()
                .claimable(now=timezone.now(), lease=timedelta(seconds=LEASE_SECONDS))
                .exists()
            ),
            what="the dead worker's lease to expire",
        )
        with broker(BROKER_URL, queue):
            assert sweep("meeting_soon").planned == 0
        wait_for(lambda: not reminders().filter(sent_at=None).exists(), what="all sent")
    finally:
        second.stop()
    return victim, mails(tmp_path)


def test_worker_killed_before_sending_loses_nothing_and_repeats_nothing(batch, tmp_path, queue):
    victim, sent = _kill_mid_batch(tmp_path, queue, point="before_send")
    keys = set(reminders().values_list("dedupe_key", flat=True))
    assert len(keys) == batch
    assert set(sent) == keys
    assert set(sent.values()) == {1}  # every reminder exactly once
    victim.refresh_from_db()
    assert victim.attempts == 2


def test_worker_killed_after_the_mail_left_costs_at_most_one_duplicate(batch, tmp_path, queue):
    # The window no design closes: the mail server accepted the message and the worker died before
    # writing sent_at (see mentoring.notices.delivery.deliver_chunk). The victim is the first of its
    # chunk, so it alone was sent and not recorded: it goes out again, twice, once.
    victim, sent = _kill_mid_batch(tmp_path, queue, point="after_send")
    keys = set(reminders().values_list("dedupe_key", flat=True))
    assert set(sent) == keys  # never a loss
    assert sent[victim.dedupe_key] == 2
    assert all(count == 1 for key, count in sent.items() if key != victim.dedupe_key)


def test_a_kill_mid_chunk_repeats_only_the_message_it_had_not_recorded(batch, tmp_path, queue):
    # Killed after sending the third of its chunk (the 7th reminder): the chunk's 1st and 2nd were
    # recorded as each was accepted, so only the 3rd goes out twice. Nothing is lost; no notice is
    # sent three times.
    from mentoring.notices.delivery import UNRECORDED_AT_MOST

    victim, sent = _kill_mid_batch(tmp_path, queue, point="after_send", victim=6)
    ordered = list(reminders().order_by("created_at", "id").values_list("dedupe_key", flat=True))
    assert set(sent) == set(ordered)  # never a loss
    twice = {key for key, count in sent.items() if count == 2}
    assert twice == {victim.dedupe_key} and len(twice) <= UNRECORDED_AT_MOST
    assert set(sent.values()) == {1, 2}


def test_a_worker_told_to_stop_finishes_its_chunk_first(batch, tmp_path, queue):
    # A rolling restart sends SIGTERM (docker compose stop, a deploy): Celery's warm shutdown lets
    # the chunk in hand finish and be recorded, and leaves the queued ones for the next worker.
    import os
    import signal

    pause = tmp_path / "pause"
    pause.mkdir()
    with broker(BROKER_URL, queue):
        assert sweep("meeting_soon").enqueued == 12
    ordered = list(reminders().order_by("created_at", "id"))
    victim = ordered[6]  # mid second chunk
    (pause / f"hold-{victim.pk}").touch()
    first = Worker(
        var_dir=tmp_path,
        queue=queue,
        env={"NOTIFICATION_TEST_PAUSE": f"before_send:{pause}", "NOTIFICATION_LEASE_SECONDS": "2"},
    )
    try:
        wait_for(lambda: (pause / f"before_send-{victim.pk}").exists(), what="the worker to pause")
        os.killpg(first.process.pid, signal.SIGTERM)
        (pause / f"hold-{victim.pk}").unlink()
        assert first.process.wait(timeout=30) == 0  # it stopped on its own, cleanly
    finally:
        first.stop()
    assert not reminders().filter(pk__in=[n.pk for n in ordered[:8]], sent_at=None).exists()
    second = Worker(var_dir=tmp_path, queue=queue, env={"NOTIFICATION_LEASE_SECONDS": "2"})
    try:
        wait_for(lambda: not reminders().filter(sent_at=None).exists(), what="all sent")
    finally:
        second.stop()
    sent = mails(tmp_path)
    assert set(sent) == {n.dedupe_key for n in ordered}
    assert set(sent.values()) == {1}  # nothing lost, nothing twice
