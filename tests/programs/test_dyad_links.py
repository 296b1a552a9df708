from programs.services.pairing import re_pair_mentee


def test_new_mentor_sees_no_link_to_the_mentees_earlier_dyad(client, world):

    new = re_pair_mentee(dyad=world.dyad, by=world.admin, new_mentor=world.other_mentor)
    client.force_login(world.other_mentor)
    page = client.get(new.get_absolute_url())
    assert page.status_code == 200
    assert world.dyad.get_absolute_url() not in page.text
    assert "an earlier pairing" in page.text
    client.force_login(world.mentor)
    old_page = client.get(world.dyad.get_absolute_url())
    assert old_page.status_code == 200
    assert new.get_absolute_url() not in old_page.text
    client.force_login(world.mentee)
    assert world.dyad.get_absolute_url() in client.get(new.get_absolute_url()).text
