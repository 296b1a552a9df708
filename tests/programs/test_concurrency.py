"""Against the real PostgreSQL: two admins at the same moment, and the database's own rules."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from programs.models import Dyad, Membership
from programs.services.pairing import pair_mentee
from tests.builders import add_member, make_admin, make_program, make_user

pytestmark = pytest.mark.postgres


def _race(*calls):
    """Run the calls in threads that start together; return each one's result or exception."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait(timeout=10)
            results[index] = call()
        except Exception as error:  # the refusal is the result we look at
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def _program_with_two_admins():
    program = make_program("Race Program")
    first, second = make_admin(program), make_admin(program)
    mentee = make_user(name="Contested Mentee")
    add_member(program, mentee, Membership.Role.MENTEE)
    mentors = [make_user(), make_user()]
    for mentor in mentors:
        add_member(program, mentor, Membership.Role.MENTOR)
    return program, (first, second), mentee, mentors


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("same_mentor", [False, True], ids=["two-mentors", "same-mentor"])
def test_two_admins_pairing_one_mentee_at_once_make_one_dyad(same_mentor):
    program, admins, mentee, mentors = _program_with_two_admins()
    chosen = [mentors[0], mentors[0] if same_mentor else mentors[1]]

    def pair(admin, mentor):
        return lambda: pair_mentee(program=program, mentor=mentor, mentee=mentee, by=admin)

    results = _race(pair(admins[0], chosen[0]), pair(admins[1], chosen[1]))

    assert Dyad.objects.filter(program=program, mentee=mentee).count() == 1
    dyads = [r for r in results if isinstance(r, Dyad)]
    refusals = [r for r in results if isinstance(r, ValidationError)]
    assert len(dyads) == 1 and len(refusals) == 1, results
    # Which check saw the other admin's dyad depends on the timing; each says so plainly.
    message = " ".join(refusals[0].messages)
    assert any(
        reason in message
        for reason in (
            "a moment ago, by someone else",
            "already has a primary mentor",
            "already paired",
        )
    ), message


@pytest.mark.django_db(transaction=True)
def test_two_admins_taking_a_mentors_last_place_at_once_fill_it_once():
    program, admins, _mentee, mentors = _program_with_two_admins()
    Membership.objects.filter(user=mentors[0]).update(capacity=1)
    mentees = [make_user(), make_user()]
    for mentee in mentees:
        add_member(program, mentee, Membership.Role.MENTEE)

    def pair(admin, mentee):
        return lambda: pair_mentee(program=program, mentor=mentors[0], mentee=mentee, by=admin)

    results = _race(pair(admins[0], mentees[0]), pair(admins[1], mentees[1]))

    assert Dyad.objects.filter(program=program, mentor=mentors[0]).count() == 1
    refusals = [r for r in results if isinstance(r, ValidationError)]
    assert len(refusals) == 1 and "at capacity" in refusals[0].messages[0], results


@pytest.mark.django_db
def test_database_refuses_a_dyad_whose_mentor_is_not_a_mentor_member():
    program = make_program()
    mentor, mentee = make_user(), make_user()
    add_member(program, mentee, Membership.Role.MENTEE)
    add_member(program, mentor, Membership.Role.MENTEE)  # in the program, but not as a mentor
    with pytest.raises(IntegrityError, match="dyad_mentor_is_member"), transaction.atomic():
        Dyad.objects.create(program=program, mentor=mentor, mentee=mentee, status="active")


@pytest.mark.django_db
def test_database_refuses_a_second_open_primary_dyad_for_a_mentee():
    program = make_program()
    admin = make_admin(program)
    mentee = make_user()
    add_member(program, mentee, Membership.Role.MENTEE)
    mentors = [make_user(), make_user()]
    for mentor in mentors:
        add_member(program, mentor, Membership.Role.MENTOR)
    pair_mentee(program=program, mentor=mentors[0], mentee=mentee, by=admin)
    with pytest.raises(IntegrityError, match="one_open_primary_per_mentee"), transaction.atomic():
        Dyad.objects.create(program=program, mentor=mentors[1], mentee=mentee, status="active")
