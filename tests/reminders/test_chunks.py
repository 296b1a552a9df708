"""Delivery in chunks: one claim, one load and one mail connection per chunk of notices, each
message recorded by one statement as soon as it is accepted, with the per-notice guarantees of the single-notice path (claimed once, retried alone,
recorded once), and planning that says which rows it inserted."""

import threading

import pytest
from django.core.mail.backends import locmem
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from mentoring.models import Notification
from mentoring.notices.delivery import backoff_seconds, claim, deliver_chunk
from mentoring.notices.planning import Occasion, plan
from mentoring.notices.tasks import deliver_notifications
from tests.reminders.backends import RefusingBackend
from tests.reminders.conftest import notice_for, notices


@pytest.fixture
def refusing(settings):
    settings.EMAIL_BACKEND = "tests.reminders.backends.RefusingBackend"
    RefusingBackend.refuse, RefusingBackend.away_at, RefusingBackend.seen = {}, None, 0
    yield RefusingBackend
    RefusingBackend.refuse, RefusingBackend.away_at, RefusingBackend.seen = {}, None, 0


def _chunk(world, n: int) -> list[Notification]:
    people = [world.mentee, world.mentor, world.other_mentee, world.other_mentor]
    return [
        notice_for(people[i % len(people)], program=world.program, title=f"Notice {i}")
        for i in range(n)
    ]


def _updates_setting_sent_at(queries) -> list[str]:
    return [
        q["sql"] for q in queries if q["sql"].startswith("UPDATE") and '"sent_at" =' in q["sql"]
    ]


def test_a_chunk_is_claimed_by_one_statement(world):
    ids = [n.pk for n in _chunk(world, 12)]
    with CaptureQueriesContext(connection) as queries:
        taken = claim(ids, now=timezone.now())
    assert len(queries) == 1 and queries[0]["sql"].startswith("UPDATE")
    assert taken == sorted(ids)
    assert claim(ids, now=timezone.now()) == []  # held: nobody takes them again
    assert set(Notification.objects.values_list("attempts", flat=True)) == {1}


def test_a_chunk_is_claimed_loaded_and_each_message_recorded_by_one_statement(world, mailoutbox):
    chunk = _chunk(world, 10)
    with CaptureQueriesContext(connection) as queries:
        report = deliver_chunk([n.pk for n in chunk])
    # The claim, the notices with their recipients and preferences, then one single-row UPDATE per
    # message sent: nothing more per message.
    recorded = _updates_setting_sent_at(queries)
    assert len(queries) == 2 + 10, [q["sql"][:80] for q in queries]
    assert len(recorded) == 10 and all('WHERE "id" = ' in sql for sql in recorded)
    assert report.counts() == {"sent": 10}
    assert sorted(notices(mailoutbox)) == sorted(n.dedupe_key for n in chunk)
    assert not Notification.objects.filter(sent_at=None).exists()
    assert set(Notification.objects.values_list("channel", flat=True)) == {"email"}


class _CheckingBackend(locmem.EmailBackend):
    """Before accepting each message, looks at what the database says was sent: every message it
    accepted before this one must already be recorded."""

    accepted: list[str] = []
    unrecorded_seen: list[int] = []

    def send_messages(self, messages):
        sent_keys = set(
            Notification.objects.exclude(sent_at=None).values_list("dedupe_key", flat=True)
        )
        self.unrecorded_seen.append(len(set(self.accepted) - sent_keys))
        count = super().send_messages(messages)
        self.accepted.extend(m.extra_headers["X-Mentoring-Notice"] for m in messages)
        return count


def test_each_message_is_recorded_before_the_next_one_is_sent(world, mailoutbox, settings):
    # A worker killed at any moment has at most one message sent and not recorded: the one the
    # server just accepted. So a kill sends at most one notice twice.
    settings.EMAIL_BACKEND = f"{__name__}._CheckingBackend"
    _CheckingBackend.accepted, _CheckingBackend.unrecorded_seen = [], []
    chunk = _chunk(world, 10)
    deliver_chunk([n.pk for n in chunk])
    assert len(_CheckingBackend.accepted) == 10
    assert _CheckingBackend.unrecorded_seen == [0] * 10


def test_enqueue_hands_out_one_task_per_chunk(world, mailoutbox, settings):
    from mentoring.notices.tasks import enqueue

    settings.NOTIFICATION_CHUNK_SIZE = 4
    chunk = _chunk(world, 10)
    calls = []
    original = deliver_notifications.delay

    def counting(ids):
        calls.append(list(ids))
        return original(ids)

    deliver_notifications.delay = counting
    try:
        assert enqueue([n.pk for n in chunk]) == 10
    finally:
        del deliver_notifications.delay
    assert [len(ids) for ids in calls] == [4, 4, 2]
    assert len(notices(mailoutbox)) == 10
    assert not Notification.objects.filter(enqueued_at=None).exists()


def test_a_refused_message_is_retried_alone_and_the_others_are_not_resent(
    world, mailoutbox, refusing
):
    chunk = _chunk(world, 4)
    refused = chunk[1]  # to the mentor
    refusing.refuse = {world.mentor.email: 1}
    report = deliver_chunk([n.pk for n in chunk])
    assert report.outcomes[refused.pk] == "retry"
    assert dict(report.retries) == {backoff_seconds(1): [refused.pk]}
    sent_once = sorted(n.dedupe_key for n in chunk if n.pk != refused.pk)
    assert sorted(notices(mailoutbox)) == sent_once
    refused.refresh_from_db()
    assert refused.sent_at is None and refused.claimed_at is None
    assert refused.retry_at > timezone.now() and "451" in refused.last_error
    # Handing the whole chunk out again sends nothing: the sent are done, the refused one waits
    # for its scheduled retry.
    assert set(deliver_chunk([n.pk for n in chunk]).outcomes.values()) == {"skipped"}
    assert sorted(notices(mailoutbox)) == sent_once
    # The scheduled retry sends it, and only it.
    assert deliver_chunk([refused.pk], retrying=True).outcomes == {refused.pk: "sent"}
    assert sorted(notices(mailoutbox)) == sorted(n.dedupe_key for n in chunk)
    refused.refresh_from_db()
    assert refused.attempts == 2 and refused.sent_at is not None and refused.last_error == ""


def test_the_chunk_task_schedules_the_retry_of_the_refused_message(world, mailoutbox, refusing):
    # Eager here: the retry runs at once instead of after its backoff.
    chunk = _chunk(world, 4)
    refusing.refuse = {world.mentor.email: 1}
    deliver_notifications.delay([n.pk for n in chunk])
    assert sorted(notices(mailoutbox)) == sorted(n.dedupe_key for n in chunk)  # each once
    attempts = dict(Notification.objects.values_list("recipient__email", "attempts"))
    assert attempts[world.mentor.email] == 2 and attempts[world.mentee.email] == 1


def test_a_server_gone_mid_chunk_sends_the_rest_later_untried(world, mailoutbox, refusing):
    chunk = _chunk(world, 4)
    refusing.away_at = 2
    report = deliver_chunk([n.pk for n in chunk])
    assert [report.outcomes[n.pk] for n in chunk] == ["sent", "retry", "retry", "retry"]
    assert refusing.seen == 2  # the third and fourth were not tried against a dead connection
    assert notices(mailoutbox) == [chunk[0].dedupe_key]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_workers_claiming_the_same_chunk_take_each_notice_once(world):
    ids = [n.pk for n in _chunk(world, 60)]
    for _round in range(5):
        Notification.objects.update(claimed_at=None, attempts=0)
        gate, taken = threading.Barrier(2), {}

        def work(name, order, gate=gate, taken=taken):
            try:
                gate.wait()
                taken[name] = claim(order, now=timezone.now())
            finally:
                connection.close()

        threads = [
            threading.Thread(target=work, args=("a", ids)),
            threading.Thread(target=work, args=("b", list(reversed(ids)))),
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        assert not set(taken["a"]) & set(taken["b"])
        assert sorted(taken["a"] + taken["b"]) == sorted(ids)
        assert set(Notification.objects.values_list("attempts", flat=True)) == {1}


def test_planning_returns_the_new_ids_and_replanning_inserts_nothing(world):
    def occasions(n):
        return [
            Occasion(recipient=world.mentee, title=f"Reminder {i}", occasion=str(i))
            for i in range(n)
        ]

    with CaptureQueriesContext(connection) as queries:
        first = plan(kind="dyad_overdue", due=occasions(3))
    assert len(queries) == 1  # one INSERT … ON CONFLICT DO NOTHING RETURNING id
    assert sorted(first) == sorted(Notification.objects.values_list("id", flat=True))
    assert plan(kind="dyad_overdue", due=occasions(3)) == []
    [new] = plan(kind="dyad_overdue", due=occasions(4))
    assert Notification.objects.get(pk=new).title == "Reminder 3"
    assert Notification.objects.count() == 4


def test_planned_rows_carry_what_the_occasion_said(world):
    from mentoring.notices.planning import Ref
    from programs.models import Dyad

    [pk] = plan(
        kind="dyad_overdue",
        due=[
            Occasion(
                recipient=world.mentee,
                title="Time to meet",
                target=Ref(Dyad, world.dyad.pk),
                occasion="2026-03-09",
                body="Body",
                url="/dyads/1/",
                program_id=world.program.pk,
                digest_only=True,
                details={"sequence": 2},
            )
        ],
    )
    row = Notification.objects.get(pk=pk)
    assert (row.target_type.model_class(), row.target_id) == (Dyad, world.dyad.pk)
    assert row.recipient == world.mentee
    assert (row.title, row.body, row.url, row.channel) == (
        "Time to meet",
        "Body",
        "/dyads/1/",
        "digest",
    )
    assert row.details == {"sequence": 2} and row.program_id == world.program.pk
    assert (
        row.dedupe_key == f"dyad_overdue:{world.mentee.pk}:programs.dyad:{world.dyad.pk}:2026-03-09"
    )
    assert row.attempts == 0 and row.sent_at is None
    # The same occasion with the object itself rather than a Ref is the same notice.
    same = Occasion(recipient=world.mentee, title="x", target=world.dyad, occasion="2026-03-09")
    assert plan(kind="dyad_overdue", due=[same]) == []


def test_a_chunk_goes_over_one_smtp_connection(world, settings):
    from tests.reminders.smtp import SMTPServer

    chunk = _chunk(world, 6)
    with SMTPServer() as server:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", server.port
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
        assert deliver_chunk([n.pk for n in chunk]).counts() == {"sent": 6}
    assert server.connections == 1
    assert sorted(m["X-Mentoring-Notice"] for m in server.messages) == sorted(
        n.dedupe_key for n in chunk
    )


@pytest.mark.django_db(transaction=True)
def test_a_refused_record_stops_the_chunk_without_failing_a_notice(world, mailoutbox, monkeypatch):
    # The database refuses a record (a worker's own recorder connection lost): nothing more is sent
    # unrecorded, no notice is marked failed for it, and the task fails, to be handed out again.
    from mentoring.notices import delivery

    chunk = _chunk(world, 5)
    calls = []
    original = delivery._Recorder.wait

    def wait(self):
        calls.append(1)
        if len(calls) == 3:
            raise delivery.RecordFailed("connection lost")
        return original(self)

    monkeypatch.setattr(delivery._Recorder, "wait", wait)
    with pytest.raises(delivery.RecordFailed):
        deliver_chunk([n.pk for n in chunk])
    assert len(notices(mailoutbox)) == 2  # the third was not sent
    assert not Notification.objects.exclude(failed_at=None).exists()
    assert Notification.objects.exclude(sent_at=None).count() == 2
