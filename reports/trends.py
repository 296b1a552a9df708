"""A program's last 12 months, month by month: SQL aggregation (TruncMonth, Count(filter=...)), a
fixed number of queries however many meetings there are, and charts drawn on the server as SVG.

Months are those of the viewer's zone. Nothing here reads a note, an answer's text or a rating:
only statuses, dates and counts.
"""

import math
import zoneinfo
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db import connection
from django.db.models import (
    Aggregate,
    CharField,
    Count,
    DateField,
    DateTimeField,
    DurationField,
    F,
    Q,
    Value,
)
from django.db.models.functions import Cast, TruncDate, TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from feedback.selectors import program_cycles
from goals.models import Milestone, ProgressReport
from meetings.models import Material, Meeting
from mentoring import moments
from programs.models import Dyad, Program

MONTHS = 12


class Median(Aggregate):
    """PostgreSQL's exact median (percentile_cont); other databases get None and the caller
    computes it from the values."""

    function = "PERCENTILE_CONT"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = DurationField()


def month_starts(today: date) -> list[date]:
    """The first day of each of the last MONTHS months, oldest first, this month last."""
    year, month = today.year, today.month
    starts = []
    for _month in range(MONTHS):
        starts.append(date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return starts[::-1]


def _label(month: date) -> str:
    """A month's key in the data: "2026-01", the same in every language (the API gives it as it
    is); pages show it with `month_shown`."""
    return f"{month:%Y-%m}"


def month_shown(key: str) -> tuple[str, str]:
    """A month key ("2026-01") as the active language abbreviates the month, and its year:
    ("Jan", "2026"), ("Ene", "2026"), ("Jan", "2026") in French too, ("Fév", "2026")."""
    month = date.fromisoformat(f"{key}-01")
    return moments.month_abbreviation(month), str(month.year)


def is_january(key: str) -> bool:
    return key.endswith("-01")


@dataclass
class Series:
    name: str
    values: list[float | int | None]
    color: str


@dataclass
class Chart:
    """A chart and the table of its numbers: what it counts is in its title and description."""

    key: str
    title: str
    description: str
    labels: list[str]
    series: list[Series]
    unit: str = ""
    row_label: str = "Month"
    bars: list[dict] = field(default_factory=list)
    axis: list[dict] = field(default_factory=list)
    # The drawing's own units (its viewBox): the SVG is as wide as its column, on a phone as on a
    # desktop, so the size only sets the proportions and how large the text is against the bars.
    width: int = 560
    height: int = 230
    # Markup the charts of one page share (their months, their grid), written once for all of
    # them by reports/templatetags/charts.py: one dict for the charts of one `program_trends`.
    shared: dict = field(default_factory=dict, repr=False, compare=False)

    @property
    def monthly(self) -> bool:
        return self.row_label == "Month"

    @property
    def shown_labels(self) -> list[str]:
        """The labels as the active language reads them: "Jan 2026" for the key "2026-01"."""
        if not self.monthly:
            return list(self.labels)
        return [" ".join(month_shown(label)) for label in self.labels]

    @property
    def rows(self) -> list[tuple[str, list]]:
        return [(label, [s.values[i] for s in self.series]) for i, label in enumerate(self.labels)]

    @property
    def table(self) -> list[tuple[str, list, int | None]]:
        """One row per series: its name, its values, and its total (counts only)."""
        return [
            (s.name, s.values, None if self.unit else sum(v for v in s.values if v is not None))
            for s in self.series
        ]


# Colours that stay apart for the common colour-vision deficiencies (Okabe–Ito), each series also
# named in the legend and the table, so colour is never the only cue.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000"]
LEFT, TOP, BOTTOM = 40, 10, 40


def _layout(chart: Chart) -> Chart:
    """Bar geometry for the template: grouped bars per label, a y axis with four ticks."""
    values = [v for s in chart.series for v in s.values if v is not None]
    top = max(values, default=0) or 1
    if not chart.unit:  # counts: whole-number ticks
        top = max(4, math.ceil(top / 4) * 4)
    elif chart.unit == "%":
        top = 100
    plot_w, plot_h = chart.width - LEFT - 10, chart.height - TOP - BOTTOM
    group = plot_w / max(len(chart.labels), 1)
    bar_w = max((group - 6) / max(len(chart.series), 1), 1)
    chart.bars = []
    for i, label in enumerate(chart.shown_labels):
        for j, series in enumerate(chart.series):
            value = series.values[i]
            height = 0 if value is None else plot_h * value / top
            chart.bars.append(
                {
                    "x": round(LEFT + i * group + 3 + j * bar_w, 1),
                    "y": round(TOP + plot_h - height, 1),
                    "w": round(bar_w - 1, 1),
                    "h": round(height, 1),
                    "color": series.color,
                    "text": f"{label}, {series.name}: {'–' if value is None else value}"
                    f"{chart.unit}",
                }
            )
    chart.axis = [
        {
            "y": round(TOP + plot_h - plot_h * k / 4, 1),
            "value": round(top * k / 4) if not chart.unit or top >= 8 else round(top * k / 4, 1),
        }
        for k in range(5)
    ]
    chart.labels_at = [
        {
            "x": round(LEFT + i * group + group / 2, 1),
            **(_month_under_bars(i, label) if chart.monthly else {"text": label[:24], "year": ""}),
        }
        for i, label in enumerate(chart.labels)
    ]
    chart.base_y = TOP + plot_h
    chart.legend = [
        {"x": LEFT + k * 150, "name": s.name, "color": s.color} for k, s in enumerate(chart.series)
    ]
    return chart


def _month_under_bars(i: int, key: str) -> dict:
    """The month's short name, and its year under the first month and under each January:
    where it changes."""
    month, year = month_shown(key)
    return {"text": month, "year": year if i == 0 or is_january(key) else ""}


def _by_month(rows, months: list[date], key: str) -> list:
    found = {}
    for row in rows:
        month = row["month"]
        if isinstance(month, datetime):
            month = month.date()
        found[month] = row[key]
    return [found.get(m, 0) for m in months]


@dataclass
class Trends:
    months: list[date]
    charts: list[Chart]
    cycles: list  # feedback cycles opened in the 12 months, with request and submitted counts
    totals: dict[str, int]

    def chart(self, key: str) -> Chart:
        return next(c for c in self.charts if c.key == key)


@dataclass(frozen=True)
class _Span:
    """The 12 months in the viewer's zone: their first days, and the moments they run between."""

    now: datetime
    zone: zoneinfo.ZoneInfo
    today: date
    months: list[date]
    start: datetime  # the first month's first moment
    end: datetime  # the moment the day after today starts: moments before it count

    @property
    def start_day(self) -> date:
        return self.months[0]

    @property
    def labels(self) -> list[str]:
        return [_label(m) for m in self.months]


def _span(zone: zoneinfo.ZoneInfo, now: datetime) -> _Span:
    today = timezone.localdate(now, zone)
    months = month_starts(today)
    return _Span(
        now=now,
        zone=zone,
        today=today,
        months=months,
        start=datetime.combine(months[0], datetime.min.time(), tzinfo=zone),
        end=datetime.combine(today + timedelta(days=1), datetime.min.time(), tzinfo=zone),
    )


def _monthly(queryset, moment: str, kind: str, series: str, span: _Span):
    """(month, part, series, n) of the rows whose `moment` falls in the span. The part filters on
    its own column's range (an index can serve it, and the planner estimates it, so it groups
    with a hash) and groups by the column's month in the zone."""
    text = CharField()
    if isinstance(queryset.model._meta.get_field(moment), DateTimeField):
        in_months = {f"{moment}__gte": span.start, f"{moment}__lt": span.end}
        month = TruncMonth(moment, tzinfo=span.zone)
    else:
        in_months = {f"{moment}__gte": span.start_day, f"{moment}__lte": span.today}
        month = TruncMonth(moment)
    return (
        queryset.filter(**in_months)
        .order_by()
        .values(
            of_month=Cast(month, DateField()),
            part=Value(kind, output_field=text),
            series=F(series) if series else Value("", output_field=text),
        )
        .annotate(n=Count("pk"))
        .values_list("of_month", "part", "series", "n")
    )


@dataclass
class _MonthlyCounts:
    """Counts by name ("meeting:held", "started", "ended:poor_fit"…) and month."""

    months: list[date]
    found: dict[str, dict[date, int]]

    def series(self, name: str) -> list[int]:
        found = self.found.get(name, {})
        return [found.get(m, 0) for m in self.months]

    def total(self, name: str) -> int:
        return sum(self.series(name))


def _event_counts(program: Program, span: _Span) -> _MonthlyCounts:
    """Every monthly count but the materials' in one query, a UNION ALL of (month, part, series,
    n): meetings held and missed by when they were to start, cancelled by when, dyads started
    and ended (by reason), milestones done (completion date) and missed (when marked), reports."""
    held, missed, cancelled = Meeting.Status.HELD, Meeting.Status.MISSED, Meeting.Status.CANCELLED
    meetings = Meeting.objects.filter(dyad__program=program)
    milestones = Milestone.objects.filter(goal__program=program)
    done = milestones.filter(status=Milestone.Status.DONE)
    missed_milestones = milestones.filter(status=Milestone.Status.MISSED)
    ended = program.dyads.filter(status=Dyad.Status.ENDED)
    reports = ProgressReport.objects.filter(program=program)
    events = _monthly(
        meetings.filter(status__in=[held, missed]), "starts_at", "meeting", "status", span
    ).union(
        _monthly(meetings.filter(status=cancelled), "cancelled_at", "meeting", "status", span),
        _monthly(program.dyads.all(), "started_on", "started", "", span),
        _monthly(ended, "ended_at", "ended", "end_reason", span),
        _monthly(done, "completed_on", "milestone", "status", span),
        _monthly(missed_milestones, "closed_at", "milestone", "status", span),
        _monthly(reports, "submitted_at", "report", "", span),
        all=True,
    )
    counts: dict[str, dict[date, int]] = {}
    for month, kind, series, n in events:
        name = f"{kind}:{series}" if series else kind
        found = counts.setdefault(name, {})
        found[month] = found.get(month, 0) + n
    return _MonthlyCounts(span.months, counts)


@dataclass
class _MaterialMonths:
    """Per month: materials reviewed, those reviewed after the date asked, the median days."""

    reviewed: list[int]
    late: list[int]
    median_days: list[float | None]


def _days(value: timedelta | None) -> float | None:
    return None if value is None else round(value.total_seconds() / 86400, 1)


def _materials_reviewed(program: Program, span: _Span) -> _MaterialMonths:
    """Materials reviewed in the span, by month: one query (two on SQLite, which has no median)."""
    reviewed = (
        Material.objects.filter(
            meeting__dyad__program=program, reviewed_at__gte=span.start, reviewed_at__lte=span.now
        )
        .annotate(
            month=TruncMonth("reviewed_at", tzinfo=span.zone),
            reviewed_on=TruncDate("reviewed_at", tzinfo=span.zone),
        )
        .order_by("month")
        .values("month")
    )
    postgres = connection.vendor == "postgresql"
    aggregates = dict(
        n=Count("pk"),
        late=Count("pk", filter=Q(review_by__isnull=False, reviewed_on__gt=F("review_by"))),
    )
    if postgres:
        aggregates["median"] = Median("turnaround")
    materials = list(reviewed.annotate(**aggregates))
    if not postgres:  # the embedded SQLite default has no percentile: the month's values
        durations: dict = {}
        for row in reviewed.exclude(turnaround=None).values("month", "turnaround"):
            durations.setdefault(row["month"], []).append(row["turnaround"])
        for row in materials:
            values = sorted(durations.get(row["month"], []))
            row["median"] = _median(values)
    medians = {
        (r["month"].date() if isinstance(r["month"], datetime) else r["month"]): r["median"]
        for r in materials
    }
    return _MaterialMonths(
        reviewed=_by_month(materials, span.months, "n"),
        late=_by_month(materials, span.months, "late"),
        median_days=[_days(medians.get(m)) for m in span.months],
    )


def _activity_charts(labels: list[str], counts: _MonthlyCounts) -> list[Chart]:
    """Meetings, dyads, milestones and reports, per month."""
    end_colours = [PALETTE[0], PALETTE[5], PALETTE[1], PALETTE[3], PALETTE[6]]
    return [
        Chart(
            "meetings",
            _("Meetings held, missed and cancelled, per month"),
            _(
                "Counts the program's meetings marked held or missed, by the month they were to "
                "start, and meetings cancelled, by the month they were cancelled."
            ),
            labels,
            [
                Series(_("Held"), counts.series("meeting:held"), PALETTE[0]),
                Series(_("Missed"), counts.series("meeting:missed"), PALETTE[1]),
                Series(_("Cancelled"), counts.series("meeting:cancelled"), PALETTE[5]),
            ],
        ),
        Chart(
            "dyads",
            _("Dyads started and ended, per month, by end reason"),
            _(
                "Counts dyads by the month they started, and dyads that ended by the month they "
                "ended, one bar per end reason, so that poor fit shows."
            ),
            labels,
            [Series(_("Started"), counts.series("started"), PALETTE[2])]
            + [
                Series(
                    _("Ended: %(reason)s") % {"reason": reason.label},
                    counts.series(f"ended:{reason.value}"),
                    color,
                )
                for reason, color in zip(Dyad.EndReason, end_colours, strict=True)
            ],
        ),
        Chart(
            "milestones",
            _("Milestones done and missed, per month"),
            _(
                "Counts milestones marked done, by their completion date, and milestones marked "
                "missed, by the day they were marked."
            ),
            labels,
            [
                Series(_("Done"), counts.series("milestone:done"), PALETTE[2]),
                Series(_("Missed"), counts.series("milestone:missed"), PALETTE[5]),
            ],
        ),
        Chart(
            "reports",
            _("Progress reports written, per month"),
            _("Counts the progress reports mentees submitted, by the month they submitted them."),
            labels,
            [Series(_("Reports"), counts.series("report"), PALETTE[0])],
        ),
    ]


def _material_charts(labels: list[str], materials: _MaterialMonths) -> list[Chart]:
    """Materials reviewed and reviewed late, the late share, the median turnaround, per month."""
    late_share = [
        round(100 * late / n) if n else 0
        for late, n in zip(materials.late, materials.reviewed, strict=True)
    ]
    return [
        Chart(
            "materials",
            _("Materials reviewed, and reviewed late, per month"),
            _(
                "Counts materials mentors reviewed, by the month of the review, and those reviewed "
                "after the date the mentee asked for."
            ),
            labels,
            [
                Series(_("Reviewed"), materials.reviewed, PALETTE[0]),
                Series(_("Reviewed late"), materials.late, PALETTE[1]),
            ],
        ),
        Chart(
            "late_share",
            _("Share of materials reviewed late, per month (%)"),
            _(
                "The share of the materials mentors reviewed that month that were reviewed after "
                "the date the mentee asked for; 0 when none was reviewed."
            ),
            labels,
            [Series(_("Reviewed late"), late_share, PALETTE[1])],
            unit="%",
        ),
        Chart(
            "turnaround",
            _("Median material turnaround, per month (days)"),
            _(
                "The median time from a material being shared to its review, in days, of the "
                "materials reviewed that month; a dash when none was reviewed."
            ),
            labels,
            [Series(_("Median days"), materials.median_days, PALETTE[4])],
            unit=" d",
        ),
    ]


def _feedback_chart(cycles: list) -> Chart:
    """The share of each cycle's requests (withdrawn ones left out) that were answered."""
    answered = [
        round(100 * c.submitted_count / c.request_count) if c.request_count else 0 for c in cycles
    ]
    return Chart(
        "feedback",
        _("Feedback completion per cycle (%)"),
        _(
            "For each feedback cycle opened in these 12 months: the share of its requests "
            "(withdrawn ones left out) that were answered."
        ),
        [c.name for c in cycles] or [_("No cycle")],
        [Series(_("Answered"), answered or [0], PALETTE[2])],
        unit="%",
        row_label="Cycle",
    )


def _totals(counts: _MonthlyCounts, materials: _MaterialMonths) -> dict[str, int]:
    reviewed, late = sum(materials.reviewed), sum(materials.late)
    return {
        "meetings_held": counts.total("meeting:held"),
        "meetings_missed": counts.total("meeting:missed"),
        "meetings_cancelled": counts.total("meeting:cancelled"),
        "dyads_started": counts.total("started"),
        "dyads_ended": sum(counts.total(f"ended:{r.value}") for r in Dyad.EndReason),
        "dyads_ended_poor_fit": counts.total("ended:poor_fit"),
        "milestones_done": counts.total("milestone:done"),
        "milestones_missed": counts.total("milestone:missed"),
        "reports": counts.total("report"),
        "materials_reviewed": reviewed,
        "materials_late": late,
        "materials_late_percent": round(100 * late / reviewed) if reviewed else 0,
    }


def program_trends(program: Program, *, zone: zoneinfo.ZoneInfo, now: datetime | None = None):
    """The program's 12 months: three queries (four on SQLite, which has no median)."""
    span = _span(zone, now or timezone.now())
    counts = _event_counts(program, span)  # 1
    materials = _materials_reviewed(program, span)  # 2 (and 3 on SQLite)
    cycles = [c for c in program_cycles(program) if span.start_day <= c.opens <= span.today]
    labels = span.labels
    charts = [
        *_activity_charts(labels, counts),
        *_material_charts(labels, materials),
        _feedback_chart(cycles),
    ]
    shared: dict = {}
    for chart in charts:
        _layout(chart)
        chart.shared = shared
    return Trends(span.months, charts, cycles, _totals(counts, materials))


def _median(values: list):
    if not values:
        return None
    middle = len(values) // 2
    if len(values) % 2:
        return values[middle]
    return (values[middle - 1] + values[middle]) / 2
