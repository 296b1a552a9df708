"""Numbers agree: each tile of the program overview counts the same thing as the list it links to,
that list's CSV, the CSV exports, the printable annual report and the admins' weekly digest."""

import pytest
import time_machine
from django.urls import reverse

from tests.reports.helpers import NOW, busy_program, digest_body, read_csv

pytestmark = pytest.mark.django_db


@pytest.fixture
def busy(world):
    with time_machine.travel(NOW, tick=False):
        yield busy_program(world)


def _get(client, name, *args, **params):
    with time_machine.travel(NOW, tick=False):
        return client.get(reverse(name, args=args), params)


def _tiles(client, world) -> dict:
    page = _get(client, "programs:detail", world.program.slug)
    assert page.status_code == 200
    return {tile.key: tile for tile in page.context["overview"].tiles}


@pytest.mark.parametrize(
    ("tile", "kind", "digest_line"),
    [
        ("waiting_mentees", "needs-mentor", "Mentees waiting for a mentor: {n}"),
        ("upcoming", "upcoming", "Meetings in the next 7 days: {n} (1 with the agenda ready)"),
        ("overdue_materials", "materials", "Materials past their review-by date: {n}"),
        ("overdue_milestones", "milestones", "Milestones overdue: {n}"),
    ],
)
def test_a_tile_counts_its_list_its_csv_the_report_and_the_digest(
    client, world, busy, tile, kind, digest_line
):
    client.force_login(world.admin)
    tiles = _tiles(client, world)
    count = tiles[tile].count
    assert count > 0, "the scene has one of each"
    assert tiles[tile].url == reverse("reports:list", args=[world.program.slug, kind])
    listing = _get(client, "reports:list", world.program.slug, kind)
    assert listing.context["page"].paginator.count == count
    _header, rows = read_csv(_get(client, "reports:list_csv", world.program.slug, kind))
    assert len(rows) == count
    annual = _get(client, "reports:annual", world.program.slug)
    assert f'id="annual-{tile}">{count}<' in annual.text
    assert digest_line.format(n=count) in digest_body(world.program, NOW)


def test_mentees_waiting_are_listed_with_a_pair_button(client, world, busy):
    client.force_login(world.admin)
    page = _get(client, "reports:list", world.program.slug, "needs-mentor")
    assert [m.user for m in page.context["rows"]] == busy.waiting
    pair = reverse("programs:pair", args=[world.program.slug])
    for mentee in busy.waiting:
        assert f'href="{pair}?mentee={mentee.pk}"' in page.text


def test_mentor_requests_waiting_agree_with_the_requests_page_and_the_digest(client, world, busy):
    client.force_login(world.admin)
    count = _tiles(client, world)["waiting_requests"].count
    assert count == 1
    requests_page = _get(client, "programs:requests", world.program.slug)
    pending = requests_page.context["pending"]
    listed = pending.paginator.count if hasattr(pending, "paginator") else len(pending)
    assert listed == count
    assert f"Mentor requests waiting: {count}" in digest_body(world.program, NOW)
    annual = _get(client, "reports:annual", world.program.slug)
    assert f'id="annual-waiting_requests">{count}<' in annual.text


def test_dyads_overdue_agree_with_the_attention_list_the_dyads_csv_and_the_digest(
    client, world, busy
):
    client.force_login(world.admin)
    count = _tiles(client, world)["overdue_dyads"].count
    assert count == 1
    attention = _get(client, "feedback:attention", world.program.slug)
    assert [d.pk for d in attention.context["overdue"]] == [busy.overdue_dyad.pk]
    _header, rows = read_csv(_get(client, "reports:export_csv", world.program.slug, "dyads"))
    assert [int(r["dyad_id"]) for r in rows if r["overdue_for_meeting"] == "yes"] == [
        busy.overdue_dyad.pk
    ]
    assert f"Dyads overdue for a meeting: {count}" in digest_body(world.program, NOW)
    annual = _get(client, "reports:annual", world.program.slug)
    assert f'id="annual-overdue_dyads">{count}<' in annual.text


def test_overdue_milestones_agree_with_the_goals_csv(client, world, busy):
    client.force_login(world.admin)
    count = _tiles(client, world)["overdue_milestones"].count
    _header, rows = read_csv(_get(client, "reports:export_csv", world.program.slug, "goals"))
    assert sum(r["milestone_overdue"] == "yes" for r in rows) == count == 1


def test_attention_items_agree_with_the_attention_list_and_the_digest(client, world, busy):
    client.force_login(world.admin)
    count = _tiles(client, world)["attention"].count
    assert count == 1
    attention = _get(client, "feedback:attention", world.program.slug)
    assert len(attention.context["items"]) == count
    assert f"On the attention list: {count}" in digest_body(world.program, NOW)
    annual = _get(client, "reports:annual", world.program.slug)
    assert f'id="annual-attention">{count}<' in annual.text


def test_feedback_completion_agrees_with_the_feedback_csv_and_the_digest(client, world, busy):
    client.force_login(world.admin)
    tile = _tiles(client, world)["feedback"]
    # Two active dyads asked both ways (the idle one too: three dyads, six requests); one given.
    assert tile.detail == "Spring: 1 of 6 given"  # the open cycle, named
    assert tile.count == 17  # percent
    _header, rows = read_csv(_get(client, "reports:export_csv", world.program.slug, "feedback"))
    assert [(r["requests"], r["answered"], r["answered_percent"]) for r in rows] == [
        ("6", "1", "17")
    ]
    assert "Feedback in “Spring”: 1 of 6 given" in digest_body(world.program, NOW)
    annual = _get(client, "reports:annual", world.program.slug)
    assert 'id="annual-feedback">17%<' in annual.text


def test_the_department_view_shows_the_same_tiles_per_program(client, world, busy):
    from programs.models import Membership

    Membership.objects.create(program=world.program_b, user=world.admin, role="admin")
    client.force_login(world.admin)
    tiles = _tiles(client, world)
    page = _get(client, "reports:department")
    overviews = {o.program.pk: o for o in page.context["overviews"]}
    assert set(overviews) == {world.program.pk, world.program_b.pk}
    assert {t.key: t.count for t in overviews[world.program.pk].tiles} == {
        k: t.count for k, t in tiles.items()
    }
    assert overviews[world.program_b.pk].tile("waiting_mentees").count == 1  # the outsider
    # Every count links to the list behind it.
    for tile in overviews[world.program.pk].tiles:
        assert f'href="{tile.url}"' in page.text


def test_pairs_in_touch_agree_with_the_attention_lists_out_of_touch_and_the_digest(
    client, world, busy
):
    """feedback/touch.py: the tile counts pairs in touch in the last 30 days (a message, a meeting
    held or feedback given); the attention list, the tile's detail and the digest count the pairs
    out of touch for their cadence (neither a message nor a meeting held), from the same query."""
    from datetime import timedelta

    from tests.conversations.builders import write

    # world.dyad gave feedback today and nothing else; other_dyad writes a message; the idle dyad
    # did nothing.
    with time_machine.travel(NOW - timedelta(days=5), tick=False):
        write(world.other_dyad, world.other_mentee, "Still on for Thursday?")
    client.force_login(world.admin)
    tile = _tiles(client, world)["in_touch"]
    assert tile.count == 2
    assert tile.detail == "of 3 active; 2 out of touch for their cadence"
    assert tile.url == reverse("feedback:attention", args=[world.program.slug]) + (
        "#out-of-touch-heading"
    )
    attention = _get(client, "feedback:attention", world.program.slug)
    # Feedback alone keeps a pair "in touch" on the tile, not off the attention list.
    assert {d.pk for d in attention.context["out_of_touch"]} == {
        busy.overdue_dyad.pk,
        world.dyad.pk,
    }
    assert "Out of touch (2)" in attention.text
    assert "Pairs in touch (last 30 days): 2 of 3 active; out of touch for their cadence: 2" in (
        digest_body(world.program, NOW)
    )
    annual = _get(client, "reports:annual", world.program.slug)
    assert 'id="annual-in_touch">2<' in annual.text


def test_a_pair_is_out_of_touch_after_its_own_cadence_and_a_new_pair_is_not_flagged(
    client, world, busy
):
    from datetime import timedelta

    from tests.builders import make_dyad
    from tests.conversations.builders import write

    program_days = world.program.default_cadence_days
    # other_dyad meets every 10 days and last wrote 11 days ago: out of touch.
    world.other_dyad.cadence_days = 10
    world.other_dyad.save(update_fields=["cadence_days"])
    with time_machine.travel(NOW - timedelta(days=11), tick=False):
        write(world.other_dyad, world.other_mentee, "An old message")
    # world.dyad keeps the program's cadence and wrote a day inside it: in touch.
    with time_machine.travel(NOW - timedelta(days=program_days - 1), tick=False):
        write(world.dyad, world.mentee, "Within the program's cadence")
    with time_machine.travel(NOW - timedelta(days=3), tick=False):
        make_dyad(world.program, by=world.admin)  # paired three days ago: not flagged yet
    client.force_login(world.admin)
    attention = _get(client, "feedback:attention", world.program.slug)
    assert {d.pk for d in attention.context["out_of_touch"]} == {
        busy.overdue_dyad.pk,
        world.other_dyad.pk,
    }
    assert "nothing in 10 days" in attention.text
    tile = _tiles(client, world)["in_touch"]
    assert tile.detail == "of 4 active; 2 out of touch for their cadence"
    # A meeting held inside the window brings a pair back in touch.
    from meetings.models import Meeting

    Meeting.objects.filter(dyad=world.other_dyad).update(
        status=Meeting.Status.HELD, starts_at=NOW - timedelta(days=2)
    )
    attention = _get(client, "feedback:attention", world.program.slug)
    assert {d.pk for d in attention.context["out_of_touch"]} == {busy.overdue_dyad.pk}
