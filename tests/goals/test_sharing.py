from django.urls import reverse

from goals.models import Goal, ProgressReport
from programs.services.pairing import add_supplemental_mentor
from tests.builders import add_member, make_user
from tests.goals.builders import make_goal, make_report


def _supplemental(world):
    helper = make_user()
    add_member(world.program, helper, "mentor")
    dyad = add_supplemental_mentor(
        program=world.program,
        mentor=helper,
        mentee=world.mentee,
        by=world.admin,
        focus_area="grant writing",
    )
    return helper, dyad


def test_supplemental_mentor_without_a_share_sees_no_goal(client, world):
    goal = make_goal(world.program, world.mentee)
    make_report(world.program, world.mentee)
    helper, _dyad = _supplemental(world)
    assert not Goal.objects.visible_to(helper).exists()
    assert not ProgressReport.objects.visible_to(helper).exists()
    client.force_login(helper)
    assert client.get(goal.get_absolute_url()).status_code == 404
    plan = client.get(reverse("goals:plan", args=[world.program.pk, world.mentee.pk]))
    assert goal.title not in plan.content.decode()


def test_mentee_shares_one_goal_with_a_supplemental_mentor(client, world):
    shared = make_goal(world.program, world.mentee, title="Write the R01")
    other = make_goal(world.program, world.mentee, title="Teaching award")
    helper, dyad = _supplemental(world)
    client.force_login(world.mentee)
    assert (
        client.post(reverse("goals:share", args=[shared.pk]), {"dyad": dyad.pk}).status_code == 302
    )
    client.force_login(helper)
    plan = client.get(reverse("goals:plan", args=[world.program.pk, world.mentee.pk]))
    assert "Write the R01" in plan.content.decode()
    assert other.title not in plan.content.decode()


def test_mentee_cannot_share_with_another_mentees_dyad(client, world):
    goal = make_goal(world.program, world.mentee)
    client.force_login(world.mentee)
    client.post(reverse("goals:share", args=[goal.pk]), {"dyad": world.other_dyad.pk})
    assert not goal.shares.exists()
