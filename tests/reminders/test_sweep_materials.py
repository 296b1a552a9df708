from datetime import date

import time_machine

from tests.reminders.conftest import at, run, schedule_meeting, sent_to


def _draft(world, review_by):
    from meetings.services import attach_material

    with time_machine.travel(at(2027, 1, 10, 12), tick=False):
        meeting = schedule_meeting(world.dyad, at(2027, 1, 25, 14))
        return attach_material(
            meeting=meeting,
            by=world.mentee,
            title="Specific aims draft",
            link="https://docs.example.org/aims",
            review_by=review_by,
            max_bytes=10_000,
        )


def test_mentor_is_reminded_when_review_by_date_is_near(world, mailoutbox):
    _draft(world, date(2027, 1, 20))
    mailoutbox.clear()
    assert run("material_review_due", at(2027, 1, 17, 12)).planned == 0  # three days before
    run("material_review_due", at(2027, 1, 18, 12))
    [(to, subject)] = sent_to(mailoutbox)
    assert to == world.mentor.email and "Specific aims draft" in subject


def test_reviewed_material_sends_no_reminder(world, mailoutbox):
    from meetings.services import review_material

    material = _draft(world, date(2027, 1, 20))
    with time_machine.travel(at(2027, 1, 12, 12), tick=False):
        review_material(material=material, by=world.mentor, comment="Tighten aim 2")
    assert run("material_review_due", at(2027, 1, 19, 12)).planned == 0
