"""Who sees which rows of a mentee's plan: the one rule of the plan (`_sees_plan`), the base of
every plan row's queryset (`PlanQuerySet`), and the rule of the opportunities a mentor offers.

Decided from the request's one fetch of the person's memberships and dyads (`own_dyads`,
`administered_ids`): each condition names programs, mentees and goals by id, no subquery per row.
`goals.models` builds its querysets on this module, which reads no model of the plan but through
the app registry (the goals shared with a supplemental mentor).
"""

from datetime import datetime

from django.apps import apps
from django.db import models
from django.db.models import ExpressionWrapper, Q

from programs.models import OPEN_STATUSES, Dyad, administered_ids
from programs.viewer import own_dyads

# A mentor's view of a plan: everything (a dyad is open), or what was written up to a moment (the
# latest end of their ended dyads).
EVERYTHING = None


def _primary_horizons(user) -> dict[tuple[int, int], datetime | None]:
    """{(program, mentee): horizon} for each mentee `user` mentors or mentored as primary mentor,
    from the request's one fetch of their dyads: EVERYTHING while a primary dyad with them is open,
    else the latest moment one of them ended."""
    horizons: dict[tuple[int, int], datetime | None] = {}
    for dyad in own_dyads(user):
        if dyad.mentor_id != user.pk or dyad.kind != Dyad.Kind.PRIMARY:
            continue
        _widen(horizons, (dyad.program_id, dyad.mentee_id), dyad)
    return horizons


def _shared_horizons(user) -> dict[int, datetime | None]:
    """{goal: horizon} for each goal shared with a supplemental dyad `user` mentors or mentored
    (one query, once per request, and none for someone who mentors no supplemental dyad)."""
    cached = getattr(user, _SHARES_MEMO, None)
    if cached is None:
        supplemental = {
            d.id: d
            for d in own_dyads(user)
            if d.mentor_id == user.pk and d.kind == Dyad.Kind.SUPPLEMENTAL
        }
        cached = {}
        if supplemental:
            shares = (
                apps.get_model("goals", "GoalShare")
                .objects.filter(dyad_id__in=list(supplemental))
                .order_by()
            )
            for goal_id, dyad_id in shares.values_list("goal_id", "dyad_id"):
                _widen(cached, goal_id, supplemental[dyad_id])
        setattr(user, _SHARES_MEMO, cached)
    return cached


_SHARES_MEMO = "_viewer_goal_shares"


def _widen(horizons: dict, key, dyad) -> None:
    """What a dyad adds to the horizon under `key`: everything while it is open, else its end."""
    if key in horizons and horizons[key] is EVERYTHING:
        return
    if dyad.status in OPEN_STATUSES:
        horizons[key] = EVERYTHING
    elif dyad.ended_at is not None:
        earlier = horizons.get(key)
        horizons[key] = dyad.ended_at if earlier is None else max(earlier, dyad.ended_at)


def sees_whole_plan(user, *, program_id: int, mentee_id: int) -> bool:
    """`user` sees everything of this mentee's plan (and no rule needs checking row by row): the
    mentee, an admin of the program, or a primary mentor whose dyad with them is open. No query."""
    if user.pk == mentee_id or program_id in administered_ids(user):
        return True
    key = (program_id, mentee_id)
    horizons = _primary_horizons(user)
    return key in horizons and horizons[key] is EVERYTHING


def _within(condition: Q, written: str, horizon: datetime | None) -> Q:
    return condition if horizon is EVERYTHING else condition & Q(**{f"{written}__lte": horizon})


def _sees_plan(user, *, written: str, via: str = "", goal: str | None = None) -> Q:
    """The one rule of the plan: who sees something written into a mentee's plan at the moment
    `written` (a field of the row). The mentee; every admin of the program; a primary mentor whose
    dyad is open or ended no earlier than that moment; and, for a goal shared with a supplemental
    mentor (`goal`: the row's path to its goal), that mentor on the same terms. `via` is the row's
    path to the goal or report that holds the program and the mentee.

    Decided from the request's one fetch of the person's memberships and dyads: the condition
    names programs, mentees and goals by id (issue 21), no subquery per row."""
    rule = Q(**{f"{via}mentee_id": user.pk}) | Q(**{f"{via}program_id__in": administered_ids(user)})
    for (program_id, mentee_id), horizon in _primary_horizons(user).items():
        plan = Q(**{f"{via}program_id": program_id, f"{via}mentee_id": mentee_id})
        rule |= _within(plan, written, horizon)
    if goal is not None:
        for goal_id, horizon in _shared_horizons(user).items():
            rule |= _within(Q(**{goal: goal_id}), written, horizon)
    return rule


class PlanQuerySet(models.QuerySet):
    """Rows of a mentee's plan, seen through `_sees_plan`. Each subclass says where its row's
    program and mentee are, its goal (when a goal can be shared) and when the row was written."""

    plan_via = ""
    goal_path: str | None = None
    written_field = "created_at"

    def _seen(self, user, written: str) -> Q:
        return _sees_plan(user, written=written, via=self.plan_via, goal=self.goal_path)

    def _seen_flag(self, user, written: str) -> ExpressionWrapper:
        """True when `user` may see what was done at the row's `written` moment (or nothing was)."""
        return ExpressionWrapper(
            Q(**{f"{written}__isnull": True}) | self._seen(user, written),
            output_field=models.BooleanField(),
        )

    def visible_to(self, user):
        """The rows written while `user` could see the mentee's plan (see `_sees_plan`)."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(self._seen(user, self.written_field))


def sees_opportunity(user) -> Q:
    """The mentee's, the offering mentor's, and a primary mentor's while their dyad was open."""
    rule = Q(mentee_id=user.pk) | Q(offered_by_id=user.pk)
    for (program_id, mentee_id), horizon in _primary_horizons(user).items():
        rule |= _within(Q(program_id=program_id, mentee_id=mentee_id), "created_at", horizon)
    return rule
