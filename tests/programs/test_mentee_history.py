"""A mentee's dyad history, for the program admin, found through the program's memberships."""

import pytest
from django.urls import reverse

from programs.services.pairing import re_pair_mentee
from tests.builders import make_user

pytestmark = pytest.mark.django_db


def _url(w, user):
    return reverse("programs:mentee_history", args=[w.program.slug, user.pk])


def test_admin_reads_every_dyad_of_a_mentee_newest_first(client, world):
    re_pair_mentee(dyad=world.dyad, by=world.admin, new_mentor=world.other_mentor)
    client.force_login(world.admin)
    response = client.get(_url(world, world.mentee))
    dyads = response.context["dyads"]
    assert [d.mentor for d in dyads] == [world.other_mentor, world.mentor]
    html = response.content.decode()
    assert "Poor fit" in html
    assert "follows the dyad with Maria Mentor" in html


def test_admin_gets_404_for_someone_who_is_not_a_mentee_of_the_program(client, world):
    client.force_login(world.admin)
    assert client.get(_url(world, make_user())).status_code == 404
    assert client.get(_url(world, world.outsider)).status_code == 404
    assert client.get(_url(world, world.mentor)).status_code == 404  # a mentor, not a mentee


def test_other_programs_admin_cannot_read_the_history(client, world):
    client.force_login(world.outsider_admin)
    assert client.get(_url(world, world.mentee)).status_code == 404
