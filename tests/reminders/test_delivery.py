from mentoring.models import Notification
from mentoring.notices.delivery import deliver
from mentoring.notices.planning import Occasion, plan_notifications
from mentoring.notices.tasks import deliver_notification
from tests.reminders.conftest import notice_for, notices


def test_planning_twice_creates_one_notice(world):
    occasion = Occasion(
        recipient=world.mentee, title="Meet", target=world.dyad, occasion="2026-03-09"
    )
    assert plan_notifications(kind="dyad_overdue", due=[occasion]) == 1
    assert plan_notifications(kind="dyad_overdue", due=[occasion]) == 0
    assert Notification.objects.count() == 1


def test_a_new_occasion_is_a_new_notice(world):
    first = Occasion(recipient=world.mentee, title="Meet", target=world.dyad, occasion="2026-03-09")
    later = Occasion(recipient=world.mentee, title="Meet", target=world.dyad, occasion="2026-04-08")
    assert plan_notifications(kind="dyad_overdue", due=[first, later]) == 2


def test_mentee_gets_reminder_mail_with_text_and_html(world, mailoutbox):
    notice = notice_for(world.mentee, program=world.program, title="Time to meet Maria")
    assert deliver_notification.delay(notice.pk).get() == "sent"
    [mail] = mailoutbox
    assert mail.to == [world.mentee.email]
    assert mail.subject == "[Mentoring] Time to meet Maria"
    assert "Hello Sam" in mail.body
    html, mimetype = mail.alternatives[0]
    assert mimetype == "text/html" and "Time to meet Maria" in html
    notice.refresh_from_db()
    assert notice.sent_at is not None and notice.channel == "email" and notice.attempts == 1


def test_second_delivery_of_same_notice_sends_nothing(world, mailoutbox):
    notice = notice_for(world.mentee, program=world.program)
    assert deliver(notification_id=notice.pk) == "sent"
    assert deliver(notification_id=notice.pk) == "skipped"
    assert notices(mailoutbox) == [notice.dedupe_key]


def test_worker_cannot_take_a_notice_another_worker_holds(world, mailoutbox):
    notice = notice_for(world.mentee, program=world.program)
    from django.utils import timezone

    Notification.objects.filter(pk=notice.pk).update(claimed_at=timezone.now())  # held by a worker
    assert deliver(notification_id=notice.pk) == "skipped"
    assert mailoutbox == []


def test_claim_of_a_dead_worker_expires_after_the_lease(world, mailoutbox):
    from django.utils import timezone

    from mentoring.notices.planning import lease

    notice = notice_for(world.mentee, program=world.program)
    Notification.objects.filter(pk=notice.pk).update(claimed_at=timezone.now() - lease() * 2)
    assert deliver(notification_id=notice.pk) == "sent"
    assert len(mailoutbox) == 1
