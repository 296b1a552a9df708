from feedback.models import FeedbackRequest
from feedback.services import open_fit_check


def test_fit_check_asks_both_sides(world):
    mentee_side, mentor_side = open_fit_check(dyad=world.dyad)
    assert (mentee_side.author, mentee_side.subject) == (world.mentee, world.mentor)
    assert (mentor_side.author, mentor_side.subject) == (world.mentor, world.mentee)
    assert mentee_side.counterpart == mentor_side
    assert mentor_side.counterpart == mentee_side


def test_opening_a_fit_check_twice_creates_nothing_new(world):
    first = open_fit_check(dyad=world.dyad)
    second = open_fit_check(dyad=world.dyad)
    assert first == second
    assert FeedbackRequest.objects.filter(dyad=world.dyad).count() == 2
