from django.urls import reverse


def test_anonymous_visitor_is_sent_to_login(client, db):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_healthz_answers_ok_without_login(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"


def test_mentee_sees_their_mentor_on_home(client, world):
    client.force_login(world.mentee)
    response = client.get("/")
    assert response.status_code == 200
    assert "Maria Mentor" in response.text
