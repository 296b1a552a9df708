from goals import demo
from goals.models import Goal, Milestone, ProgressReport, ReportItem
from programs import demo as programs_demo


def _counts():
    return [m.objects.count() for m in (Goal, Milestone, ProgressReport, ReportItem)]


def test_demo_mentee_has_a_plan_with_an_overdue_milestone_and_a_barrier(db):
    world = programs_demo.seed()
    demo.seed(world)
    mentee = world["mentee"]
    milestones = Milestone.objects.filter(goal__mentee=mentee)
    assert milestones.filter(status="done").exists()
    assert any(m.is_overdue() for m in milestones)
    assert ReportItem.objects.filter(report__mentee=mentee, kind="barrier").exists()
    assert Goal.objects.filter(mentee=mentee, reviews__decision="agreed").exists()


def test_demo_mentee3_goals_carried_over_to_mentor2(db):
    world = programs_demo.seed()
    demo.seed(world)
    goals = Goal.objects.filter(mentee=world["mentee3"])
    assert goals.count() == 2
    assert set(Goal.objects.visible_to(world["mentor2"]).filter(mentee=world["mentee3"])) == set(
        goals
    )


def test_demo_seed_twice_changes_nothing(db):
    world = programs_demo.seed()
    demo.seed(world)
    before = _counts()
    demo.seed(programs_demo.seed())
    assert _counts() == before


def test_demo_load_program_gets_plans(db):
    programs_demo.seed()
    program = programs_demo.seed_load_program(3)
    demo.seed_load(program)
    demo.seed_load(program)
    assert program.goals.count() == 6
    assert ProgressReport.objects.filter(program=program).count() == 3


def test_demo_plans_render_for_mentee_mentor_and_admin(client, db):
    from django.urls import reverse

    world = programs_demo.seed()
    demo.seed(world)
    program = world.program_a
    checks = [
        (world["mentee"], world["mentee"], "Overdue"),
        (world["mentor"], world["mentee"], "Clinic schedule leaves no protected research time."),
        (world["mentor2"], world["mentee3"], "Publish my first first-author paper"),
        (world["admin"], world["mentee"], "2 opportunities recorded"),
    ]
    for viewer, mentee, text in checks:
        client.force_login(viewer)
        page = client.get(reverse("goals:plan", args=[program.pk, mentee.pk]))
        assert text in page.content.decode()
