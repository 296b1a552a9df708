"""What the feedback pages say: one heading per part, no "pending" once a cycle has closed, and
counts that read well for one and for many."""

import re
from datetime import timedelta

import time_machine
from django.urls import reverse
from django.utils import timezone

from tests.builders import make_dyad, make_user
from tests.feedback.helpers import make_cycle, request_of, submit


def _headings(html: str) -> list[str]:
    return [
        " ".join(re.sub(r"<[^>]+>", "", h).split())
        for h in re.findall(r"<h2[^>]*>(.*?)</h2>", html, re.S)
    ]


def test_the_answer_form_has_one_heading_and_no_empty_one_under_it(client, world):
    cycle = make_cycle(world)
    client.force_login(world.mentee)
    page = client.get(request_of(cycle, world.dyad, "mentee").get_absolute_url()).text
    headings = _headings(page)
    assert headings.count(f"Your feedback for {world.mentor}") == 1, headings


def test_a_correction_names_the_submitted_version_apart_from_the_form(client, world):
    cycle = make_cycle(world)
    feedback_request = request_of(cycle, world.dyad, "mentee")
    submit(feedback_request)
    client.force_login(world.mentee)
    client.post(reverse("feedback:correct", args=[feedback_request.pk]))
    headings = _headings(client.get(feedback_request.get_absolute_url()).text)
    assert len(headings) == len(set(headings)), headings


def test_a_closed_cycle_says_not_answered_instead_of_pending(client, world):
    cycle = make_cycle(world)
    submit(request_of(cycle, world.dyad, "mentee"))
    after = timezone.now() + timedelta(days=30)
    with time_machine.travel(after, tick=False):
        client.force_login(world.admin)
        admin_page = client.get(reverse("feedback:cycle", args=[cycle.pk])).text
        client.force_login(world.mentor)
        mine = client.get(reverse("feedback:mine")).text
    assert ">pending<" not in admin_page and "send reminder" not in admin_page
    assert admin_page.count(">not answered<") == 3
    assert "pending" not in mine
    assert "not answered: the cycle closed" in mine


def test_an_open_cycle_still_says_pending(client, world):
    make_cycle(world)
    client.force_login(world.mentor)
    assert ">pending<" in client.get(reverse("feedback:mine")).text


def _mentees_answer_about(world, mentor, count):
    dyads = [make_dyad(world.program, mentor=mentor) for _ in range(count)]
    cycle = make_cycle(world, name=f"Cycle for {count}")
    for dyad in dyads:
        submit(cycle.requests.get(dyad=dyad, author_role="mentee"))


def _hidden_note(client, world, answered: int) -> str:
    mentor = make_user(f"hidden{answered}@a.example", name=f"Hidden Mentor {answered}")
    if answered:
        _mentees_answer_about(world, mentor, answered)
    else:  # a mentor of the program nobody has rated yet
        make_dyad(world.program, mentor=mentor)
    client.force_login(world.admin)
    page = client.get(reverse("feedback:mentors", args=[world.program.slug])).text
    section = page.split(f"Hidden Mentor {answered}</h2>", 1)[1].split("</section>", 1)[0]
    return " ".join(re.sub(r"<[^>]+>", "", section).split())


def test_the_hidden_ratings_count_one_mentee_in_the_singular(client, world):
    assert (
        _hidden_note(client, world, 1) == "Hidden: 1 mentee has answered; the averages show from 3."
    )


def test_the_hidden_ratings_count_mentees_in_the_plural(client, world):
    assert _hidden_note(client, world, 2) == (
        "Hidden: 2 mentees have answered; the averages show from 3."
    )


def test_no_answer_yet_reads_as_such(client, world):
    assert _hidden_note(client, world, 0) == (
        "Hidden: no mentee has answered yet; the averages show from 3."
    )
