"""Data rights and the admins' blindness: the export holds the person's own messages (and files),
never the partner's text; a deleted account's messages stay, by "Former member"; a canary message
appears on no page the program's admin reaches, nor in their notices list."""

import io
import json
import zipfile

from django.urls import reverse

from conversations.models import Message
from mentoring.privacy import FORMER_MEMBER, delete_account
from tests.builders import PASSWORD, download_my_data
from tests.conversations.builders import share, write, write_with_pdf
from tests.meetings.builders import PDF
from tests.test_crawl import _crawl

CANARY = "CANARY-message-5d1e"


def _export(client, user) -> dict[str, bytes]:
    client.force_login(user)
    with zipfile.ZipFile(io.BytesIO(download_my_data(client))) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_the_export_holds_my_messages_and_files_not_my_partners(client, world):
    write(world.dyad, world.mentor, f"partner's words {CANARY}")
    write_with_pdf(world.dyad, world.mentee, "my own words")
    files = _export(client, world.mentee)
    mine = json.loads(files["conversations.json"])["my_messages"]
    assert [m["body"] for m in mine] == ["my own words"]
    assert mine[0]["to"] == str(world.mentor) and mine[0]["original_name"] == "aims.pdf"
    everything = b"\n".join(files.values()).decode(errors="replace")
    assert CANARY not in everything
    [attached] = [name for name in files if name.startswith("files/message-")]
    assert files[attached] == PDF


def test_a_deleted_accounts_messages_stay_by_former_member(client, world):
    write(world.dyad, world.mentee, "thank you for everything")
    delete_account(user=world.mentee, password=PASSWORD)
    assert Message.objects.get().author_id == world.mentee.pk
    client.force_login(world.mentor)
    page = client.get(reverse("conversations:detail", args=[world.dyad.pk])).content.decode()
    assert "thank you for everything" in page
    assert FORMER_MEMBER in page


def test_the_program_admin_never_sees_a_message(client, world):
    write(world.dyad, world.mentee, CANARY)
    write(world.dyad, world.mentor, f"re: {CANARY}")
    client.force_login(world.admin)
    leaked = []

    def check(url, response):
        if getattr(response, "streaming", False):
            return
        if CANARY in response.content.decode(errors="replace"):
            leaked.append(url)

    seen = _crawl(client, on_response=check)
    assert len(seen) > 5
    assert leaked == []
    page = client.get(reverse("conversations:detail", args=[world.dyad.pk]))
    assert page.status_code == 404


def test_a_shared_message_shows_to_the_admin_and_the_canary_beside_it_never(client, world):
    """The one exception: the message one of the two shared is on the admin's pages (the
    attention list links it); the canary in the same conversation stays on none of them."""
    write(world.dyad, world.mentee, CANARY)
    shared = share(write(world.dyad, world.mentor, "SHARED-7c1d"), world.mentee, "please look")
    write(world.dyad, world.mentor, f"re: {CANARY}")
    client.force_login(world.admin)
    leaked, shown = [], []

    def check(url, response):
        if getattr(response, "streaming", False):
            return
        text = response.content.decode(errors="replace")
        if CANARY in text:
            leaked.append(url)
        if "SHARED-7c1d" in text:
            shown.append(url)

    _crawl(client, on_response=check)
    assert leaked == []
    assert shown == [reverse("conversations:shared", args=[shared.pk])]
    assert client.get(reverse("conversations:detail", args=[world.dyad.pk])).status_code == 404
