"""Forms say what is wrong in words, next to the field and in a summary that links to it, show
their limits, refuse too much with a message, and choose nothing for the person."""

import re
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from goals.models import Milestone
from tests.goals.builders import make_goal
from tests.meetings.builders import pdf_upload, schedule


def _summary(html: str) -> str:
    match = re.search(r'<div class="alert alert-danger error-summary".*?</div>', html, re.S)
    assert match, "no error summary at the top of the form"
    return match.group(0)


def test_a_past_review_by_date_is_refused_on_its_own_field_and_the_file_asked_again(client, world):
    meeting = schedule(world.dyad)
    client.force_login(world.mentee)
    url = reverse("meetings:material_add", args=[meeting.pk])
    # "Today" is the mentee's: the page is in their zone, whatever the server's day is.
    today = timezone.localdate(timezone=world.mentee.zone)
    assert f'min="{today.isoformat()}"' in client.get(url).content.decode()

    yesterday = today - timedelta(days=1)
    page = client.post(
        url, {"title": "Aims", "upload": pdf_upload(), "review_by": yesterday.isoformat()}
    ).content.decode()
    summary = _summary(page)
    assert 'href="#id_review_by"' in summary and "in the past" in summary
    field = re.search(r'id="div_id_review_by".*?</div>\s*</div>', page, re.S).group(0)
    assert "This date is in the past" in field
    assert "choose it again" in page  # a browser cannot keep the chosen file
    assert not meeting.materials.exists()


def test_a_milestone_title_over_its_limit_is_refused_with_a_message(client, world):
    goal = make_goal(world.program, world.mentee)
    client.force_login(world.mentee)
    page = client.post(
        reverse("goals:milestone_add", args=[goal.pk]),
        {"title": "x" * 10_000, "due_date": (timezone.localdate() + timedelta(days=9)).isoformat()},
    ).content.decode()
    assert "at most 200 characters (it has 10000)" in _summary(page)
    assert not Milestone.objects.filter(goal=goal).exists()  # nothing saved, nothing cut


def test_the_report_form_chooses_no_kind_and_no_state_in_advance(client, world):
    goal = make_goal(world.program, world.mentee)
    client.force_login(world.mentee)
    page = client.get(reverse("goals:report_create", args=[world.program.pk])).content.decode()
    kind = re.search(r'<select name="item-0-kind".*?</select>', page, re.S).group(0)
    state = re.search(rf'<select name="goal-{goal.pk}-state".*?</select>', page, re.S).group(0)
    for select in (kind, state):
        assert re.search(r'<option value="" selected>— choose —</option>', select), select
        assert select.count("selected") == 1

    page = client.post(
        reverse("goals:report_create", args=[world.program.pk]),
        {"accomplishments": "Aims drafted", "help_needed": ""},
    ).content.decode()
    assert "Say where this goal stands." in page


def test_an_incomplete_feedback_lists_each_unanswered_question_linked(client, world):
    from tests.feedback.helpers import make_cycle, request_of

    feedback_request = request_of(make_cycle(world), world.dyad, "mentee")
    client.force_login(world.mentee)
    page = client.post(feedback_request.get_absolute_url(), {"action": "submit"}).content.decode()
    summary = _summary(page)
    links = re.findall(r'<a href="#(div_id_q_\w+)">[^<]+: Rate this quality', summary)
    assert len(links) == len(feedback_request.qualities) > 1
    for anchor in links:
        assert f'id="{anchor}"' in page  # each link leads to its question
    assert 'href="#id_working' in summary or 'href="#div_id_working"' in summary


def test_an_unanswered_rating_marks_its_question_in_words_not_every_option_in_red(client, world):
    """Issue 15: an incomplete feedback form turned every unanswered option red. The refused
    group says what is missing under it; its options keep their colour (aria-invalid for screen
    readers)."""
    from tests.feedback.helpers import make_cycle, request_of

    feedback_request = request_of(make_cycle(world), world.dyad, "mentee")
    client.force_login(world.mentee)
    page = client.post(feedback_request.get_absolute_url(), {"action": "submit"}).content.decode()
    radios = re.findall(r'<input type="radio"[^>]*>', page)
    assert radios
    assert not [r for r in radios if "is-invalid" in r]
    assert [r for r in radios if 'aria-invalid="true"' in r]
    messages = re.findall(r'class="invalid-feedback d-block">\s*<p id="error_1_id_q_', page)
    assert len(messages) == len(feedback_request.qualities)
