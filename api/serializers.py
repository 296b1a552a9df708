"""What the API shows of each resource: an allow-list of fields. Typed text that is private,
confidential or unfinished (notes, agendas, end notes, goal texts, feedback answers, drafts) is in
none of them; tests/api/test_canaries.py reads every answer for it."""

from django.urls import reverse
from rest_framework import serializers

from mentoring.models import User
from programs.models import Dyad, Membership


def api_url(request, name: str, pk: int) -> str:
    return request.build_absolute_uri(reverse(f"api:{name}", args=[pk]))


class PersonSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    email = serializers.EmailField()


class ProgramSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    slug = serializers.CharField()
    time_zone = serializers.CharField()
    default_cadence_days = serializers.IntegerField()
    feedback_cycle_months = serializers.IntegerField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    url = serializers.SerializerMethodField()

    def get_url(self, obj) -> str:
        return api_url(self.context["request"], "program", obj.pk)


class MemberSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="The membership's id (one role of one person).")
    program = serializers.IntegerField(source="program_id")
    person = PersonSerializer(source="user")
    role = serializers.ChoiceField(choices=Membership.Role.choices)
    status = serializers.SerializerMethodField()
    department = serializers.CharField(source="user.department")
    career_stage = serializers.ChoiceField(
        source="user.career_stage", choices=[("", ""), *User.CareerStage.choices]
    )
    joined_at = serializers.DateTimeField()
    left_at = serializers.DateTimeField(source="deactivated_at", allow_null=True)
    profile_completed = serializers.SerializerMethodField()
    updated_at = serializers.DateTimeField()
    url = serializers.SerializerMethodField()

    def get_url(self, obj) -> str:
        return api_url(self.context["request"], "member", obj.pk)

    def get_status(self, obj) -> str:
        return "active" if obj.deactivated_at is None else "deactivated"

    def get_profile_completed(self, obj) -> bool:
        profile = getattr(obj.user, "profile", None)
        return profile is not None and profile.completed_at is not None


class DyadSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    program = serializers.IntegerField(source="program_id")
    mentor = PersonSerializer()
    mentee = PersonSerializer()
    kind = serializers.ChoiceField(choices=Dyad.Kind.choices)
    status = serializers.ChoiceField(choices=Dyad.Status.choices)
    mentor_is_supervisor = serializers.BooleanField()
    started_on = serializers.DateField(allow_null=True)
    ended_at = serializers.DateTimeField(allow_null=True)
    end_reason = serializers.ChoiceField(
        choices=[("", ""), *Dyad.EndReason.choices],
        help_text="The category only; the admin's note on it is never shown.",
    )
    replaces = serializers.IntegerField(source="replaces_id", allow_null=True)
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    url = serializers.SerializerMethodField()

    def get_url(self, obj) -> str:
        return api_url(self.context["request"], "dyad", obj.pk)


class MeetingSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    dyad = serializers.IntegerField(source="dyad_id")
    program = serializers.IntegerField(source="dyad.program_id")
    status = serializers.CharField()
    starts_at = serializers.DateTimeField(allow_null=True)
    ends_at = serializers.DateTimeField(allow_null=True)
    agenda_ready = serializers.SerializerMethodField()
    materials_count = serializers.IntegerField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    url = serializers.SerializerMethodField()

    def get_agenda_ready(self, obj) -> bool:
        return obj.agenda_ready_at is not None

    def get_url(self, obj) -> str:
        return api_url(self.context["request"], "meeting", obj.pk)


class GoalCountsSerializer(serializers.Serializer):
    active = serializers.IntegerField()
    achieved = serializers.IntegerField()
    dropped = serializers.IntegerField()


class MilestoneCountsSerializer(serializers.Serializer):
    open = serializers.IntegerField(help_text="Accepted, not yet due.")
    overdue = serializers.IntegerField(help_text="Accepted and past the due date.")
    done_on_time = serializers.IntegerField()
    done_late = serializers.IntegerField()
    missed = serializers.IntegerField()


class GoalSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="The mentee's membership id.")
    program = serializers.IntegerField()
    mentee = PersonSerializer()
    goals = GoalCountsSerializer(help_text="Shared goals by status (drafts are the mentee's own).")
    milestones = MilestoneCountsSerializer()


class FeedbackCycleSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    program = serializers.IntegerField(source="program_id")
    name = serializers.CharField()
    opens = serializers.DateField()
    due = serializers.DateField()
    closes = serializers.DateField()
    requests = serializers.IntegerField(source="request_count")
    answered = serializers.IntegerField(source="submitted_count")
    response_rate = serializers.SerializerMethodField()
    updated_at = serializers.DateTimeField()
    url = serializers.SerializerMethodField()

    def get_response_rate(self, obj) -> float | None:
        return round(obj.submitted_count / obj.request_count, 3) if obj.request_count else None

    def get_url(self, obj) -> str:
        return api_url(self.context["request"], "feedback_cycle", obj.pk)


class QualityAverageSerializer(serializers.Serializer):
    quality = serializers.CharField()
    average = serializers.FloatField(allow_null=True)
    ratings = serializers.IntegerField()


class MentorFeedbackSerializer(serializers.Serializer):
    mentor = PersonSerializer()
    mentees_answered = serializers.IntegerField()
    averages = QualityAverageSerializer(
        many=True,
        allow_null=True,
        help_text="Null until at least three mentees answered (no one mentee is identifiable).",
    )


class TileSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField(allow_null=True)
    detail = serializers.CharField()
    unit = serializers.CharField()
    lines = serializers.ListField(child=serializers.CharField())


class SeriesSerializer(serializers.Serializer):
    name = serializers.CharField()
    values = serializers.ListField(child=serializers.FloatField(allow_null=True))


class ChartSerializer(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    description = serializers.CharField()
    unit = serializers.CharField()
    labels = serializers.ListField(
        child=serializers.CharField(),
        help_text=(
            "One per column: the month as YYYY-MM for the monthly charts (the same in every "
            "language; the pages show it as the reader's language names it), the cycle's name "
            "for the feedback chart."
        ),
    )
    series = SeriesSerializer(many=True)


class OverviewSerializer(serializers.Serializer):
    program = serializers.IntegerField()
    tiles = TileSerializer(many=True)
    trends = ChartSerializer(many=True)
    totals = serializers.DictField(child=serializers.IntegerField())
