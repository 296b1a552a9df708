"""Reads that feed the feedback pages, each a fixed number of queries whatever the data size."""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import ClassVar

from django.db.models import Avg, Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from feedback.models import (
    AGGREGATE_THRESHOLD,
    MENTOR_QUALITIES,
    AttentionItem,
    ConfidentialNote,
    FeedbackCycle,
    FeedbackRequest,
    FeedbackResponse,
    Quality,
    Rating,
)
from mentoring import rawsql, registry, viewer
from mentoring.addresses import address
from mentoring.models import User
from programs.models import Dyad, MentorRequest, Program, RePairRequest
from programs.selectors import (
    pending_requests,
    viewer_administered,
    viewer_administered_counts,
    viewer_dyads,
    with_people,
)


def open_requests_for(user, *, today: date | None = None) -> QuerySet[FeedbackRequest]:
    """Feedback the person still owes: open cycles' requests and fit checks of open dyads."""
    today = today or timezone.localdate()
    return (
        FeedbackRequest.objects.pending()
        .filter(author=user)
        .filter(
            Q(cycle__opens__lte=today, cycle__closes__gte=today)
            | Q(kind=FeedbackRequest.Kind.FIT_CHECK, dyad__status__in=["active", "paused"])
        )
        .select_related("subject", "cycle")
        .order_by("cycle__due", "created_at")
    )


# Per administered program, for the home page: dyads on its attention list (unresolved items).
registry.viewer_admin_program_count(
    "feedback_attention",
    "SELECT COUNT(*) FROM feedback_attentionitem a JOIN programs_dyad d ON d.id = a.dyad_id"
    " WHERE d.program_id = p.id AND a.resolved_at IS NULL",
)
# Of those, the ones where someone asked for a different pairing: home's next step names them.
registry.viewer_admin_program_count(
    "feedback_re_pair",
    "SELECT COUNT(*) FROM feedback_attentionitem a JOIN programs_dyad d ON d.id = a.dyad_id"
    " WHERE d.program_id = p.id AND a.resolved_at IS NULL"
    " AND a.reason = 'different_pairing'",  # AttentionItem.Reason.DIFFERENT_PAIRING
)


# What the person owes, as `open_requests_for` says it, written once as SQL for the home page
# (mentoring/rawsql.py), which everybody opens most: compiling it through the ORM cost several
# times running it. A fit check counts while its dyad is open: one of the person's open dyads,
# known from the request's fetch of them, so no join to the dyad.
_OWED_SQL = """
SELECT r.*, c.id AS cycle__id, c.name AS cycle__name, c.due AS cycle__due
  FROM feedback_feedbackrequest r
  LEFT JOIN feedback_feedbackcycle c ON c.id = r.cycle_id
 WHERE r.author_id = %s AND r.submitted_at IS NULL AND r.withdrawn_at IS NULL
   AND ((c.opens <= %s AND c.closes >= %s) OR (r.kind = 'fit_check' AND r.dyad_id IN ({open})))
 ORDER BY c.due, r.created_at
"""


def owed_for_home(user) -> list[FeedbackRequest]:
    """`open_requests_for(user)` as the home page shows it: with the cycle's name and due date,
    and the subject (the partner) from the request's fetch of the person's dyads; one query."""
    today = rawsql.day(timezone.localdate())
    dyads = {d.pk: d for d in viewer_dyads(user)}
    open_ids = [pk for pk, d in dyads.items() if d.status in ("active", "paused")]
    sql = _OWED_SQL.format(open=rawsql.placeholders(open_ids) if open_ids else "NULL")
    owed = rawsql.rows(FeedbackRequest, sql, [user.pk, today, today, *open_ids])
    for request in owed:
        rawsql.attach(request, "cycle", ("id", "name", "due"))
        dyad = dyads.get(request.dyad_id)
        if dyad is not None and request.subject_id in (dyad.mentor_id, dyad.mentee_id):
            request.subject = dyad.mentor if request.subject_id == dyad.mentor_id else dyad.mentee
    return owed


@dataclass(frozen=True, slots=True)
class FeedbackPanel:
    """The home page's feedback panel: what a mentor or mentee owes; an admin's attention lists."""

    template: ClassVar[str] = "feedback/_home_panel.html"

    open_requests: list[FeedbackRequest]  # owed by the person, as owed_for_home reads them
    administered: list[Program]  # the programs the person administers, by name
    attention_count: int  # dyads on the attention lists of those programs
    # For the next step: the first program with dyads to attend to, (program, count, of which
    # someone asked for a different pairing).
    attention_by_program: list[tuple[Program, int, int]]


def home_panel(user) -> FeedbackPanel:
    """The home page's feedback panel: what a mentor or mentee owes (one query); for admins, the
    attention count, from the request's one fetch of the programs they administer."""
    roles = viewer.roles(user)
    by_program = [
        (p, p.feedback_attention, p.feedback_re_pair) for p in viewer_administered_counts(user)
    ]
    return FeedbackPanel(
        open_requests=owed_for_home(user) if roles & {"mentor", "mentee"} else [],
        administered=viewer_administered(user),
        attention_count=sum(count for _, count, _re_pair in by_program),
        attention_by_program=by_program,
    )


def my_requests(user) -> QuerySet[FeedbackRequest]:
    """Every request a person was asked to answer, newest first."""
    return FeedbackRequest.objects.filter(author=user).select_related(
        "subject", "cycle", "dyad__program"
    )


@dataclass
class Side:
    """One direction of a pair of requests, as the viewer may see it."""

    feedback_request: FeedbackRequest
    responses: list[FeedbackResponse] = field(default_factory=list)  # submitted, newest first
    correctable: bool = False  # the viewer may start a correction of it (feedback.rules)

    @property
    def latest(self) -> FeedbackResponse | None:
        return self.responses[0] if self.responses else None

    @property
    def earlier(self) -> list[FeedbackResponse]:
        return self.responses[1:]


def _with_content(queryset: QuerySet[FeedbackResponse]) -> QuerySet[FeedbackResponse]:
    return queryset.prefetch_related(
        Prefetch("ratings", queryset=Rating.objects.order_by("pk")),
        "answers__question",
    )


def request_sides(feedback_request: FeedbackRequest, user) -> tuple[Side, Side | None]:
    """The request and its counterpart with the submitted versions this user may see, each
    carrying `.note` (the confidential note, only where the user may read it)."""
    sides = [Side(feedback_request)]
    if feedback_request.counterpart is not None:
        sides.append(Side(feedback_request.counterpart))
    responses = list(
        _with_content(
            FeedbackResponse.objects.visible_to(user)
            .submitted()
            .filter(request__in=[s.feedback_request for s in sides])
            .order_by("-version")
        )
    )
    notes = {
        n.response_id: n
        for n in ConfidentialNote.objects.visible_to(user).filter(response__in=responses)
    }
    for response in responses:
        response.note = notes.get(response.pk)
        next(s for s in sides if s.feedback_request.pk == response.request_id).responses.append(
            response
        )
    return sides[0], sides[1] if len(sides) > 1 else None


def draft_of(feedback_request: FeedbackRequest) -> FeedbackResponse | None:
    """The author's draft with its ratings, answers and note, or None."""
    draft = (
        _with_content(feedback_request.responses.filter(status=FeedbackResponse.Status.DRAFT))
        .select_related("confidential_note")
        .first()
    )
    return draft


def program_cycles(program: Program) -> list[FeedbackCycle]:
    """A program's cycles with how many of their requests are answered."""
    return list(
        program.feedback_cycles.annotate(
            # Withdrawn requests (their pairing ended unanswered) are no longer asked.
            request_count=Count("requests", filter=Q(requests__withdrawn_at=None)),
            submitted_count=Count("requests", filter=Q(requests__submitted_at__isnull=False)),
        ).order_by("-opens", "-pk")
    )


@dataclass
class ProgressRow:
    dyad: Dyad
    mentee_side: FeedbackRequest | None = None
    mentor_side: FeedbackRequest | None = None


def cycle_dyads(cycle: FeedbackCycle) -> QuerySet[Dyad]:
    """The dyads asked in a cycle, by mentee, for the cycle page's pages."""
    return (
        Dyad.objects.filter(Exists(cycle.requests.filter(dyad=OuterRef("pk"))))
        .select_related("mentor", "mentee")
        .order_by("mentee__name", "id")
    )


def cycle_totals(cycle: FeedbackCycle) -> dict[str, int]:
    """How many answers a cycle asks for and how many are submitted: one query."""
    return cycle.requests.aggregate(
        total=Count("id"), submitted=Count("id", filter=Q(submitted_at__isnull=False))
    )


def cycle_progress(cycle: FeedbackCycle, dyads: list[Dyad] | None = None) -> list[ProgressRow]:
    """Per dyad of a cycle (these dyads, or all): each side's request with `has_draft`; one
    query, plus one for the dyads when not given."""
    drafts = FeedbackResponse.objects.filter(
        request=OuterRef("pk"), status=FeedbackResponse.Status.DRAFT
    )
    if dyads is None:
        dyads = list(cycle_dyads(cycle))
    rows = {dyad.pk: ProgressRow(dyad) for dyad in dyads}
    requests = cycle.requests.filter(dyad__in=list(rows)).annotate(has_draft=Exists(drafts))
    for feedback_request in requests:
        row = rows[feedback_request.dyad_id]
        feedback_request.dyad = row.dyad
        if feedback_request.author_role == FeedbackRequest.Role.MENTEE:
            row.mentee_side = feedback_request
        else:
            row.mentor_side = feedback_request
    return list(rows.values())


def unresolved_attention(program_ids) -> QuerySet[AttentionItem]:
    """The attention items of these programs still waiting for an admin: the program overview's
    tile, the attention list and the admins' digest all count this."""
    return AttentionItem.objects.unresolved().filter(dyad__program_id__in=program_ids)


def open_cycle_requests(program_ids, *, today: date) -> QuerySet[FeedbackRequest]:
    """The requests of these programs' cycles open on `today`, withdrawn ones left out (an ended
    pairing is no longer asked): "feedback completion of the open cycle" is how many of these are
    submitted, on the program overview, the feedback reports and the admins' digest."""
    return FeedbackRequest.objects.filter(
        cycle__program_id__in=program_ids,
        cycle__opens__lte=today,
        cycle__closes__gte=today,
        withdrawn_at=None,
    )


# A mentor request unanswered this long lands on the attention list: a mentee who chose a mentor
# two weeks ago and heard nothing needs the admin to decline for the mentor or assign another.
REQUEST_UNANSWERED_DAYS = 14


def long_unanswered_requests(program: Program, *, now: datetime) -> QuerySet[MentorRequest]:
    """The program's mentor requests waiting for the mentor's answer for more than
    REQUEST_UNANSWERED_DAYS days, oldest first."""
    return (
        pending_requests(program)
        .filter(created_at__lt=now - timedelta(days=REQUEST_UNANSWERED_DAYS))
        .only("mentee__name", "mentee__email", "mentor__name", "mentor__email", "created_at")
        .order_by("created_at", "pk")
    )


# What a row of the attention lists shows of the dyad: its two people's names and whether it is
# still open (the id its links take comes with it).
_ATTENTION_DYAD = (
    "dyad__status",
    "dyad__mentor__name",
    "dyad__mentor__email",
    "dyad__mentee__name",
    "dyad__mentee__email",
)


def attention_list(program: Program, *, resolved: bool = False) -> QuerySet[AttentionItem]:
    """A program's dyads that need the admin's look, with why, oldest first (or, `resolved`, the
    ones resolved, latest first). The open ones are `unresolved_attention`, as the overview's tile
    and the admins' digest count them. Only the columns the lists show: for open items who wrote
    the answer that raised them, for resolved ones who resolved them and how."""
    if resolved:
        return (
            AttentionItem.objects.filter(dyad__program_id=program.pk)
            .exclude(resolved_at=None)
            .select_related("dyad__mentor", "dyad__mentee", "resolved_by")
            .only(
                "reason",
                "resolved_at",
                "resolution",
                "resolution_note",
                "resolved_by__name",
                "resolved_by__email",
                *_ATTENTION_DYAD,
            )
            .order_by("-resolved_at", "pk")
        )
    # The dyad's unanswered re-pair request, for a row raised by one: its row opens it.
    re_pair_request = RePairRequest.objects.filter(dyad=OuterRef("dyad"), handled_at=None)
    return (
        unresolved_attention([program.pk])
        .annotate(re_pair_request_id=Subquery(re_pair_request.order_by("-pk").values("pk")[:1]))
        .select_related(
            "dyad__mentor", "dyad__mentee", "response__request__author", "shared_message__shared_by"
        )
        .only(
            "reason",
            "created_at",
            "response__request__author__name",
            "response__request__author__email",
            "shared_message__created_at",
            "shared_message__shared_by__name",
            "shared_message__shared_by__email",
            *_ATTENTION_DYAD,
        )
        .order_by("created_at", "pk")
    )


def _labels(choices) -> dict[str, str]:
    """Each value's label in the active language, translated once per list, not once per row."""
    return {value: str(label) for value, label in choices.choices}


def attention_rows(items) -> list[AttentionItem]:
    """A page of `attention_list` with what each row shows, prepared: the reason and the
    resolution in words (once per value), the address of the item's page, and for an open dyad
    the address of its re-pairing."""
    reasons, resolutions = _labels(AttentionItem.Reason), _labels(AttentionItem.Resolution)
    rows = list(items)
    for item in rows:
        item.reason_label = reasons.get(item.reason, item.reason)
        item.resolution_label = resolutions.get(item.resolution, item.resolution)
        item.url = address("feedback:attention_item", item.pk)
        item.re_pair_url = (
            address("programs:dyad_re_pair", item.dyad_id) if item.dyad.is_open else ""
        )
        item.act_label, item.act_url = _first_action(item)
        # Resolving stays offered beside a row's own first action (a re-pair request handled
        # by talking it through still leaves the row to resolve).
        item.resolve_url = item.url if item.act_url != item.url else ""
    return rows


def _first_action(item: AttentionItem) -> tuple[str, str]:
    """What fits the row's reason: a re-pair request is opened (or the dyad re-paired), a wish
    for a different pairing is resolved with a note, the rest resolved or the cadence adjusted."""
    if item.reason == AttentionItem.Reason.SHARED_MESSAGE and item.shared_message_id:
        return _("Open the shared message"), address("conversations:shared", item.shared_message_id)
    if item.reason != AttentionItem.Reason.DIFFERENT_PAIRING:
        return _("Resolve or adjust cadence"), item.url
    request_id = getattr(item, "re_pair_request_id", None)
    if request_id is not None:
        return _("Open the re-pair request"), address("programs:re_pair_request", request_id)
    return _("Resolve with a note"), item.url


def overdue_rows(dyads: list[Dyad]) -> list[Dyad]:
    """A page of the dyads overdue for a meeting (`meetings.selectors.overdue_dyads`, lean) with
    what each row shows: the two people's names (one query) and the addresses of the dyad and of
    its cadence's form."""
    with_people(dyads)
    for dyad in dyads:
        dyad.url = address("programs:dyad", dyad.pk)
        dyad.cadence_url = address("programs:dyad_cadence", dyad.pk)
    return dyads


def out_of_touch_rows(dyads: list[Dyad]) -> list[Dyad]:
    """A page of the pairs out of touch (`feedback.touch.out_of_touch_dyads`, lean) with the two
    people's names (one query) and the address of the dyad."""
    with_people(dyads)
    for dyad in dyads:
        dyad.url = address("programs:dyad", dyad.pk)
    return dyads


@dataclass
class MentorSummary:
    mentor: User
    mentees: int  # how many mentees answered about this mentor
    averages: list[tuple[str, float | None, int]] | None  # (quality, mean, ratings); None: hidden

    @property
    def shown(self) -> bool:
        return self.averages is not None

    @property
    def answered(self) -> str:
        return ngettext("%(n)s mentee answered.", "%(n)s mentees answered.", self.mentees) % {
            "n": self.mentees
        }

    @property
    def hidden_note(self) -> str:
        """Why the averages are hidden, in words that read well for none, one and many."""
        if not self.mentees:
            answered = _("no mentee has answered yet")
        else:
            answered = ngettext(
                "%(n)s mentee has answered", "%(n)s mentees have answered", self.mentees
            ) % {"n": self.mentees}
        return _("Hidden: %(answered)s; the averages show from %(needed)s.") % {
            "answered": answered,
            "needed": AGGREGATE_THRESHOLD,
        }


def summary_mentors(program: Program) -> QuerySet[User]:
    """The mentors of a program's summary: its mentors, and anyone its mentees rated as their
    mentor (a mentor who has left keeps their ratings), by name."""
    rated = FeedbackRequest.objects.filter(
        dyad__program=program,
        author_role=FeedbackRequest.Role.MENTEE,
        responses__status=FeedbackResponse.Status.SUBMITTED,
    ).values("subject_id")
    return (
        User.objects.filter(
            Q(pk__in=rated)
            | Q(
                memberships__program=program,
                memberships__role="mentor",
                memberships__deactivated_at=None,  # a deactivated mentor stays only if rated
            )
        )
        .distinct()
        .order_by("name", "email", "pk")
    )


def mentor_summaries(program: Program, mentors=None) -> list[MentorSummary]:
    """Each mentor's ratings across their mentees (latest version of each answer), shown only when
    at least AGGREGATE_THRESHOLD mentees answered so that no single mentee is identifiable.
    `mentors`: one page of `summary_mentors` (all of them when None). Counted and averaged in SQL:
    two queries, whatever the number of answers."""
    mentors = list(summary_mentors(program) if mentors is None else mentors)
    latest = (
        FeedbackResponse.objects.filter(
            request=OuterRef("response__request"), status=FeedbackResponse.Status.SUBMITTED
        )
        .order_by("-version")
        .values("version")[:1]
    )
    ratings = Rating.objects.filter(
        response__status=FeedbackResponse.Status.SUBMITTED,
        response__request__author_role=FeedbackRequest.Role.MENTEE,
        response__request__dyad__program=program,
        response__request__subject__in=[m.pk for m in mentors],
        response__version=Subquery(latest),
    )
    mentees = dict(
        ratings.values_list("response__request__subject_id")
        .annotate(n=Count("response__request__author_id", distinct=True))
        .order_by()
    )
    averages = {
        (mentor_id, quality): (mean, count)
        for mentor_id, quality, mean, count in ratings.values_list(
            "response__request__subject_id", "quality"
        )
        .annotate(mean=Avg("score"), count=Count("score"))
        .values_list("response__request__subject_id", "quality", "mean", "count")
        .order_by()
    }
    summaries = []
    for mentor in mentors:
        count = mentees.get(mentor.pk, 0)
        shown = None
        if count >= AGGREGATE_THRESHOLD:
            shown = []
            for quality in MENTOR_QUALITIES:
                mean, n = averages.get((mentor.pk, quality.value), (None, 0))
                shown.append((Quality(quality).label, None if mean is None else round(mean, 1), n))
        summaries.append(MentorSummary(mentor=mentor, mentees=count, averages=shown))
    return summaries
