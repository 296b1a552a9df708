"""The navigation bar by role, the current page marked, and the pages it leads to."""

import re

from django.urls import reverse

NAV = re.compile(r'<nav class="navbar.*?</nav>', re.S)


def _nav(response) -> str:
    return NAV.search(response.content.decode()).group(0)


def test_a_mentee_finds_meetings_plan_feedback_and_calendar(client, world):
    client.force_login(world.mentee)
    nav = _nav(client.get(reverse("feedback:mine")))
    for label, url in [
        ("Meetings", "/meetings/"),
        ("My plan", "/goals/"),
        ("Feedback", "/feedback/"),
        ("Calendar", "/meetings/calendar/"),
    ]:
        assert f'href="{url}"' in nav and label in nav
    assert nav.count('aria-current="page"') == 1
    assert 'href="/feedback/" aria-current="page">Feedback<' in nav
    assert "Mentees' plans" not in nav and "dropdown-menu" not in nav


def test_a_mentor_reads_mentees_plans_and_an_admin_gets_the_program_menu(client, world):
    client.force_login(world.mentor)
    assert "Mentees&#x27; plans" in _nav(client.get("/"))
    client.force_login(world.admin)
    nav = _nav(client.get(reverse("programs:members", args=[world.program.slug])))
    assert "Meetings" not in nav
    assert f'href="/programs/{world.program.slug}/members/" aria-current="page"' in nav
    assert f'href="/programs/{world.program.slug}/pair/"' in nav


def test_meetings_lists_only_the_persons_own_pairings(client, world, django_assert_max_num_queries):
    client.force_login(world.mentee)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("meetings:mine")).content.decode()
    assert reverse("meetings:dyad", args=[world.dyad.pk]) in page
    assert reverse("meetings:dyad", args=[world.other_dyad.pk]) not in page
    assert "aria-current" in _nav(client.get(reverse("meetings:mine")))


def test_plans_list_the_own_plan_and_the_open_mentees(client, world, django_assert_max_num_queries):
    client.force_login(world.mentor)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("goals:mine")).content.decode()
    assert reverse("goals:plan", args=[world.program.pk, world.mentee.pk]) in page
    assert reverse("goals:plan", args=[world.program.pk, world.other_mentee.pk]) not in page
    client.force_login(world.outsider)
    page = client.get(reverse("goals:mine")).content.decode()
    assert reverse("goals:plan", args=[world.program_b.pk, world.outsider.pk]) in page
    assert reverse("goals:plan", args=[world.program.pk, world.mentee.pk]) not in page


def test_the_most_specific_section_is_the_current_one(client, world):
    """The calendar is a page of the meetings app: there, Calendar is current, not Meetings."""
    client.force_login(world.mentee)
    nav = _nav(client.get(reverse("meetings:calendar")))
    assert nav.count('aria-current="page"') == 1
    assert 'href="/meetings/calendar/" aria-current="page"' in nav
    meeting_page = _nav(client.get(reverse("meetings:dyad", args=[world.dyad.pk])))
    assert 'href="/meetings/" aria-current="page"' in meeting_page
    home = _nav(client.get("/"))
    assert home.count('aria-current="page"') == 1 and 'href="/" aria-current="page"' in home
