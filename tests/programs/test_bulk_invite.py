"""Inviting many people at once: paste or upload, preview what happens per row, confirm all or nothing."""

import re

import pytest
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from programs.invitations import invite_members, parse_invite_rows
from programs.models import Invitation
from tests.builders import add_member, make_user


def bulk_url(world):
    return reverse("programs:invite_bulk", args=[world.program.slug])


def payload_of(response) -> str:
    return re.search(r'name="payload" value="([^"]+)"', response.content.decode()).group(1)


MIXED = """email, name, role
ana@a.example, Ana Ruiz, mentee
mentee@b.example, Outsider, mentor
mentor@a.example, Maria Mentor, mentor
not-an-address, Bad Email, mentee
bo@a.example, Bo, professor
ana@a.example, Ana again, mentee
"""


def test_admin_previews_what_happens_to_each_row(client, world):
    client.force_login(world.admin)

    response = client.post(bulk_url(world), {"text": MIXED})

    assert response.status_code == 200
    rows = {row.line: row for row in response.context["planned"]}
    assert rows[2].outcome == "new_person"
    assert rows[3].outcome == "new_person"  # in program B only, which this admin does not run
    assert rows[4].outcome == "member"
    assert "not an e-mail address" in rows[5].reason
    assert "Unknown role “professor”" in rows[6].reason
    assert "Duplicate: line 2" in rows[7].reason
    page = response.content.decode()
    assert "3 bad rows" in page
    assert "Invited: they accept by signing in or by creating an account" in page
    assert "Already a member in this role" in page
    assert 'name="payload"' not in page  # no confirming while a row is bad
    assert "ana@a.example, Ana Ruiz, mentee" in page  # the list, to correct and preview again
    assert not Invitation.objects.exists()  # a preview sends nothing


def test_admin_confirms_and_everybody_is_invited_after_commit(
    client, world, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(world.admin)
    preview = client.post(
        bulk_url(world),
        {
            "text": "ana@a.example, Ana Ruiz, mentee\n"
            "mentee@b.example\tOutsider\tMentor\n"  # the role's label works too
            "mentor@a.example, , mentor\n"
        },
    )
    assert mailoutbox == []

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(bulk_url(world), {"payload": payload_of(preview)})

    assert response.status_code == 302
    assert response["Location"] == reverse("programs:members", args=[world.program.slug])
    assert set(Invitation.objects.values_list("email", "role", "name")) == {
        ("ana@a.example", "mentee", "Ana Ruiz"),
        ("mentee@b.example", "mentor", "Outsider"),
    }
    assert sorted(m.to[0] for m in mailoutbox) == ["ana@a.example", "mentee@b.example"]
    messages = [str(m) for m in response.wsgi_request._messages]
    assert "2 invitations sent." in messages


def test_admin_uploads_a_csv_file(client, world):
    client.force_login(world.admin)
    upload = SimpleUploadedFile(
        "people.csv",
        "\ufeffemail,name,role\r\nzoe@a.example,Zoë Ünal,mentor\r\n".encode(),
        content_type="text/csv",
    )

    response = client.post(bulk_url(world), {"text": "", "file": upload})

    assert response.status_code == 200
    [row] = response.context["planned"]
    assert (row.email, row.name, row.role, row.outcome) == (
        "zoe@a.example",
        "Zoë Ünal",
        "mentor",
        "new_person",
    )
    assert "zoe@a.example,Zoë Ünal,mentor" in response.content.decode()  # editable in the box


def test_admin_upload_that_is_not_utf8_is_refused(client, world):
    client.force_login(world.admin)
    upload = SimpleUploadedFile("people.csv", "zoë@a.example,Zoë,mentor".encode("utf-16"))

    response = client.post(bulk_url(world), {"text": "", "file": upload})

    assert response.status_code == 200
    assert "not UTF-8 text" in response.content.decode()


def test_admin_empty_list_re_renders_with_a_message(client, world):
    client.force_login(world.admin)

    response = client.post(bulk_url(world), {"text": "   \n  "})

    assert response.status_code == 200
    assert "Paste at least one line" in response.content.decode()


def test_bulk_import_with_one_bad_row_imports_nothing(world, mailoutbox):
    rows = parse_invite_rows("ana@a.example, Ana, mentee\nbo@a.example, Bo, chair\n")

    with pytest.raises(ValidationError, match="1 bad rows"):
        invite_members(program=world.program, by=world.admin, rows=rows)

    assert not Invitation.objects.exists()
    assert mailoutbox == []


def test_admin_confirming_a_list_with_a_bad_row_imports_nothing(client, world, mailoutbox):
    """Even a signed preview of a bad list (no button offers it) is refused as a whole."""
    client.force_login(world.admin)
    rows = [[1, "ana@a.example", "Ana", "mentee"], [2, "bad", "Bad", "mentee"]]
    payload = signing.dumps(
        {"program": world.program.pk, "rows": rows}, salt="programs.invite_bulk", compress=True
    )

    response = client.post(bulk_url(world), {"payload": payload})

    assert response.status_code == 200
    assert "Nobody was invited" in response.content.decode()
    assert not Invitation.objects.exists()
    assert mailoutbox == []


def test_confirm_sees_changes_since_the_preview(client, world, mailoutbox):
    client.force_login(world.admin)
    preview = client.post(bulk_url(world), {"text": "late@a.example, Late, mentee"})
    # Meanwhile the person joined as a mentee some other way.
    add_member(world.program, make_user("late@a.example"), "mentee")

    response = client.post(bulk_url(world), {"payload": payload_of(preview)})

    assert response.status_code == 302
    assert not Invitation.objects.exists()
    messages = [str(m) for m in response.wsgi_request._messages]
    assert "Everybody on the list is a member already: nobody was invited." in messages


def test_tampered_preview_is_refused(client, world):
    client.force_login(world.admin)
    preview = client.post(bulk_url(world), {"text": "ana@a.example, Ana, mentee"})
    forged = payload_of(preview).replace("a", "b", 1) + "x"

    response = client.post(bulk_url(world), {"payload": forged}, follow=True)

    assert "preview the list again" in response.content.decode()
    assert not Invitation.objects.exists()


def test_preview_of_one_program_cannot_be_confirmed_in_another(client, world):
    client.force_login(world.outsider_admin)
    preview = client.post(
        reverse("programs:invite_bulk", args=[world.program_b.slug]),
        {"text": "ana@a.example, Ana, admin"},
    )
    client.force_login(world.admin)

    response = client.post(bulk_url(world), {"payload": payload_of(preview)}, follow=True)

    assert "belongs to another program" in response.content.decode()
    assert not Invitation.objects.exists()


@pytest.mark.parametrize("role", ["mentor", "outsider_admin"])
def test_non_admin_cannot_bulk_invite(client, world, role):
    client.force_login(getattr(world, role))

    response = client.post(bulk_url(world), {"text": "ana@a.example, Ana, mentee"})

    assert response.status_code in (403, 404)
    assert not Invitation.objects.exists()


def test_parse_accepts_rows_without_name_and_skips_blank_lines():
    rows = parse_invite_rows("\nana@a.example;mentee\n\nbo@a.example;Bo;mentor\n")

    assert rows == [(2, "ana@a.example", "", "mentee"), (4, "bo@a.example", "Bo", "mentor")]


def _what_happens(response) -> dict[str, str]:
    """The "What happens" cell of each preview row, by e-mail address, as the admin reads it."""
    cells = {}
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", response.content.decode(), re.S)[1:]:
        texts = [
            re.sub(r"<[^>]+>|\s+", " ", cell).strip()
            for cell in re.findall(r"<td>(.*?)</td>", row, re.S)
        ]
        cells[texts[1]] = texts[4]
    return cells


def test_preview_tells_an_admin_nothing_about_accounts_outside_their_programs(client, world):
    """mentee@b.example belongs only to program B: to program A's admin they look like anybody."""
    client.force_login(world.admin)

    response = client.post(
        bulk_url(world),
        {"text": "mentee@b.example, Outsider, mentor\nnobody@a.example, Nobody, mentor"},
    )

    assert response.status_code == 200
    outsider, nobody = response.context["planned"]
    assert outsider.outcome == nobody.outcome
    cells = _what_happens(response)
    assert cells["mentee@b.example"] == cells["nobody@a.example"]
    page = response.content.decode().lower()
    for hint in ("has an account", "already has", "existing account", "program b"):
        assert hint not in page


def test_preview_says_who_is_already_in_the_admins_programs(client, world):
    """Someone in this program in another role, or in another program this admin also runs."""
    add_member(world.program_b, world.admin, "admin")
    client.force_login(world.admin)

    response = client.post(
        bulk_url(world),
        {
            "text": "mentor@a.example, Maria, mentee\nmentee@b.example, Outsider, mentor\nnew@a.example, New, mentee"
        },
    )

    outcomes = {row.email: row.outcome for row in response.context["planned"]}
    assert outcomes["mentor@a.example"] == outcomes["mentee@b.example"] == "new_role"
    assert outcomes["new@a.example"] == "new_person"
    cells = _what_happens(response)
    assert "Already in your programs" in cells["mentee@b.example"]
    assert cells["new@a.example"] != cells["mentee@b.example"]


def test_person_of_another_program_invited_in_bulk_accepts_with_their_account(
    client, world, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(world.admin)
    preview = client.post(bulk_url(world), {"text": "mentee@b.example, Outsider, mentor"})
    with django_capture_on_commit_callbacks(execute=True):
        client.post(bulk_url(world), {"payload": payload_of(preview)})
    client.logout()
    link = re.search(r"https?://\S+/invitations/\S+/", mailoutbox[0].body).group(0)
    link = re.sub(r"^https?://[^/]+", "", link)

    assert "Sign in to accept" in client.get(link).content.decode()
    client.force_login(world.outsider)
    assert client.post(link).status_code == 302

    assert set(world.outsider.memberships.values_list("program__slug", "role")) == {
        ("program-a", "mentor"),
        ("program-b", "mentee"),
    }
