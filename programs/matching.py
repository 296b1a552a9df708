"""Matching mentees with mentors: a score with its reasons in words, the exclusions, the ranked
suggestions for one mentee, and the cohort solver (the best total for many mentees at once).

Pairing's own rules, so they live in programs beside the services that enforce them: the pair,
re-pair and supplemental pages and the mentees' directory all rank with the same `score`.

Reads take a fixed number of queries whatever the program's size (`MatchWorld.load`); scoring is
plain Python over what was read.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from scipy.optimize import linear_sum_assignment

from mentoring.models import User
from programs.models import WEIGHT_FIELDS, Dyad, Membership, Profile, Program
from programs.selectors import mentee_memberships, mentor_loads

DEFAULT_WEIGHTS = {name: Program._meta.get_field(name).default for name in WEIGHT_FIELDS}

CAREER_ORDER = {
    User.CareerStage.STUDENT: 0,
    User.CareerStage.RESIDENT: 1,
    User.CareerStage.FELLOW: 2,
    User.CareerStage.JUNIOR_FACULTY: 3,
    User.CareerStage.MID_CAREER: 4,
    User.CareerStage.SENIOR_FACULTY: 5,
}

# Why a mentor is not suggested. SUPERVISOR yields to the admin's confirmation; SUPPLEMENTAL is
# not a refusal but an offer ("make primary").
SUPERVISOR = "supervisor"
POOR_FIT = "poor_fit"
AT_CAPACITY = "at_capacity"
CURRENT = "current"
SUPPLEMENTAL = "supplemental"
SELF = "self"


def topics_of(user) -> set[str]:
    return user.topics


def vocabulary(program: Program) -> list[str]:
    """The program's curated interests, one per line, in the admin's order, without repeats."""
    seen, topics = set(), []
    for line in program.topic_vocabulary.splitlines():
        topic = line.strip()
        if topic and topic.lower() not in seen:
            seen.add(topic.lower())
            topics.append(topic)
    return topics


@dataclass
class Match:
    """One mentor for one mentee: the score, the reasons in words, and what stands in the way."""

    membership: Membership  # the mentor's membership, with `load`
    score: int = 0
    reasons: list[str] = field(default_factory=list)
    exclusion: str = ""  # one of the constants above, "" when suggested
    exclusion_reason: str = ""
    supplemental_dyad: Dyad | None = None  # offered as "make primary"

    @property
    def mentor(self):
        return self.membership.user

    @property
    def suggested(self) -> bool:
        return not self.exclusion

    @property
    def offers_make_primary(self) -> bool:
        """Already a supplemental mentor: the next step is to make them primary."""
        return self.exclusion == SUPPLEMENTAL

    @property
    def may_choose_anyway(self) -> bool:
        """The supervisor: the admin may still choose them, after confirming."""
        return self.exclusion == SUPERVISOR

    @property
    def needs_capacity(self) -> bool:
        """At capacity: the next step is to raise it (or choose another mentor)."""
        return self.exclusion == AT_CAPACITY


def _profile(user) -> Profile | None:
    try:
        return user.profile
    except Profile.DoesNotExist:
        return None


def open_places(membership: Membership) -> int | None:
    if membership.capacity is None:
        return None
    return max(membership.capacity - membership.load, 0)


def score(program: Program, mentee, membership: Membership) -> tuple[int, list[str]]:
    """The points of pairing the mentee with this mentor and why, in words (no exclusion here)."""
    mentor = membership.user
    points, reasons = 0, []
    shared = sorted(topics_of(mentee) & topics_of(mentor))
    if shared:
        points += program.weight_topic * len(shared)
        reasons.append(
            ngettext(
                "%(count)d shared interest: %(topics)s",
                "%(count)d shared interests: %(topics)s",
                len(shared),
            )
            % {"count": len(shared), "topics": ", ".join(shared)}
        )
    else:
        reasons.append(_("no shared interests yet"))
    mentee_stage = CAREER_ORDER.get(mentee.career_stage)
    mentor_stage = CAREER_ORDER.get(mentor.career_stage)
    if mentee_stage is not None and mentor_stage is not None and mentor_stage > mentee_stage:
        points += program.weight_seniority
        reasons.append(
            _("further in their career (%(stage)s)") % {"stage": mentor.get_career_stage_display()}
        )
    if mentee.department and mentor.department:
        same = mentee.department.strip().lower() == mentor.department.strip().lower()
        if not same and program.weight_other_department > 0:
            points += program.weight_other_department
            reasons.append(_("different department"))
        elif same and program.weight_other_department < 0:
            points -= program.weight_other_department
            reasons.append(_("same department"))
    mentee_profile, mentor_profile = _profile(mentee), _profile(mentor)
    if mentee_profile and mentor_profile:
        mode_a, mode_b = mentee_profile.meeting_mode, mentor_profile.meeting_mode
        if mode_a and mode_b and (mode_a == mode_b or Profile.Mode.EITHER in (mode_a, mode_b)):
            points += program.weight_preferences
            reasons.append(_("meeting mode suits both"))
        freq = mentee_profile.meeting_frequency
        if freq and freq == mentor_profile.meeting_frequency:
            points += program.weight_preferences
            reasons.append(
                _("both want to meet %(frequency)s")
                % {"frequency": mentee_profile.get_meeting_frequency_display().lower()}
            )
    places = open_places(membership)
    if places is None:
        points += program.weight_open_places
        reasons.append(_("no limit on mentees"))
    elif membership.capacity:
        points += round(program.weight_open_places * places / membership.capacity)
        reasons.append(
            _("%(left)d of %(capacity)d places left")
            % {"left": places, "capacity": membership.capacity}
        )
    return points, reasons


@dataclass
class MatchWorld:
    """What matching needs to know about a program, read in a fixed number of queries."""

    program: Program
    mentors: list[Membership]
    poor_fit: set[tuple[int, int]]  # (mentor_id, mentee_id) of dyads ended for poor fit
    open_dyads: dict[tuple[int, int], Dyad]  # (mentor_id, mentee_id) → open dyad

    @classmethod
    def load(cls, program: Program, *, mentee_ids=None) -> MatchWorld:
        """Three queries: the mentors (with users, profiles, loads), the poor-fit history and the
        open dyads, of the given mentees (all when None)."""
        mentors = list(mentor_loads(program).select_related("user__profile"))
        dyads = Dyad.objects.filter(program=program).filter(
            Q(status__in=["proposed", "active", "paused"])
            | Q(status=Dyad.Status.ENDED, end_reason=Dyad.EndReason.POOR_FIT)
        )
        if mentee_ids is not None:
            dyads = dyads.filter(mentee_id__in=list(mentee_ids))
        poor_fit, open_dyads = set(), {}
        for dyad in dyads.only(
            "id", "mentor_id", "mentee_id", "status", "kind", "end_reason", "focus_area"
        ):
            if dyad.status == Dyad.Status.ENDED:
                poor_fit.add((dyad.mentor_id, dyad.mentee_id))
            else:
                open_dyads[(dyad.mentor_id, dyad.mentee_id)] = dyad
        return cls(program, mentors, poor_fit, open_dyads)

    def match(self, mentee, membership: Membership, *, supervisor_confirmed=False) -> Match:
        points, reasons = score(self.program, mentee, membership)
        result = Match(membership, points, reasons)
        mentor = membership.user
        key = (mentor.pk, mentee.pk)
        profile = _profile(mentee)
        existing = self.open_dyads.get(key)
        if mentor.pk == mentee.pk:
            result.exclusion, result.exclusion_reason = SELF, _("cannot mentor themselves")
        elif existing is not None and existing.kind == Dyad.Kind.PRIMARY:
            result.exclusion = CURRENT
            result.exclusion_reason = _("already %(mentee)s's primary mentor") % {"mentee": mentee}
        elif existing is not None:
            result.exclusion, result.supplemental_dyad = SUPPLEMENTAL, existing
            result.exclusion_reason = _(
                "already %(mentee)s's supplemental mentor (%(focus)s): make them primary instead"
            ) % {"mentee": mentee, "focus": existing.focus_area}
        elif key in self.poor_fit:
            result.exclusion = POOR_FIT
            result.exclusion_reason = _("an earlier dyad with %(mentee)s ended for poor fit") % {
                "mentee": mentee
            }
        elif (
            profile is not None and profile.supervisor_id == mentor.pk and not supervisor_confirmed
        ):
            result.exclusion = SUPERVISOR
            result.exclusion_reason = _("%(mentee)s's administrative supervisor") % {
                "mentee": mentee
            }
        elif open_places(membership) == 0:
            result.exclusion = AT_CAPACITY
            result.exclusion_reason = _("at capacity (%(load)d of %(capacity)d mentees)") % {
                "load": membership.load,
                "capacity": membership.capacity,
            }
        return result

    def suggestions(self, mentee, *, supervisor_confirmed=False) -> tuple[list[Match], list[Match]]:
        """The mentors for one mentee: (suggested, best first; excluded, each with its reason)."""
        matches = [
            self.match(mentee, m, supervisor_confirmed=supervisor_confirmed)
            for m in self.mentors
            if m.user_id != mentee.pk
        ]
        matches = best_first(matches)
        return [m for m in matches if m.suggested], [m for m in matches if not m.suggested]


def best_first(matches: list[Match]) -> list[Match]:
    """Mentors by their points (a number: 19 before 7), best first; equal points by name."""
    return sorted(matches, key=lambda m: (-int(m.score), m.mentor.name.lower(), m.mentor.email))


# --- The cohort: the best total for many mentees at once ---------------------------------------

# Pairing as many mentees as possible comes first, the total score second: each pair is worth this
# much more than any score difference could make up.
PAIR_BONUS = 10_000
FORBIDDEN = 1e12


@dataclass
class CohortRow:
    mentee: User
    match: Match | None  # None: no mentor could be found within the rules
    alternatives: list[Match] = field(default_factory=list)  # the next best, for a change


def _codes(values: list[str]) -> np.ndarray:
    """Strings as integers (equal strings, equal codes; "" is -1), to compare whole matrices."""
    seen: dict[str, int] = {}
    return np.array([seen.setdefault(v, len(seen)) if v else -1 for v in values], dtype=np.int64)


def _shared_topics(mentees: list[User], mentors: list[User]) -> np.ndarray:
    """How many topics each (mentee, mentor) shares, as a matrix."""
    vocabulary: dict[str, int] = {}

    def incidence(people) -> np.ndarray:
        rows = [[vocabulary.setdefault(t, len(vocabulary)) for t in topics_of(p)] for p in people]
        matrix = np.zeros((len(people), max(len(vocabulary), 1)))
        for i, columns in enumerate(rows):
            matrix[i, columns] = 1
        return matrix

    mentee_topics = incidence(mentees)
    mentor_topics = incidence(mentors)
    width = len(vocabulary) or 1
    mentee_topics = np.pad(mentee_topics, ((0, 0), (0, width - mentee_topics.shape[1])))
    mentor_topics = np.pad(mentor_topics, ((0, 0), (0, width - mentor_topics.shape[1])))
    return mentee_topics @ mentor_topics.T


def _open_places_points(world: MatchWorld) -> list[int]:
    """Each mentor's points for the share of places they have left (no limit: all the points)."""
    program, points = world.program, []
    for membership in world.mentors:
        places = open_places(membership)
        if places is None:
            points.append(program.weight_open_places)
        elif membership.capacity:
            points.append(round(program.weight_open_places * places / membership.capacity))
        else:
            points.append(0)
    return points


def score_matrix(world: MatchWorld, mentees: list[User]) -> np.ndarray:
    """`score` for every (mentee, mentor) at once, as NumPy arrays: the same points, no words."""
    program, mentors = world.program, [m.user for m in world.mentors]
    points = program.weight_topic * _shared_topics(mentees, mentors)

    stage_e = np.array([CAREER_ORDER.get(u.career_stage, -1) for u in mentees])[:, None]
    stage_m = np.array([CAREER_ORDER.get(u.career_stage, -1) for u in mentors])[None, :]
    points += program.weight_seniority * ((stage_e >= 0) & (stage_m > stage_e))

    departments = _codes(
        [u.department.strip().lower() for u in mentees]
        + [u.department.strip().lower() for u in mentors]
    )
    dept_e, dept_m = departments[: len(mentees), None], departments[len(mentees) :][None, :]
    known = (dept_e >= 0) & (dept_m >= 0)
    if program.weight_other_department > 0:
        points += program.weight_other_department * (known & (dept_e != dept_m))
    else:
        points -= program.weight_other_department * (known & (dept_e == dept_m))

    def preference(name: str) -> tuple[np.ndarray, np.ndarray, int]:
        values = [getattr(_profile(u), name, "") or "" for u in mentees + mentors]
        codes = _codes(values)
        either = values.index(Profile.Mode.EITHER) if Profile.Mode.EITHER in values else None
        either_code = codes[either] if either is not None else -2
        return codes[: len(mentees), None], codes[len(mentees) :][None, :], either_code

    mode_e, mode_m, either = preference("meeting_mode")
    mode_ok = (
        (mode_e >= 0)
        & (mode_m >= 0)
        & ((mode_e == mode_m) | (mode_e == either) | (mode_m == either))
    )
    freq_e, freq_m, _unused = preference("meeting_frequency")
    freq_ok = (freq_e >= 0) & (freq_e == freq_m)
    points += program.weight_preferences * (mode_ok.astype(int) + freq_ok.astype(int))

    return points + np.array(_open_places_points(world))[None, :]


def allowed_matrix(world: MatchWorld, mentees: list[User]) -> np.ndarray:
    """Which (mentee, mentor) pairs the rules allow in a cohort: no exclusion of `match`."""
    column = {m.user_id: j for j, m in enumerate(world.mentors)}
    row = {u.pk: i for i, u in enumerate(mentees)}
    allowed = np.ones((len(mentees), len(world.mentors)), dtype=bool)
    for j, membership in enumerate(world.mentors):
        if open_places(membership) == 0:
            allowed[:, j] = False
    for mentor_id, mentee_id in [*world.poor_fit, *world.open_dyads]:
        if mentee_id in row and mentor_id in column:
            allowed[row[mentee_id], column[mentor_id]] = False
    for i, mentee in enumerate(mentees):
        if mentee.pk in column:
            allowed[i, column[mentee.pk]] = False
        profile = _profile(mentee)
        if profile is not None and profile.supervisor_id in column:
            allowed[i, column[profile.supervisor_id]] = False
    return allowed


def solve_cohort(
    world: MatchWorld, mentees: list[User], *, alternatives: int = 0
) -> list[CohortRow]:
    """Assign each mentee at most one mentor, maximising the number of mentees paired and then the
    total score, never beyond a mentor's open places and never against an exclusion.

    SciPy's `linear_sum_assignment` over capacity slots: a mentor with k open places is k columns,
    and each mentee may also take one "unpaired" column of its own at no score. The scores come
    from `score_matrix` (all pairs at once); the reasons in words only for the rows' proposals and
    their alternatives.
    """
    n = len(mentees)
    if n == 0 or not world.mentors:
        return [CohortRow(mentee, None) for mentee in mentees]
    slots: list[int] = []  # column → index into world.mentors
    for index, membership in enumerate(world.mentors):
        places = open_places(membership)
        slots.extend([index] * (n if places is None else min(places, n)))
    points = score_matrix(world, mentees)
    allowed = allowed_matrix(world, mentees)
    per_mentor = np.where(allowed, -(PAIR_BONUS + points), FORBIDDEN)
    cost = np.hstack([per_mentor[:, slots], np.full((n, n), FORBIDDEN)])
    cost[np.arange(n), len(slots) + np.arange(n)] = 0  # mentee i unpaired
    rows, cols = linear_sum_assignment(cost)
    ranked = np.argsort(np.where(allowed, -points, np.inf), axis=1, kind="stable")
    result = []
    for i, col in zip(rows, cols, strict=True):
        mentee = mentees[i]
        chosen = slots[col] if col < len(slots) and cost[i, col] < FORBIDDEN else None
        others = [j for j in ranked[i, : alternatives + 1] if allowed[i, j] and j != chosen][
            :alternatives
        ]
        result.append(
            CohortRow(
                mentee,
                world.match(mentee, world.mentors[chosen]) if chosen is not None else None,
                [world.match(mentee, world.mentors[j]) for j in others],
            )
        )
    return result


def unpaired_mentees(program: Program) -> list[User]:
    """The program's mentees without an open primary dyad, by name (one query)."""
    waiting = mentee_memberships([program.pk]).filter(has_primary=False).values("user_id")
    return list(
        User.objects.filter(pk__in=waiting).select_related("profile").order_by("name", "email")
    )
