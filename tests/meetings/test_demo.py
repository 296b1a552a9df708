from django.test import Client

from meetings import demo
from meetings.models import ActionItem, AgendaItem, Material, Meeting
from programs import demo as programs_demo


def _counts():
    return [m.objects.count() for m in (Meeting, AgendaItem, Material, ActionItem)]


def test_demo_meetings_tell_the_mentees_story_and_seeding_twice_changes_nothing(db):
    world = programs_demo.seed()
    demo.seed(world)
    first = _counts()
    demo.seed(programs_demo.seed())
    assert _counts() == first

    mentee = world["mentee"]
    meetings = Meeting.objects.filter(dyad__mentee=mentee, dyad__mentor=world["mentor"])
    past = meetings.get(status=Meeting.Status.HELD)
    upcoming = meetings.get(status=Meeting.Status.SCHEDULED)
    assert past.notes and past.action_items.count() == 3
    assert past.materials.get().reviewed_at is not None
    assert upcoming.agenda_ready_at is not None
    assert upcoming.materials.get().reviewed_at is None
    # Every other dyad has a history too.
    for dyad in world.program_a.dyads.all() | world.program_b.dyads.all():
        assert dyad.meetings.exists(), dyad


def test_demo_pages_answer_for_the_demo_people(db):
    world = programs_demo.seed()
    demo.seed(world)
    client = Client()
    for local in ("mentee", "mentor", "admin", "mentor3"):
        client.force_login(world[local])
        assert client.get("/").status_code == 200
    client.force_login(world["mentor"])
    for meeting in Meeting.objects.filter(dyad__mentor=world["mentor"]):
        assert client.get(meeting.get_absolute_url()).status_code == 200
    material = Material.objects.filter(file__gt="").first()
    response = client.get(f"/meetings/materials/{material.pk}/download/")
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_load_history_is_bulk_and_idempotent(db):
    program = programs_demo.seed_load_program(5)
    demo.seed_load(program)
    count = Meeting.objects.filter(dyad__program=program).count()
    assert count >= 30
    assert ActionItem.objects.filter(meeting__dyad__program=program).exists()
    demo.seed_load(program)
    assert Meeting.objects.filter(dyad__program=program).count() == count
