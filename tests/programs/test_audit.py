"""The audit log page: every admin action, newest first, with what changed."""

from datetime import date, timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from mentoring import moments
from programs import audit
from programs.invitations import invite_member
from programs.models import AuditEntry
from programs.services.dyads import end_dyad
from tests.builders import make_dyad


def audit_url(world, query: str = "") -> str:
    return reverse("programs:audit", args=[world.program.slug]) + query


def test_admin_reads_who_did_what_when_newest_first(client, world):
    with time_machine.travel(timezone.now() + timedelta(hours=1), tick=False):
        invite_member(program=world.program, by=world.admin, email="x@a.example", role="mentee")
    client.force_login(world.admin)

    response = client.get(audit_url(world))

    assert response.status_code == 200
    entries = [entry for entry, _changes in response.context["rows"]]
    assert entries[0].action == "invitation.create"  # the newest
    assert {entry.action for entry in entries} >= {"dyad.create", "invitation.create"}
    page = response.content.decode()
    assert "Invited x@a.example as Mentee" in page
    assert str(world.admin) in page
    assert page.index("Invited x@a.example") < page.index("Paired")


def test_admin_sees_only_the_changed_fields_of_an_edit_with_names_not_ids(client, world):
    end_dyad(dyad=world.dyad, by=world.admin, reason="poor_fit", note="No chemistry")
    client.force_login(world.admin)

    response = client.get(audit_url(world, "?action=dyad.end"))

    [(_entry, changes)] = response.context["rows"]
    fields = {field: (before, after) for field, before, after in changes}
    assert fields["Status"] == ("Active", "Ended")
    assert fields["End reason"] == ("—", "Poor fit")
    assert fields["End note"] == ("—", "No chemistry")
    assert "Mentor" not in fields  # unchanged fields are left out
    page = response.content.decode()
    assert "<del>Active</del>" in page
    assert "<ins>Ended</ins>" in page


def test_admin_sees_people_by_name_in_a_creation(client, world):
    client.force_login(world.admin)

    response = client.get(audit_url(world, "?action=dyad.create"))

    changes = {field: after for field, _before, after in response.context["rows"][-1][1]}
    assert changes["Mentor"] == "Maria Mentor"
    assert changes["Mentee"] == "Sam Mentee"
    assert "End note" not in changes  # a creation lists what was set


def test_admin_filters_by_action(client, world):
    invite_member(program=world.program, by=world.admin, email="x@a.example", role="mentee")
    client.force_login(world.admin)

    response = client.get(audit_url(world, "?action=invitation.create"))

    assert [entry.action for entry, _ in response.context["rows"]] == ["invitation.create"]
    assert '<option value="dyad.create">Dyad created</option>' in response.content.decode()


def test_admin_with_an_unknown_action_filter_gets_the_whole_log(client, world):
    client.force_login(world.admin)

    response = client.get(audit_url(world, "?action=nonsense"))

    assert response.status_code == 200
    assert len(response.context["rows"]) == 2  # the two dyads of the world


def test_admin_pages_through_a_long_log(client, world):
    for index in range(30):
        audit.record(
            program=world.program, actor=world.admin, action="note", summary=f"Entry {index}"
        )
    client.force_login(world.admin)

    first = client.get(audit_url(world, "?action=note"))
    second = client.get(audit_url(world, "?action=note&page=2"))

    assert len(first.context["rows"]) == 25
    assert "Entry 29" in first.content.decode()
    assert "action=note&amp;page=2" in first.content.decode()  # the filter stays when paging
    assert [entry.summary for entry, _ in second.context["rows"]] == [
        f"Entry {i}" for i in range(4, -1, -1)
    ]


def test_admin_of_another_program_gets_404(client, world):
    client.force_login(world.outsider_admin)

    assert client.get(audit_url(world)).status_code == 404


@pytest.mark.parametrize("role", ["mentor", "mentee"])
def test_member_who_is_not_admin_cannot_read_the_log(client, world, role):
    client.force_login(getattr(world, role))

    assert client.get(audit_url(world)).status_code == 403


def test_audit_page_costs_the_same_queries_with_many_entries(
    client, world, django_assert_max_num_queries
):
    client.force_login(world.admin)
    with django_assert_max_num_queries(99) as small:
        client.get(audit_url(world))
    for _index in range(12):
        dyad = make_dyad(world.program, by=world.admin)
        end_dyad(dyad=dyad, by=world.admin, reason="goals_met")

    # session, user, program, is-admin, actions, count, the page, the people named, navigation
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(audit_url(world))

    assert len(response.context["rows"]) == 25


def test_a_snapshot_keeps_dates_moments_and_people_with_their_type(world):
    end_dyad(dyad=world.dyad, by=world.admin, reason="goals_met")
    entry = AuditEntry.objects.get(action="dyad.end")

    assert entry.before["mentor"] == {"type": "person", "value": world.mentor.pk}
    assert entry.before["started_on"] == {
        "type": "date",
        "value": world.dyad.started_on.isoformat(),
    }
    assert entry.before["ended_at"] is None
    assert entry.after["ended_at"]["type"] == "datetime"
    assert entry.after["status"] == "ended"  # text stays text
    assert entry.after["mentor_is_supervisor"] is False


def test_a_note_that_looks_like_a_date_stays_the_text_it_was(client, world):
    dyad = end_dyad(dyad=world.dyad, by=world.admin, reason="other", note="2027-01-01")
    client.force_login(world.admin)

    response = client.get(audit_url(world, "?action=dyad.end"))

    fields = {field: after for field, _before, after in response.context["rows"][0][1]}
    assert fields["End note"] == "2027-01-01"
    assert fields["Ended"] == moments.moment_text(dyad.ended_at)


def test_entries_written_before_typed_values_still_read(client, world):
    """Bare ids of people and dates as strings: the model's field says what the string is."""
    AuditEntry.objects.create(
        program=world.program,
        actor=world.admin,
        action="dyad.cadence",
        summary="An old entry",
        target_type="dyad",
        target_id=world.dyad.pk,
        before={"mentor": world.mentor.pk, "started_on": "2026-03-01", "end_note": ""},
        after={
            "mentor": world.other_mentor.pk,
            "started_on": "2026-04-01",
            "end_note": "2026-05-01",
        },
    )
    client.force_login(world.admin)

    response = client.get(audit_url(world, "?action=dyad.cadence"))

    fields = {field: (before, after) for field, before, after in response.context["rows"][0][1]}
    assert fields["Mentor"] == (str(world.mentor), str(world.other_mentor))
    assert fields["Started"] == (
        moments.day_text(date(2026, 3, 1)),
        moments.day_text(date(2026, 4, 1)),
    )
    assert fields["End note"] == ("—", "2026-05-01")  # a text field: never guessed to be a date
