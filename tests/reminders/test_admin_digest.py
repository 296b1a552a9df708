import time_machine

from tests.builders import make_dyad
from tests.reminders.conftest import at, run, sent_to


def test_program_admin_gets_weekly_digest_with_overdue_dyads(world, mailoutbox):
    with time_machine.travel(at(2027, 1, 1, 12), tick=False):
        dyad = make_dyad(world.program, by=world.admin, cadence_days=14)
    run("admin_digest", at(2027, 2, 1, 7))  # Monday, before 08:00: not yet
    assert sent_to(mailoutbox) == []
    run("admin_digest", at(2027, 2, 1, 9))
    [mail] = [m for m in mailoutbox if m.to == [world.admin.email]]
    assert mail.subject == "[Mentoring] Program A: the week in review"
    assert str(dyad) in mail.body and "Dyads overdue for a meeting" in mail.body
    assert "Feedback" in mail.body or "feedback" in mail.body
    run("admin_digest", at(2027, 2, 3, 9))  # later that week: nothing new
    run("admin_digest", at(2027, 2, 8, 9))  # next Monday: the next one
    assert len([m for m in mailoutbox if m.to == [world.admin.email]]) == 2


def test_admin_of_another_program_gets_only_their_program(world, mailoutbox):
    with time_machine.travel(at(2027, 1, 1, 12), tick=False):
        dyad = make_dyad(world.program, by=world.admin, cadence_days=14)
    run("admin_digest", at(2027, 2, 1, 9))
    [mail] = [m for m in mailoutbox if m.to == [world.outsider_admin.email]]
    assert "Program B" in mail.subject and str(dyad) not in mail.body


def test_feedback_completion_leaves_out_the_requests_an_ended_pairing_withdrew(world, mailoutbox):
    from datetime import date

    from feedback.services import open_cycle
    from programs.services.dyads import end_dyad

    with time_machine.travel(at(2027, 1, 1, 12), tick=False):
        open_cycle(
            program=world.program,
            by=world.admin,
            name="Winter 2027",
            opens=date(2027, 1, 1),
            due=date(2027, 1, 15),
            closes=date(2027, 1, 22),
        )
        end_dyad(dyad=world.other_dyad, by=world.admin, reason="poor_fit")
    run("admin_digest", at(2027, 1, 4, 9))  # a Monday
    [mail] = [m for m in mailoutbox if m.to == [world.admin.email]]
    # Two dyads were asked (four requests); one ended: its two are no longer asked.
    assert "Feedback in “Winter 2027”: 0 of 2 given" in mail.body


def test_a_digest_already_planned_this_week_is_not_built_again(world, mailoutbox, monkeypatch):
    from mentoring import registry

    run("admin_digest", at(2027, 2, 1, 9))
    built = []
    sections = [(order, section) for order, section in registry.ADMIN_DIGEST_SECTIONS]
    monkeypatch.setattr(
        registry,
        "ADMIN_DIGEST_SECTIONS",
        [(o, lambda ids, now, s=s: built.append(ids) or s(ids, now)) for o, s in sections],
    )
    assert run("admin_digest", at(2027, 2, 3, 9)).planned == 0  # later that week
    assert built == []  # every admin's digest of the week is planned: no section computed
    run("admin_digest", at(2027, 2, 8, 9))  # next Monday
    assert built and len([m for m in mailoutbox if m.to == [world.admin.email]]) == 2


def test_two_open_cycles_are_two_lines_in_the_digest(world, mailoutbox):
    from datetime import date

    from feedback.services import open_cycle

    with time_machine.travel(at(2027, 1, 1, 12), tick=False):
        for name, due in (("Winter 2027", date(2027, 1, 15)), ("Fit check", date(2027, 1, 20))):
            open_cycle(
                program=world.program,
                by=world.admin,
                name=name,
                opens=date(2027, 1, 1),
                due=due,
                closes=date(2027, 1, 29),
            )
    run("admin_digest", at(2027, 1, 4, 9))  # a Monday
    [mail] = [m for m in mailoutbox if m.to == [world.admin.email]]
    assert "Feedback in “Winter 2027”: 0 of 4 given" in mail.body
    assert "Feedback in “Fit check”: 0 of 4 given" in mail.body
    assert "open cycles" not in mail.body
