from django.urls import reverse

from programs.models import AuditEntry

VALID = {
    "name": "Program A",
    "description": "Faculty mentoring",
    "default_cadence_days": 21,
    "feedback_cycle_months": 4,
    "time_zone": "UTC",
    "requests_need_approval": "on",
    "agreement_template": "We meet every three weeks.",
}


def test_admin_changes_the_programs_rhythm_and_rules(client, world):
    client.force_login(world.admin)
    response = client.post(reverse("programs:settings", args=[world.program.slug]), VALID)
    assert response.status_code == 302
    world.program.refresh_from_db()
    assert world.program.default_cadence_days == 21
    assert world.program.requests_need_approval
    entry = AuditEntry.objects.get(action="program.settings")
    assert (entry.before["default_cadence_days"], entry.after["default_cadence_days"]) == (30, 21)


def test_admin_gets_a_clear_message_and_keeps_the_input_for_a_zero_cadence(client, world):
    client.force_login(world.admin)
    data = {**VALID, "default_cadence_days": 0, "description": "Kept text"}
    response = client.post(reverse("programs:settings", args=[world.program.slug]), data)
    assert response.status_code == 200
    assert "1 or more" in response.text
    assert "Kept text" in response.text
    world.program.refresh_from_db()
    assert world.program.default_cadence_days == 30


def test_admin_sets_the_zone_of_the_programs_due_dates(client, world):
    client.force_login(world.admin)
    url = reverse("programs:settings", args=[world.program.slug])
    assert '<option value="UTC" selected>' in client.get(url).text  # settings.TIME_ZONE
    response = client.post(url, {**VALID, "time_zone": "America/Chicago"})
    assert response.status_code == 302
    world.program.refresh_from_db()
    assert world.program.time_zone == "America/Chicago"
    refused = client.post(url, {**VALID, "time_zone": "Mars/Olympus"})
    assert refused.status_code == 200
    assert "Mars/Olympus” is not a time zone we know" in refused.text


def test_mentor_cannot_change_the_settings(client, world):
    client.force_login(world.mentor)
    response = client.post(reverse("programs:settings", args=[world.program.slug]), VALID)
    assert response.status_code == 403


def test_admin_of_another_program_cannot_see_the_settings(client, world):
    client.force_login(world.outsider_admin)
    assert client.get(reverse("programs:settings", args=[world.program.slug])).status_code == 404
