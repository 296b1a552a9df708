from django.urls import reverse

from feedback import demo
from feedback.models import AttentionItem, ConfidentialNote, FeedbackCycle, FeedbackResponse
from feedback.selectors import open_requests_for
from programs import demo as programs_demo


def test_demo_seed_gives_each_promised_scene_and_runs_twice(db):
    world = programs_demo.seed()
    demo.seed(world)
    counts = (
        FeedbackCycle.objects.count(),
        FeedbackResponse.objects.count(),
        AttentionItem.objects.count(),
    )
    demo.seed(programs_demo.seed())
    assert counts == (
        FeedbackCycle.objects.count(),
        FeedbackResponse.objects.count(),
        AttentionItem.objects.count(),
    )
    mentee, mentor = world["mentee"], world["mentor"]
    (pending,) = [r for r in open_requests_for(mentee) if r.subject == mentor]
    assert pending.cycle.name == "Spring feedback"
    closed = FeedbackCycle.objects.get(name="Autumn feedback")
    assert closed.is_closed()
    # Both sides of the closed cycle are revealed to both people.
    for person in (mentee, mentor):
        visible = FeedbackResponse.objects.visible_to(person).filter(request__cycle=closed)
        assert {r.request.author for r in visible} == {mentee, mentor}
    assert ConfidentialNote.objects.visible_to(world["admin"]).count() == 1
    assert ConfidentialNote.objects.visible_to(world["mentor2"]).count() == 0
    (item,) = AttentionItem.objects.unresolved()
    assert item.dyad.mentee == world["mentee2"]


def test_demo_mentee_is_asked_on_the_home_page(client, db):
    world = programs_demo.seed()
    demo.seed(world)
    client.force_login(world["mentee"])
    page = client.get(reverse("home")).content.decode()
    assert "Give feedback to Dr. Maria Mentor (Spring feedback" in page
    client.force_login(world["admin"])
    assert "1 dyad on your attention list." in client.get(reverse("home")).content.decode()


def test_load_seed_answers_every_dyad(db):
    program = programs_demo.seed_load_program(12)
    demo.seed_load(program)
    demo.seed_load(program)
    cycle = program.feedback_cycles.get()
    assert cycle.requests.filter(submitted_at__isnull=False).count() == 24
    assert FeedbackResponse.objects.filter(request__cycle=cycle).count() == 24
