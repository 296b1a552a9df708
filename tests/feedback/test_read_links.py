"""A link says where it leads; a status says what happened. "(from X, read)" read as "X has read
it": the admin's lists now name the link "Open X's answers" and leave "submitted" as the status."""

import re

from django.urls import reverse

from tests.feedback.helpers import make_cycle, request_of, submit

BARE_READ_LINK = re.compile(r">\s*read\s*</a>", re.IGNORECASE)


def test_attention_list_names_the_link_to_the_answers_apart_from_who_wrote_them(client, world):
    cycle = make_cycle(world)
    submit(request_of(cycle, world.dyad, "mentee"), working="different")
    client.force_login(world.admin)
    page = client.get(reverse("feedback:attention", args=[world.program.slug])).content.decode()
    assert not BARE_READ_LINK.search(page)
    assert "From Sam Mentee." in page
    assert re.search(r"<a [^>]*>Open Sam Mentee’s answers</a>", page)


def test_cycle_page_shows_submitted_as_a_status_and_a_named_link_to_the_answers(client, world):
    cycle = make_cycle(world)
    submit(request_of(cycle, world.dyad, "mentee"))
    client.force_login(world.admin)
    page = client.get(reverse("feedback:cycle", args=[cycle.pk])).content.decode()
    assert not BARE_READ_LINK.search(page)
    assert page.count(">submitted<") == 1
    assert re.search(r"<a [^>]*>Open Sam Mentee’s answers</a>", page)
