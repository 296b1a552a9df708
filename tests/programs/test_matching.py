"""Pairing that never dead-ends (issue 14): profiles, explainable suggestions with exclusions,
"make primary", the cohort solver and its all-or-none confirmation, re-pair requests."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from feedback.models import AttentionItem
from mentoring.models import Notification, User
from programs import matching
from programs.models import AuditEntry, Dyad, Membership, Profile, RePairRequest
from programs.services.dyads import end_dyad
from programs.services.pairing import (
    add_supplemental_mentor,
    confirm_cohort,
    make_primary,
    pair_mentee,
)
from programs.services.profiles import save_profile
from programs.services.requests import request_re_pair
from programs.services.supervisors import set_supervisor
from tests.builders import add_member, make_admin, make_program, make_user
from tests.programs.helpers import count_queries, new_mentee, new_mentor

pytestmark = pytest.mark.django_db


def _suggested_ids(program, mentee, **kwargs):
    suggested, excluded = matching.MatchWorld.load(program).suggestions(mentee, **kwargs)
    return [m.mentor.pk for m in suggested], {m.mentor.pk: m for m in excluded}


# --- Profiles -----------------------------------------------------------------------------------


def test_an_invited_newcomer_fills_in_the_profile_once_at_first_sign_in(client, world):
    world.program.topic_vocabulary = "Grant writing\nStatistics"
    world.program.save()
    person = make_user("newbie@a.example", name="Nell Newbie")
    Profile.objects.create(user=person)  # what accepting an invitation leaves: onboarding due
    add_member(world.program, person, Membership.Role.MENTEE)
    client.force_login(person)

    first = client.get(reverse("home"))
    assert first.status_code == 302
    assert first["Location"].startswith(reverse("programs:profile"))
    page = client.get(first["Location"])
    assert "Welcome! Tell the program about yourself" in page.content.decode()
    assert 'value="Statistics"' in page.content.decode()  # the program's vocabulary

    saved = client.post(
        reverse("programs:profile"),
        {
            "department": "Neonatology",
            "career_stage": "fellow",
            "interests": ["Statistics"],
            "other_interests": "ethics, statistics",
            "wants": "A first paper",
            "meeting_frequency": "monthly",
            "meeting_mode": "video",
            "next": "/",
        },
    )
    assert saved.status_code == 302 and saved["Location"] == "/"
    person.refresh_from_db()
    assert person.department == "Neonatology"
    assert person.interests == "Statistics, ethics"  # the list's spelling, no repeat
    assert person.profile.is_complete and person.profile.meeting_mode == "video"

    assert client.get(reverse("home")).status_code == 200  # required once
    client.logout()
    client.force_login(person)
    assert client.get(reverse("home")).status_code == 200
    edit = client.get(reverse("programs:profile"))
    assert "Your profile" in edit.content.decode()


def test_a_member_without_a_pending_profile_is_not_stopped(client, world):
    client.force_login(world.mentee)
    assert client.get(reverse("home")).status_code == 200


def test_the_admin_sees_who_has_not_completed_the_profile_and_reminds_them(client, world):
    late = new_mentee(world, name="Lou Late")
    Profile.objects.create(user=late)
    done = new_mentee(world, name="Dee Done")
    save_profile(user=done, fields={}, profile_fields={"wants": "x"})
    client.force_login(world.admin)
    url = reverse("programs:profile_status", args=[world.program.slug])
    html = client.get(url).content.decode()
    assert "Lou Late" in html and "Dee Done" not in html
    client.post(url)
    assert Notification.objects.filter(recipient=late, kind="profile_reminder").exists()
    assert not Notification.objects.filter(recipient=done, kind="profile_reminder").exists()


# --- Suggestions and exclusions -----------------------------------------------------------------


def test_the_supervisor_is_excluded_from_suggestions_unless_confirmed(world):
    mentee = new_mentee(world, interests="grant writing")
    boss = new_mentor(world, expertise="grant writing", name="Bo Boss")
    set_supervisor(program=world.program, person=mentee, supervisor=boss, by=world.admin)
    assert AuditEntry.objects.filter(action="profile.supervisor").exists()

    suggested, excluded = _suggested_ids(world.program, mentee)
    assert boss.pk not in suggested
    assert excluded[boss.pk].exclusion_reason.endswith("administrative supervisor")
    suggested, _excluded = _suggested_ids(world.program, mentee, supervisor_confirmed=True)
    assert boss.pk in suggested

    rows = matching.solve_cohort(matching.MatchWorld.load(world.program), [mentee])
    assert rows[0].match is None or rows[0].match.mentor != boss


def test_the_mentees_directory_never_shows_the_supervisor(client, world):
    mentee = new_mentee(world, interests="grant writing")
    boss = new_mentor(world, expertise="grant writing", name="Bo Boss")
    set_supervisor(program=world.program, person=mentee, supervisor=boss, by=world.admin)
    client.force_login(mentee)
    html = client.get(reverse("programs:mentors", args=[world.program.slug])).content.decode()
    assert "Bo Boss" not in html
    assert "Maria Mentor" in html and "1 shared interest: grant writing" in html


def test_a_former_mentor_who_ended_for_poor_fit_is_excluded(world):
    end_dyad(dyad=world.dyad, by=world.admin, reason=Dyad.EndReason.POOR_FIT)
    suggested, excluded = _suggested_ids(world.program, world.mentee)
    assert world.mentor.pk not in suggested
    assert "ended for poor fit" in excluded[world.mentor.pk].exclusion_reason


def test_a_mentor_at_capacity_is_excluded_with_the_next_step(client, world):
    full = new_mentor(world, capacity=1, name="Fay Full")
    pair_mentee(program=world.program, mentor=full, mentee=new_mentee(world), by=world.admin)
    mentee = new_mentee(world)
    client.force_login(world.admin)
    html = client.get(
        reverse("programs:pair", args=[world.program.slug]), {"mentee": mentee.pk}
    ).content.decode()
    assert "at capacity (1 of 1 mentees)" in html
    assert "Raise their capacity" in html


def test_a_supplemental_mentor_is_offered_as_make_primary_which_happens_in_one_step(client, world):
    helper = new_mentor(world, name="Hal Helper")
    supplemental = add_supplemental_mentor(
        program=world.program,
        mentor=helper,
        mentee=world.mentee,
        by=world.admin,
        focus_area="stats",
    )
    client.force_login(world.admin)
    page = client.get(reverse("programs:dyad_re_pair", args=[world.dyad.pk]))
    offer = next(m for m in page.context["excluded"] if m.mentor == helper)
    assert offer.offers_make_primary
    assert reverse("programs:make_primary", args=[supplemental.pk]) in page.content.decode()

    response = client.post(reverse("programs:make_primary", args=[supplemental.pk]))
    assert response.status_code == 302
    supplemental.refresh_from_db()
    world.dyad.refresh_from_db()
    assert supplemental.kind == Dyad.Kind.PRIMARY and supplemental.replaces == world.dyad
    assert world.dyad.status == Dyad.Status.ENDED


def test_make_primary_refused_half_way_leaves_the_current_primary_open(world):
    helper = new_mentor(world, capacity=1, name="Hal Helper")
    pair_mentee(program=world.program, mentor=helper, mentee=new_mentee(world), by=world.admin)
    supplemental = add_supplemental_mentor(
        program=world.program,
        mentor=helper,
        mentee=world.mentee,
        by=world.admin,
        focus_area="stats",
    )
    with pytest.raises(ValidationError, match="raise their capacity"):
        make_primary(dyad=supplemental, by=world.admin, replacing=world.dyad)
    world.dyad.refresh_from_db()
    supplemental.refresh_from_db()
    assert world.dyad.status == Dyad.Status.ACTIVE  # the end of the old dyad was rolled back
    assert supplemental.kind == Dyad.Kind.SUPPLEMENTAL


def test_the_admin_records_and_clears_a_supervisor_conflict_on_a_live_dyad(client, world):
    client.force_login(world.admin)
    url = reverse("programs:dyad_supervisor", args=[world.dyad.pk])
    client.post(url, {"mentor_is_supervisor": "1"})
    world.dyad.refresh_from_db()
    assert world.dyad.mentor_is_supervisor
    client.post(url, {"mentor_is_supervisor": "0"})
    world.dyad.refresh_from_db()
    assert not world.dyad.mentor_is_supervisor
    assert AuditEntry.objects.filter(action="dyad.supervisor", target_id=world.dyad.pk).count() == 2


def test_approving_a_chosen_pair_records_the_supervisor_conflict(client, world):
    from tests.programs.helpers import proposed_dyad

    dyad = proposed_dyad(world)
    client.force_login(world.admin)
    client.post(
        reverse("programs:dyad_approve", args=[dyad.pk]),
        {"supervisor_asked": "1", "mentor_is_supervisor": "1"},
    )
    dyad.refresh_from_db()
    assert dyad.is_active and dyad.mentor_is_supervisor


# --- The cohort ---------------------------------------------------------------------------------


def _hand_checked_program():
    """Mentors A and B with one place each; mentees X, Y, Z. Only shared topics count (10 each).
    X–A 30, X–B 20, Y–A 20, Y–B 0, Z–A 10, Z–B 0. Greedy (X takes A) totals 30; the optimum
    pairs X–B and Y–A for 40 and leaves Z unpaired (two places for three mentees)."""
    program = make_program("Cohort", weight_seniority=0, weight_other_department=0)
    program.weight_preferences = program.weight_open_places = 0
    program.save()
    admin = make_admin(program)
    a = make_user(name="A Mentor", expertise="t1, t2, t3")
    b = make_user(name="B Mentor", expertise="t4, t5")
    add_member(program, a, Membership.Role.MENTOR, capacity=1)
    add_member(program, b, Membership.Role.MENTOR, capacity=1)
    x = make_user(name="X Mentee", interests="t1, t2, t3, t4, t5")
    y = make_user(name="Y Mentee", interests="t1, t2")
    z = make_user(name="Z Mentee", interests="t1")
    for mentee in (x, y, z):
        add_member(program, mentee, Membership.Role.MENTEE)
    return program, admin, a, b, x, y, z


def test_the_cohort_solver_respects_capacity_and_finds_the_optimal_total():
    program, _admin, a, b, x, y, z = _hand_checked_program()
    rows = matching.solve_cohort(matching.MatchWorld.load(program), [x, y, z])
    chosen = {row.mentee: row.match.mentor for row in rows if row.match}
    assert chosen == {x: b, y: a}
    assert sum(row.match.score for row in rows if row.match) == 40
    assert next(row for row in rows if row.mentee == z).match is None


def test_confirming_a_cohort_creates_every_dyad_or_none(world):
    program, admin, a, b, x, y, _z = _hand_checked_program()
    with pytest.raises(ValidationError, match="Nothing was saved"):
        # The second row asks A for a second mentee beyond A's one place: it fails half-way.
        confirm_cohort(program=program, by=admin, pairs=[(y, a), (x, a)])
    assert not Dyad.objects.filter(program=program).exists()
    assert not AuditEntry.objects.filter(program=program, action="dyad.create").exists()
    assert not Notification.objects.filter(kind="paired").exists()

    dyads = confirm_cohort(program=program, by=admin, pairs=[(y, a), (x, b)])
    assert {d.status for d in dyads} == {Dyad.Status.ACTIVE}
    assert AuditEntry.objects.filter(program=program, action="cohort.confirm").exists()
    told = set(Notification.objects.filter(kind="paired").values_list("recipient", flat=True))
    assert told == {a.pk, b.pk, x.pk, y.pk}


def test_the_cohort_page_proposes_and_confirms(client):
    program, admin, a, b, x, y, z = _hand_checked_program()
    program.requests_need_approval = True
    program.save()
    client.force_login(admin)
    url = reverse("programs:cohort", args=[program.slug])
    page = client.get(url, {"run": "1"})
    html = page.content.decode()
    assert "total score <strong>40</strong>" in html
    assert "3 shared interests" not in html or "X Mentee" in html
    response = client.post(
        url, {f"mentor_{x.pk}": b.pk, f"mentor_{y.pk}": a.pk, f"mentor_{z.pk}": ""}
    )
    assert response.status_code == 302
    dyads = Dyad.objects.filter(program=program)
    assert {(d.mentee, d.mentor) for d in dyads} == {(x, b), (y, a)}
    assert {d.status for d in dyads} == {Dyad.Status.PROPOSED}  # the program's approval setting


# --- Re-pair requests ---------------------------------------------------------------------------


def test_a_re_pair_request_reaches_only_the_admin(client, world):
    client.force_login(world.mentee)
    url = reverse("programs:request_re_pair", args=[world.dyad.pk])
    response = client.post(url, {"reason": "We never find a time; <b>sorry</b>"})
    assert response.status_code == 302
    asked = RePairRequest.objects.get(dyad=world.dyad)
    notified = set(
        Notification.objects.filter(kind="re_pair_requested").values_list("recipient", flat=True)
    )
    assert notified == {world.admin.pk}
    assert AttentionItem.objects.filter(
        dyad=world.dyad, reason=AttentionItem.Reason.DIFFERENT_PAIRING
    ).exists()

    detail = reverse("programs:re_pair_request", args=[asked.pk])
    client.force_login(world.mentor)
    assert client.get(detail).status_code == 404
    assert "never find a time" not in client.get(world.dyad.get_absolute_url()).content.decode()
    client.force_login(world.admin)
    html = client.get(detail).content.decode()
    assert "&lt;b&gt;sorry&lt;/b&gt;" in html


def test_a_re_pair_request_without_a_reason_is_refused_with_the_input_kept(client, world):
    client.force_login(world.mentor)
    url = reverse("programs:request_re_pair", args=[world.dyad.pk])
    response = client.post(url, {"reason": "  "})
    assert response.status_code == 200
    assert not RePairRequest.objects.exists()


# --- Access: every new view, for another program's people ---------------------------------------


def test_the_new_admin_pages_answer_404_to_another_program_and_403_to_its_members(client, world):
    supplemental = add_supplemental_mentor(
        program=world.program,
        mentor=world.other_mentor,
        mentee=world.mentee,
        by=world.admin,
        focus_area="stats",
    )
    asked = request_re_pair(dyad=world.dyad, by=world.mentee, reason="time")
    slug = world.program.slug
    pages = [
        reverse("programs:cohort", args=[slug]),
        reverse("programs:profile_status", args=[slug]),
        reverse("programs:member_supervisor", args=[slug, world.mentee.pk]),
        reverse("programs:make_primary", args=[supplemental.pk]),
        reverse("programs:re_pair_request", args=[asked.pk]),
    ]
    client.force_login(world.outsider_admin)
    for url in pages:
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("programs:dyad_supervisor", args=[world.dyad.pk])).status_code == 404
    assert client.get(reverse("programs:request_re_pair", args=[world.dyad.pk])).status_code == 404
    client.force_login(world.mentee)
    for url in pages[:4]:
        assert client.get(url).status_code == 403, url
    assert client.post(reverse("programs:dyad_supervisor", args=[world.dyad.pk])).status_code == 403
    client.force_login(world.other_mentor)
    assert client.get(reverse("programs:request_re_pair", args=[world.dyad.pk])).status_code == 404


# --- Query budgets --------------------------------------------------------------------------------


def _large_world(program, mentors: int, mentees: int) -> None:
    """Many members at once (bulk, no dyads): the size the pages must not grow with."""
    users = User.objects.bulk_create(
        [
            User(
                email=f"bulk{i}@big.example",
                name=f"Bulk {i}",
                interests="grant writing, statistics" if i % 2 else "leadership",
                expertise="statistics" if i % 3 else "",
                department=f"Dept {i % 7}",
            )
            for i in range(mentors + mentees)
        ]
    )
    Membership.objects.bulk_create(
        [
            Membership(
                program=program,
                user=user,
                role=Membership.Role.MENTOR if i < mentors else Membership.Role.MENTEE,
                capacity=(i % 4) + 1 if i < mentors else None,
            )
            for i, user in enumerate(users)
        ]
    )


def test_the_pairing_pages_cost_at_most_12_queries_small_or_large(client, world):
    client.force_login(world.admin)
    slug = world.program.slug
    new_mentee(world)
    pages = [
        (reverse("programs:pair", args=[slug]), {"mentee": world.mentee.pk}),
        (reverse("programs:add_supplemental", args=[slug]), {"mentee": world.mentee.pk}),
        (reverse("programs:dyad_re_pair", args=[world.dyad.pk]), None),
        (reverse("programs:cohort", args=[slug]), {"run": "1"}),
        (reverse("programs:profile_status", args=[slug]), None),
    ]
    small = [count_queries(client, url, params) for url, params in pages]
    _large_world(world.program, mentors=1000, mentees=1000)
    large = [count_queries(client, url, params) for url, params in pages[:3] + pages[4:]]
    assert max(small) <= 12 and max(large) <= 12
    assert small[:3] + small[4:] == large

    client.force_login(world.other_mentee)
    mentors_page = reverse("programs:mentors", args=[slug])
    assert count_queries(client, mentors_page) <= 12


def test_the_cohorts_score_matrix_gives_each_pair_the_points_of_its_reasons(world):
    world.program.weight_other_department = -3  # prefer the same department
    world.program.save()
    people = [
        new_mentee(
            world, interests="grant writing, ethics", department="Peds", career_stage="fellow"
        ),
        new_mentee(world, interests="leadership", department="Surgery"),
        new_mentee(world),
    ]
    mentors = [
        new_mentor(
            world, capacity=3, expertise="ethics", department="peds", career_stage="mid_career"
        ),
        new_mentor(world, expertise="leadership, grant writing", department="Surgery"),
    ]
    save_profile(user=people[0], fields={}, profile_fields={"meeting_mode": "video"})
    save_profile(user=mentors[0], fields={}, profile_fields={"meeting_mode": "either"})
    save_profile(user=people[1], fields={}, profile_fields={"meeting_frequency": "monthly"})
    save_profile(user=mentors[1], fields={}, profile_fields={"meeting_frequency": "monthly"})
    mentees = list(User.objects.filter(pk__in=[p.pk for p in people]).select_related("profile"))
    world_ = matching.MatchWorld.load(world.program)
    matrix = matching.score_matrix(world_, mentees)
    for i, mentee in enumerate(mentees):
        for j, membership in enumerate(world_.mentors):
            points, reasons = matching.score(world.program, mentee, membership)
            assert matrix[i, j] == points, (mentee, membership.user, reasons)


def test_a_person_records_their_supervisor_on_their_profile(client, world):
    mentee = new_mentee(world, interests="grant writing")
    client.force_login(mentee)
    url = reverse("programs:profile")
    refused = client.post(url, {"supervisor_email": "nobody@else.example", "wants": "Kept"})
    assert "Nobody in your programs has this address" in refused.content.decode()
    assert "Kept" in refused.content.decode()  # nothing typed is lost
    client.post(url, {"supervisor_email": "MENTOR@a.example"})
    assert Profile.objects.get(user=mentee).supervisor == world.mentor
    suggested, excluded = _suggested_ids(world.program, mentee)
    assert world.mentor.pk not in suggested and world.mentor.pk in excluded


def test_pairing_with_the_supplemental_mentor_names_the_next_step(client, world):
    mentee = new_mentee(world)
    add_supplemental_mentor(
        program=world.program, mentor=world.mentor, mentee=mentee, by=world.admin, focus_area="x"
    )
    client.force_login(world.admin)
    response = client.post(
        reverse("programs:pair", args=[world.program.slug]),
        {"mentee": mentee.pk, "mentor": world.mentor.pk},
    )
    assert "make them primary from that dyad" in response.content.decode()


def test_the_admin_imports_supervisors_all_or_none(client, world):
    boss = new_mentor(world, name="Bo Boss")
    mentee = new_mentee(world)
    client.force_login(world.admin)
    url = reverse("programs:supervisors_import", args=[world.program.slug])
    bad = f"person,supervisor\n{mentee.email},{boss.email}\nstranger@x.example,{boss.email}\n"
    response = client.post(url, {"text": bad})
    assert "Line 3: stranger@x.example is not a member of this program." in (
        response.content.decode()
    )
    assert not Profile.objects.filter(user=mentee, supervisor=boss).exists()  # none saved

    response = client.post(url, {"text": f"{mentee.email}\t{boss.email}\n"})
    assert response.status_code == 302
    assert Profile.objects.get(user=mentee).supervisor == boss
    assert AuditEntry.objects.filter(program=world.program, action="profile.supervisor").exists()


def test_the_weights_are_the_programs_settings(world):
    near = new_mentor(world, name="Near", expertise="grant writing", department="Peds")
    far = new_mentor(world, name="Far", department="Surgery")
    mentee = new_mentee(world, interests="grant writing", department="Peds")
    suggested, _excluded = _suggested_ids(world.program, mentee)
    assert suggested.index(near.pk) < suggested.index(far.pk)  # a shared topic is worth most
    world.program.weight_topic, world.program.weight_other_department = 0, 50
    world.program.save()
    suggested, _excluded = _suggested_ids(world.program, mentee)
    assert suggested[0] == far.pk


def test_my_data_holds_my_profile_and_my_re_pair_requests_and_deleting_erases_the_profile(world):
    from mentoring.privacy import delete_account
    from programs.privacy import programs_data
    from tests.builders import PASSWORD

    save_profile(user=world.mentee, fields={}, profile_fields={"wants": "A first R01"})
    request_re_pair(dyad=world.dyad, by=world.mentee, reason="We never meet.")
    data = programs_data(world.mentee).data
    assert data["profile"][0]["wants"] == "A first R01"
    assert data["re_pair_requests"][0]["reason"] == "We never meet."
    assert programs_data(world.mentor).data["re_pair_requests"] == []  # the partner's: not theirs
    delete_account(user=world.mentee, password=PASSWORD)
    assert not Profile.objects.filter(user=world.mentee).exists()
