"""Home's next step, and one status badge whose colour means the same everywhere."""

import re
from pathlib import Path

from django.conf import settings
from django.template import Context, Template

from meetings import services
from tests.meetings.builders import schedule

ROOT = Path(settings.BASE_DIR) / "templates"


def _next_step(client, user) -> str:
    client.force_login(user)
    page = client.get("/").content.decode()
    match = re.search(r'<section class="card next-step.*?</section>', page, re.S)
    return match.group(0) if match else ""


def test_a_mentee_is_sent_to_write_the_agenda_and_the_mentor_to_review(client, world):
    meeting = schedule(world.dyad)
    card = _next_step(client, world.mentee)
    assert "Write the agenda for" in card and f"/meetings/{meeting.pk}/#agenda" in card
    assert "Your next step" in card

    services.add_agenda_item(meeting=meeting, by=world.mentee, topic="Aims")
    services.set_agenda_ready(meeting=meeting, by=world.mentee, ready=True)
    assert "Write the agenda" not in _next_step(client, world.mentee)
    services.attach_material(
        meeting=meeting,
        by=world.mentee,
        title="Aims draft",
        link="https://docs.example/aims",
        max_bytes=10_000,
    )
    assert "Review “Aims draft” from" in _next_step(client, world.mentor)


def test_nothing_to_do_shows_no_card(client, world):
    assert _next_step(client, world.other_mentee) == ""


def test_a_status_has_one_colour_whatever_the_page(world):
    page = Template("{% load badges %}{% status_badge a %} {% status_badge b %}").render(
        Context({"a": world.dyad, "b": schedule(world.dyad)})
    )
    assert page == (
        '<span class="badge text-bg-success">Active</span> '
        '<span class="badge text-bg-success">Scheduled</span>'
    )


def test_no_template_colours_a_status_by_hand():
    by_hand = re.compile(r'class="badge[^"]*"[^>]*>\{\{ [\w.]+\.get_status_display \}\}')
    found = [
        f"{path.relative_to(ROOT)}: {m.group(0)}"
        for path in ROOT.rglob("*.html")
        if "emails" not in path.parts
        for m in by_hand.finditer(path.read_text())
    ]
    assert not found, (
        "use {% status_badge obj %} (mentoring/templatetags/badges.py):\n" + "\n".join(found)
    )


def test_an_admin_is_sent_to_the_attention_list(client, db):
    import io

    from django.core.management import call_command

    from mentoring.models import User

    call_command("seed_demo", stdout=io.StringIO())
    card = _next_step(client, User.objects.get(email="admin@example.com"))
    assert "needing attention in" in card and "/attention/" in card
    # Why, before the button that names the dyads: read first, it names its cause, not "them".
    assert "Flagged by feedback or missed meetings." in card
