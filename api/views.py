"""The read API's views: each list is scoped to the token's programs, paged by a signed cursor,
and (where rows change) ordered by (updated_at, id) with `updated_since` for incremental sync.

A page costs at most five queries whatever the program's size: the token (1), "last used" (at most
once a minute, 1), the page (1), and for the goal summaries two aggregates of that page's mentees.
"""

import hashlib

from django.db.models import Count, F, Q
from django.http import Http404, HttpResponseNotModified
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.http import parse_etags
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import serializers as drf
from rest_framework.response import Response
from rest_framework.views import APIView

from api import params, serializers
from api.access import get_readable_or_404
from feedback.models import FeedbackCycle
from feedback.selectors import mentor_summaries, summary_mentors
from goals.models import Goal, Milestone
from meetings.models import Meeting
from programs.models import Dyad, Membership, Program
from reports.selectors import overview
from reports.trends import program_trends


class ApiView(APIView):
    """JSON, token-scoped; a 200 carries an ETag of its body, and If-None-Match gives 304."""

    def dispatch(self, request, *args, **kwargs):
        response = super().dispatch(request, *args, **kwargs)
        if request.method in ("GET", "HEAD") and response.status_code == 200:
            response.render()
            etag = f'"{hashlib.sha256(response.content).hexdigest()[:32]}"'
            response["ETag"] = etag
            response["Cache-Control"] = "private, no-cache"
            patch_vary_headers(response, ["Authorization"])
            wanted = parse_etags(request.META.get("HTTP_IF_NONE_MATCH", ""))
            if etag in wanted or "*" in wanted:
                not_modified = HttpResponseNotModified()
                not_modified["ETag"] = etag
                return not_modified
        return response

    def programs(self) -> frozenset[int]:
        return self.request.auth.program_ids


class ApiRoot(ApiView):
    """What this token reads, and where."""

    @extend_schema(
        responses=inline_serializer(
            name="Root",
            fields={"programs": drf.ListField(child=drf.IntegerField()), "links": drf.DictField()},
        )
    )
    def get(self, request):
        params.check_known(request.query_params, set())
        names = ["programs", "members", "dyads", "meetings", "goals", "feedback_cycles", "schema"]
        return Response(
            {
                "programs": sorted(self.programs()),
                "links": {n: request.build_absolute_uri(reverse(f"api:{n}")) for n in names},
            }
        )


PAGE_PARAMETERS = [
    OpenApiParameter("cursor", str, description="The `next_cursor` of the previous page."),
    OpenApiParameter("limit", int, description=f"Rows per page, 1 to {params.MAX_LIMIT}."),
]
SYNC_PARAMETERS = [
    *PAGE_PARAMETERS,
    OpenApiParameter(
        "updated_since",
        OpenApiTypes.DATETIME,
        description="Only rows changed at or after this moment (ISO 8601 with its zone).",
    ),
]
PROGRAM_PARAMETER = OpenApiParameter("program", int, description="One of the token's programs.")


def page_of(serializer):
    return inline_serializer(
        name=f"{serializer.__name__.removesuffix('Serializer')}Page",
        fields={
            "results": serializer(many=True),
            "next": drf.URLField(allow_null=True),
            "next_cursor": drf.CharField(allow_null=True),
        },
    )


class SyncList(ApiView):
    """A list ordered by (updated_at, id): a client keeps the largest `updated_at` it has seen
    and asks next time with `updated_since` (rows changed since, including that moment)."""

    resource = ""
    serializer_class = None
    filters: dict = {}

    def rows(self, query):
        raise NotImplementedError

    def get(self, request):
        query = request.query_params
        params.check_known(query, {"cursor", "limit", "updated_since", *self.filters})
        limit = params.a_limit(query)
        since = params.a_moment(query, "updated_since")
        cursor = params.read_cursor(query, self.resource)
        rows = self.rows(query)
        if since is not None:
            rows = rows.filter(updated_at__gte=since)
        if cursor is not None:
            try:
                moment, last_id = cursor
                moment = params.a_moment({"cursor": moment}, "cursor")
                last_id = int(last_id)
            except (TypeError, ValueError):
                raise params.BadParameter("cursor", "This cursor is not valid here.") from None
            rows = rows.filter(Q(updated_at__gt=moment) | Q(updated_at=moment, id__gt=last_id))
        page = list(rows.order_by("updated_at", "id")[: limit + 1])
        more = len(page) > limit
        page = page[:limit]
        next_cursor = None
        if more:
            last = page[-1]
            next_cursor = params.make_cursor(self.resource, [last.updated_at.isoformat(), last.pk])
        return Response(
            {
                "results": self.serializer_class(
                    page, many=True, context={"request": request}
                ).data,
                "next": _next_url(request, next_cursor),
                "next_cursor": next_cursor,
            }
        )


def _next_url(request, cursor: str | None) -> str | None:
    if cursor is None:
        return None
    query = request.query_params.copy()
    query["cursor"] = cursor
    return request.build_absolute_uri(request.path + "?" + query.urlencode())


def _program_filter(view, query) -> frozenset[int] | set[int]:
    """The token's programs, or the one named by `program` (404 when the token cannot read it)."""
    wanted = params.an_id(query, "program")
    if wanted is None:
        return view.programs()
    if wanted not in view.programs():
        raise Http404
    return {wanted}


@extend_schema_view(
    get=extend_schema(
        operation_id="programs_list",
        parameters=SYNC_PARAMETERS,
        responses=page_of(serializers.ProgramSerializer),
    )
)
class ProgramList(SyncList):
    resource = "programs"
    serializer_class = serializers.ProgramSerializer

    def rows(self, query):
        return Program.objects.filter(id__in=self.programs()).only(
            "name",
            "slug",
            "time_zone",
            "default_cadence_days",
            "feedback_cycle_months",
            "created_at",
            "updated_at",
        )


class ProgramDetail(ApiView):
    @extend_schema(responses=serializers.ProgramSerializer)
    def get(self, request, pk):
        params.check_known(request.query_params, set())
        program = get_readable_or_404(Program.objects.all(), request.auth, pk=pk)
        return Response(serializers.ProgramSerializer(program, context={"request": request}).data)


MEMBER_STATUSES = ["active", "deactivated"]


@extend_schema_view(
    get=extend_schema(
        operation_id="members_list",
        parameters=[
            *SYNC_PARAMETERS,
            PROGRAM_PARAMETER,
            OpenApiParameter("role", str, enum=Membership.Role.values),
            OpenApiParameter("status", str, enum=MEMBER_STATUSES),
        ],
        responses=page_of(serializers.MemberSerializer),
    )
)
class MemberList(SyncList):
    resource = "members"
    serializer_class = serializers.MemberSerializer
    filters = {"program", "role", "status"}

    def rows(self, query):
        rows = Membership.everyone.filter(program_id__in=_program_filter(self, query))
        role = params.a_choice(query, "role", Membership.Role.values)
        if role:
            rows = rows.filter(role=role)
        status = params.a_choice(query, "status", MEMBER_STATUSES)
        if status:
            rows = rows.filter(deactivated_at__isnull=status == "active")
        return self.members(rows)

    @staticmethod
    def members(rows):
        return rows.select_related("user", "user__profile").only(
            "program_id",
            "role",
            "joined_at",
            "deactivated_at",
            "updated_at",
            "user__name",
            "user__email",
            "user__department",
            "user__career_stage",
            "user__profile__completed_at",
        )


class MemberDetail(ApiView):
    @extend_schema(responses=serializers.MemberSerializer)
    def get(self, request, pk):
        params.check_known(request.query_params, set())
        member = get_readable_or_404(
            MemberList.members(Membership.everyone.all()), request.auth, pk=pk
        )
        return Response(serializers.MemberSerializer(member, context={"request": request}).data)


def _dyads():
    return Dyad.objects.select_related("mentor", "mentee").only(
        "program_id",
        "kind",
        "status",
        "mentor_is_supervisor",
        "started_on",
        "ended_at",
        "end_reason",
        "replaces_id",
        "created_at",
        "updated_at",
        "mentor__name",
        "mentor__email",
        "mentee__name",
        "mentee__email",
    )


@extend_schema_view(
    get=extend_schema(
        operation_id="dyads_list",
        parameters=[
            *SYNC_PARAMETERS,
            PROGRAM_PARAMETER,
            OpenApiParameter("status", str, enum=Dyad.Status.values),
        ],
        responses=page_of(serializers.DyadSerializer),
    )
)
class DyadList(SyncList):
    resource = "dyads"
    serializer_class = serializers.DyadSerializer
    filters = {"program", "status"}

    def rows(self, query):
        rows = _dyads().filter(program_id__in=_program_filter(self, query))
        status = params.a_choice(query, "status", Dyad.Status.values)
        return rows.filter(status=status) if status else rows


class DyadDetail(ApiView):
    @extend_schema(responses=serializers.DyadSerializer)
    def get(self, request, pk):
        params.check_known(request.query_params, set())
        dyad = get_readable_or_404(_dyads(), request.auth, pk=pk)
        return Response(serializers.DyadSerializer(dyad, context={"request": request}).data)


def _meetings():
    return (
        Meeting.objects.select_related("dyad")
        .annotate(materials_count=Count("materials"))
        .only(
            "dyad_id",
            "dyad__program_id",
            "status",
            "starts_at",
            "ends_at",
            "agenda_ready_at",
            "created_at",
            "updated_at",
        )
    )


@extend_schema_view(
    get=extend_schema(
        operation_id="meetings_list",
        parameters=[
            *SYNC_PARAMETERS,
            PROGRAM_PARAMETER,
            OpenApiParameter("dyad", int),
            OpenApiParameter("status", str, enum=Meeting.Status.values),
        ],
        responses=page_of(serializers.MeetingSerializer),
    )
)
class MeetingList(SyncList):
    resource = "meetings"
    serializer_class = serializers.MeetingSerializer
    filters = {"program", "dyad", "status"}

    def rows(self, query):
        rows = _meetings().filter(dyad__program_id__in=_program_filter(self, query))
        dyad = params.an_id(query, "dyad")
        if dyad is not None:
            rows = rows.filter(dyad_id=dyad)
        status = params.a_choice(query, "status", Meeting.Status.values)
        return rows.filter(status=status) if status else rows


class MeetingDetail(ApiView):
    @extend_schema(responses=serializers.MeetingSerializer)
    def get(self, request, pk):
        params.check_known(request.query_params, set())
        meeting = get_readable_or_404(_meetings(), request.auth, pk=pk)
        return Response(serializers.MeetingSerializer(meeting, context={"request": request}).data)


def _cycles(program_ids):
    """The counts of feedback.selectors.program_cycles (the feedback page's: withdrawn requests
    are no longer asked), for several programs at once."""
    return FeedbackCycle.objects.filter(program_id__in=program_ids).annotate(
        request_count=Count("requests", filter=Q(requests__withdrawn_at=None)),
        submitted_count=Count("requests", filter=Q(requests__submitted_at__isnull=False)),
    )


@extend_schema_view(
    get=extend_schema(
        operation_id="feedback_cycles_list",
        parameters=[*SYNC_PARAMETERS, PROGRAM_PARAMETER],
        responses=page_of(serializers.FeedbackCycleSerializer),
    )
)
class FeedbackCycleList(SyncList):
    resource = "feedback-cycles"
    serializer_class = serializers.FeedbackCycleSerializer
    filters = {"program"}

    def rows(self, query):
        return _cycles(_program_filter(self, query))


class FeedbackCycleDetail(ApiView):
    @extend_schema(responses=serializers.FeedbackCycleSerializer)
    def get(self, request, pk):
        params.check_known(request.query_params, set())
        cycle = get_readable_or_404(_cycles(self.programs()), request.auth, pk=pk)
        return Response(
            serializers.FeedbackCycleSerializer(cycle, context={"request": request}).data
        )


@extend_schema_view(
    get=extend_schema(
        operation_id="goals_list",
        parameters=[*PAGE_PARAMETERS, PROGRAM_PARAMETER],
        responses=page_of(serializers.GoalSummarySerializer),
    )
)
class GoalSummaryList(ApiView):
    """Per mentee (membership), counts of their goals by status and of their milestones: on time,
    late, missed, overdue. No goal's or milestone's text."""

    def get(self, request):
        query = request.query_params
        params.check_known(query, {"cursor", "limit", "program"})
        limit = params.a_limit(query)
        cursor = params.read_cursor(query, "goals")
        rows = (
            Membership.everyone.filter(
                program_id__in=_program_filter(self, query), role=Membership.Role.MENTEE
            )
            .select_related("user")
            .only("program_id", "user__name", "user__email")
        )
        if cursor is not None:
            if len(cursor) != 1 or not isinstance(cursor[0], int):
                raise params.BadParameter("cursor", "This cursor is not valid here.")
            rows = rows.filter(id__gt=cursor[0])
        page = list(rows.order_by("id")[: limit + 1])
        more, page = len(page) > limit, page[:limit]
        goals = _goal_counts(page)
        milestones = _milestone_counts(page)
        results = [
            {
                "id": m.pk,
                "program": m.program_id,
                "mentee": m.user,
                "goals": goals.get(
                    (m.program_id, m.user_id), _zero(serializers.GoalCountsSerializer)
                ),
                "milestones": milestones.get(
                    (m.program_id, m.user_id), _zero(serializers.MilestoneCountsSerializer)
                ),
            }
            for m in page
        ]
        next_cursor = params.make_cursor("goals", [page[-1].pk]) if more else None
        return Response(
            {
                "results": serializers.GoalSummarySerializer(results, many=True).data,
                "next": _next_url(request, next_cursor),
                "next_cursor": next_cursor,
            }
        )


def _zero(serializer) -> dict:
    return dict.fromkeys(serializer().fields, 0)


def _goal_counts(page) -> dict:
    """{(program, mentee): {status: n}} for the page's mentees: one query."""
    found: dict = {}
    if not page:
        return found
    rows = (
        Goal.objects.filter(
            program_id__in={m.program_id for m in page},
            mentee_id__in={m.user_id for m in page},
        )
        .exclude(status=Goal.Status.DRAFT)
        .values_list("program_id", "mentee_id", "status")
        .annotate(n=Count("id"))
        .order_by()
    )
    for program_id, mentee_id, status, n in rows:
        found.setdefault((program_id, mentee_id), _zero(serializers.GoalCountsSerializer))[
            status
        ] = n
    return found


def _milestone_counts(page) -> dict:
    """{(program, mentee): counts} of the milestones of the page's mentees' goals: one query."""
    found: dict = {}
    if not page:
        return found
    today = timezone.localdate()
    accepted, done = Milestone.Status.ACCEPTED, Milestone.Status.DONE
    rows = (
        Milestone.objects.filter(
            goal__program_id__in={m.program_id for m in page},
            goal__mentee_id__in={m.user_id for m in page},
        )
        .values_list("goal__program_id", "goal__mentee_id")
        .annotate(
            open=Count("id", filter=Q(status=accepted, due_date__gte=today)),
            overdue=Count("id", filter=Q(status=accepted, due_date__lt=today)),
            done_on_time=Count("id", filter=Q(status=done, completed_on__lte=F("due_date"))),
            done_late=Count("id", filter=Q(status=done, completed_on__gt=F("due_date"))),
            missed=Count("id", filter=Q(status=Milestone.Status.MISSED)),
        )
        .order_by()
    )
    for program_id, mentee_id, *counts in rows:
        found[(program_id, mentee_id)] = dict(
            zip(serializers.MilestoneCountsSerializer().fields, counts, strict=True)
        )
    return found


@extend_schema_view(
    get=extend_schema(
        operation_id="mentor_feedback_list",
        parameters=PAGE_PARAMETERS,
        responses=page_of(serializers.MentorFeedbackSerializer),
    )
)
class MentorFeedbackList(ApiView):
    """Each mentor's average ratings from their mentees, by the feedback page's own rule
    (feedback.selectors.mentor_summaries): null until at least three mentees answered."""

    def get(self, request, pk):
        query = request.query_params
        params.check_known(query, {"cursor", "limit"})
        limit = params.a_limit(query)
        cursor = params.read_cursor(query, f"mentor-feedback-{pk}")
        program = get_readable_or_404(Program.objects.all(), request.auth, pk=pk)
        mentors = summary_mentors(program).order_by("pk")
        if cursor is not None:
            if len(cursor) != 1 or not isinstance(cursor[0], int):
                raise params.BadParameter("cursor", "This cursor is not valid here.")
            mentors = mentors.filter(pk__gt=cursor[0])
        page = list(mentors[: limit + 1])
        more, page = len(page) > limit, page[:limit]
        results = [
            {
                "mentor": s.mentor,
                "mentees_answered": s.mentees,
                "averages": None
                if s.averages is None
                else [{"quality": q, "average": a, "ratings": n} for q, a, n in s.averages],
            }
            for s in mentor_summaries(program, page)
        ]
        next_cursor = params.make_cursor(f"mentor-feedback-{pk}", [page[-1].pk]) if more else None
        return Response(
            {
                "results": serializers.MentorFeedbackSerializer(results, many=True).data,
                "next": _next_url(request, next_cursor),
                "next_cursor": next_cursor,
            }
        )


class OverviewDetail(ApiView):
    """The program page's tiles and the trends page's charts, from the same selectors, so the
    numbers agree with what the admins see."""

    @extend_schema(responses=serializers.OverviewSerializer)
    def get(self, request, pk):
        params.check_known(request.query_params, set())
        program = get_readable_or_404(Program.objects.all(), request.auth, pk=pk)
        tiles = overview(program).tiles
        trends = program_trends(program, zone=program.zone)
        data = {
            "program": program.pk,
            "tiles": [
                {
                    "key": t.key,
                    "label": str(t.label),
                    "count": t.count,
                    "detail": str(t.detail),
                    "unit": t.unit,
                    "lines": [str(line) for line in t.lines],
                }
                for t in tiles
            ],
            "trends": [
                {
                    "key": c.key,
                    "title": str(c.title),
                    "description": str(c.description),
                    "unit": c.unit,
                    "labels": [str(label) for label in c.labels],
                    "series": [{"name": str(s.name), "values": s.values} for s in c.series],
                }
                for c in trends.charts
            ],
            "totals": trends.totals,
        }
        return Response(serializers.OverviewSerializer(data).data)
