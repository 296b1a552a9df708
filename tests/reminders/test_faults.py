"""What the fault test found in delivery, each pinned: a sweep never re-queues the backlog, the
count a sweep reports is what it planned, a repeated send carries the same Message-ID, and a killed
write never leaves a truncated .eml."""

import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from mentoring.mail import EmlFileBackend
from mentoring.models import Notification
from mentoring.notices import tasks as notifications  # enqueue
from mentoring.notices.delivery import deliver
from mentoring.notices.planning import Occasion, lease, plan_notifications, run_sweep
from tests.reminders.conftest import notice_for


def _collect():
    sent: list[int] = []

    def send(ids) -> int:
        ids = list(ids)
        sent.extend(ids)
        return len(ids)

    return sent, send


def test_a_sweep_queues_what_it_planned_and_what_no_queue_holds_never_the_backlog(world):
    queued = [
        notice_for(world.mentee, program=world.program, title=f"Queued {n}") for n in range(3)
    ]
    never = notice_for(world.mentee, program=world.program, title="Broker was down")
    now = timezone.now()
    Notification.objects.filter(pk__in=[n.pk for n in queued]).update(enqueued_at=now)

    def find(_now):
        yield Occasion(recipient=world.mentor, title="New this run", program_id=world.program.pk)

    sent, send = _collect()
    result = run_sweep(name="t", kind="dyad_overdue", find=find, now=now, send=send)
    new = Notification.objects.get(title="New this run")
    assert sorted(sent) == sorted([never.pk, new.pk])  # the three in the queue are not re-queued
    assert result.planned == 1

    # A lease later the queue evidently lost them (or their worker died): queued once more.
    sent, send = _collect()
    later = now + lease() + timedelta(seconds=1)
    Notification.objects.filter(pk__in=[never.pk, new.pk]).update(enqueued_at=now)
    run_sweep(name="t", kind="dyad_overdue", find=lambda _n: iter(()), now=later, send=send)
    assert sorted(sent) == sorted([n.pk for n in queued] + [never.pk, new.pk])


def test_enqueue_notes_when_each_notice_was_handed_over(world, settings):
    notice = notice_for(world.mentee, program=world.program)
    assert notifications.enqueue([notice.pk]) == 1  # eager here: delivered at once
    notice.refresh_from_db()
    assert notice.enqueued_at is not None and notice.sent_at is not None


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_planners_report_exactly_the_rows_they_inserted(world):
    occasions = [
        Occasion(recipient=world.mentee, title=f"Reminder {n}", occasion=str(n)) for n in range(40)
    ]
    for _round in range(5):
        Notification.objects.all().delete()
        gate, counts = threading.Barrier(3), []

        def run(gate=gate, counts=counts):
            try:
                gate.wait()
                counts.append(plan_notifications(kind="dyad_overdue", due=occasions))
            finally:
                connection.close()

        threads = [threading.Thread(target=run) for _ in range(3)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=300)  # generous: a busy CI machine is slow, never this slow
        assert not any(thread.is_alive() for thread in threads), "a planner never finished"
        assert sum(counts) == Notification.objects.count() == 40


def test_a_repeated_send_of_one_notice_carries_the_same_message_id(world, mailoutbox):
    notice = notice_for(world.mentee, program=world.program)
    assert deliver(notification_id=notice.pk) == "sent"
    # The window no design closes: the server accepted, the worker died before recording it.
    Notification.objects.filter(pk=notice.pk).update(sent_at=None, claimed_at=None)
    assert deliver(notification_id=notice.pk) == "sent"
    first, second = mailoutbox
    assert first.extra_headers["Message-ID"] == second.extra_headers["Message-ID"]
    assert first.message()["Message-ID"] == first.extra_headers["Message-ID"]
    other = notice_for(world.mentor, program=world.program, title="Another")
    deliver(notification_id=other.pk)
    assert mailoutbox[2].extra_headers["Message-ID"] != first.extra_headers["Message-ID"]


def test_a_write_killed_midway_leaves_no_eml_that_looks_sent(tmp_path, monkeypatch):
    folder = tmp_path / "mail"
    message = mail.EmailMessage("Subject", "Body", to=["sam@example.org"])
    with override_settings(EMAIL_FILE_PATH=folder):
        assert EmlFileBackend().send_messages([message]) == 1
        assert len(list(folder.glob("*.eml"))) == 1

        def killed(*args, **kwargs):
            raise SystemExit("killed before the file was complete")

        monkeypatch.setattr("os.replace", killed)
        with pytest.raises(SystemExit):
            EmlFileBackend().send_messages([message])
    assert len(list(folder.glob("*.eml"))) == 1  # only the complete one
    assert all(path.stat().st_size > 0 for path in folder.glob("*.eml"))
