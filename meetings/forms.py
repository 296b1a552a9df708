"""Forms of the meetings app: validation and layout, no side effects.

Times are typed as a date, a start and an end in the person's own zone (the middleware activates
it); a wall-clock time that does not exist there (the hour skipped when clocks go forward) is refused.
"""

from datetime import UTC, date, datetime, timedelta

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Field, Layout, Row, Submit
from django import forms
from django.conf import settings
from django.forms.models import ModelChoiceIterator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from meetings.models import ActionItem, AgendaItem, Material, Meeting
from mentoring.languages import later
from mentoring.layout import TextFieldset

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


# The dates a meeting may fall on. Outside them a date is a typo, and near year 1 or 9999 the
# zone's offset would carry the time past what a datetime holds (OverflowError, a 500).
EARLIEST_MEETING_DAY = date(2000, 1, 1)
MEETING_YEARS_AHEAD = 10


def latest_meeting_day() -> date:
    """The last day a meeting may be planned for, counted from today in the current zone."""
    today = timezone.localdate()
    try:
        return today.replace(year=today.year + MEETING_YEARS_AHEAD)
    except ValueError:  # 29 February, and that year has none
        return today.replace(year=today.year + MEETING_YEARS_AHEAD, day=28)


def _day_out_of_range(day: date) -> str | None:
    """Why a meeting cannot fall on this day, or None if it can."""
    if day < EARLIEST_MEETING_DAY:
        return _("This time is in the past. Choose a time from now on.")
    if day > latest_meeting_day():
        return _(
            "A meeting is planned at most %(years)s years ahead: choose a date up to %(day)s."
        ) % {
            "years": MEETING_YEARS_AHEAD,
            "day": f"{latest_meeting_day():%Y-%m-%d}",
        }
    return None


def local_datetime(day, at) -> datetime | None:
    """The aware datetime of a wall-clock time in the current zone, or None if it does not exist."""
    zone = timezone.get_current_timezone()
    moment = datetime.combine(day, at).replace(tzinfo=zone)
    round_trip = moment.astimezone(UTC).astimezone(zone)
    if round_trip.replace(tzinfo=None) != moment.replace(tzinfo=None):
        return None
    return moment


def _slot(cleaned: dict, suffix: str, add_error, *, required: bool):
    """Validate one (date, start, end) triple; returns (starts_at, ends_at) or None."""
    day, start, end = (cleaned.get(f"{name}{suffix}") for name in ("date", "start", "end"))
    if not any((day, start, end)):
        if required:
            add_error(f"date{suffix}", _("Choose a date."))
        return None
    for name, value in (("date", day), ("start", start), ("end", end)):
        if value is None:
            add_error(f"{name}{suffix}", _("Fill in the date, the start and the end."))
            return None
    if problem := _day_out_of_range(day):
        add_error(f"date{suffix}", problem)
        return None
    starts_at, ends_at = local_datetime(day, start), local_datetime(day, end)
    if starts_at is None or ends_at is None:
        add_error(
            f"start{suffix}",
            _("That time does not exist in %(zone)s (the clocks change). Choose another time.")
            % {"zone": timezone.get_current_timezone_name()},
        )
        return None
    if ends_at <= starts_at:
        add_error(f"end{suffix}", _("The meeting must end after it starts."))
        return None
    if starts_at <= timezone.now():
        add_error(f"date{suffix}", _("This time is in the past. Choose a time from now on."))
        return None
    if ends_at - starts_at > timedelta(hours=8):
        add_error(f"end{suffix}", _("A meeting lasts at most eight hours."))
        return None
    return starts_at, ends_at


def _slot_fields(suffix: str, *, required: bool) -> dict:
    label = _("Option %(n)s") % {"n": suffix} if suffix else ""
    return {
        f"date{suffix}": forms.DateField(
            label=_("Date") if not label else f"{label}: " + str(_("date")),
            widget=DATE,
            required=False,
        ),
        f"start{suffix}": forms.TimeField(label=_("Start"), widget=TIME, required=False),
        f"end{suffix}": forms.TimeField(label=_("End"), widget=TIME, required=False),
    }


class OverlapConfirmMixin:
    """A checkbox that appears only after the service warned about an overlapping meeting."""

    def ask_overlap_confirmation(self) -> None:
        field = self.fields["confirm_overlap"]
        field.widget = forms.CheckboxInput()
        field.label = _("I know about the overlap: go ahead anyway")


class ProposeMeetingForm(OverlapConfirmMixin, forms.Form):
    location = forms.CharField(
        label=_("Place"), max_length=200, required=False, help_text=_("e.g. Room 4B, or 'phone'")
    )
    video_url = forms.URLField(label=_("Video link"), required=False, assume_scheme="https")
    note = forms.CharField(
        label=_("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Optional: what you would like to talk about, for the other person."),
    )
    confirm_overlap = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for n in ("1", "2", "3"):
            self.fields.update(_slot_fields(n, required=n == "1"))
        zone = timezone.get_current_timezone_name()
        self.helper = FormHelper()
        self.helper.layout = Layout(
            TextFieldset(
                _("Times you can offer (in %(zone)s); one is enough") % {"zone": zone},
                *[
                    Row(
                        Column(Field(f"date{n}"), css_class="col-md-4"),
                        Column(Field(f"start{n}"), css_class="col-md-4"),
                        Column(Field(f"end{n}"), css_class="col-md-4"),
                    )
                    for n in ("1", "2", "3")
                ],
            ),
            "location",
            "video_url",
            "note",
            "confirm_overlap",
            Submit("submit", _("Propose")),
        )

    def clean(self):
        cleaned = super().clean()
        times = [
            slot
            for n in ("1", "2", "3")
            if (slot := _slot(cleaned, n, self.add_error, required=n == "1"))
        ]
        cleaned["times"] = times
        return cleaned


class ChangeMeetingForm(OverlapConfirmMixin, forms.Form):
    date = forms.DateField(label=_("Date"), widget=DATE, required=False)
    start = forms.TimeField(label=_("Start"), widget=TIME, required=False)
    end = forms.TimeField(label=_("End"), widget=TIME, required=False)
    location = forms.CharField(label=_("Place"), max_length=200, required=False)
    video_url = forms.URLField(label=_("Video link"), required=False, assume_scheme="https")
    reason = forms.CharField(
        label=_("Why it changes"),
        max_length=300,
        help_text=_("The other person reads this in the e-mail about the change."),
    )
    confirm_overlap = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, meeting: Meeting, **kwargs):
        self.meeting = meeting
        # The view passes `request.POST or None`: a GET is a None data argument, not a missing one.
        data = args[0] if args else kwargs.get("data")
        if data is None and meeting.starts_at:
            start, end = timezone.localtime(meeting.starts_at), timezone.localtime(meeting.ends_at)
            kwargs["initial"] = {
                "date": start.date(),
                "start": start.time(),
                "end": end.time(),
                "location": meeting.location,
                "video_url": meeting.video_url,
            }
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Row(
                Column(Field("date"), css_class="col-md-4"),
                Column(Field("start"), css_class="col-md-4"),
                Column(Field("end"), css_class="col-md-4"),
            ),
            "location",
            "video_url",
            "reason",
            "confirm_overlap",
            Submit("submit", _("Save the change")),
        )

    def clean(self):
        cleaned = super().clean()
        day, start, end = cleaned.get("date"), cleaned.get("start"), cleaned.get("end")
        unchanged = (
            self.meeting.starts_at is not None
            and day is not None
            and start is not None
            and end is not None
            and _day_out_of_range(day) is None
            and local_datetime(day, start) == self.meeting.starts_at
            and local_datetime(day, end) == self.meeting.ends_at
        )
        if unchanged:
            cleaned["times"] = (self.meeting.starts_at, self.meeting.ends_at)
        else:
            cleaned["times"] = _slot(cleaned, "", self.add_error, required=True)
        return cleaned


class CancelMeetingForm(forms.Form):
    reason = forms.CharField(
        label=_("Why"),
        max_length=300,
        help_text=_("The other person reads this. The meeting stays in both histories."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Cancel the meeting"), css_class="btn-danger"))


class AgendaItemForm(forms.ModelForm):
    """Drawn by the meeting page itself (meetings/meeting_detail.html, through
    mentoring.form_markup), not by crispy: the page is opened all day."""

    class Meta:
        model = AgendaItem
        fields = ["topic", "help_needed", "details", "goal", "progress_report"]
        widgets = {"details": forms.Textarea(attrs={"rows": 2})}
        help_texts = {
            "help_needed": _("What kind of help you need with this topic."),
            "goal": _("Optional: the goal this topic moves forward."),
            "progress_report": _("Optional: a progress report to talk about."),
        }

    def __init__(self, *args, goals=None, reports=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the dyad's mentee's goals and reports, as far as this person may see them; each
        # list read once, when it is drawn.
        for name, queryset in (("goal", goals), ("progress_report", reports)):
            self.fields[name].iterator = _ListedChoices
            self.fields[name].queryset = queryset
        self.fields["progress_report"].label_from_instance = lambda r: (
            f"{timezone.localtime(r.submitted_at):%Y-%m-%d}: {r.accomplishments[:60]}"
        )


class MaterialForm(forms.ModelForm):
    link = forms.URLField(
        label=_("Link"),
        required=False,
        assume_scheme="https",
        help_text=_("Or a link to a shared document, instead of a file."),
    )
    upload = forms.FileField(
        label=_("File"),
        required=False,
        help_text=later(
            _("PDF, Word, Excel, PowerPoint or an image, up to %(mb)s MB."),
            {"mb": settings.MATERIAL_MAX_UPLOAD_BYTES // 1_048_576},
        ),
    )

    class Meta:
        model = Material
        fields = ["title", "upload", "link", "review_by"]
        widgets = {"review_by": DATE}
        help_texts = {"review_by": _("When you need the mentor's comments.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].required = False
        self.fields["title"].help_text = _("e.g. 'K23 specific aims, draft 2'")
        self.fields["review_by"].widget.attrs["min"] = timezone.localdate().isoformat()
        self.helper = FormHelper()
        self.helper.form_tag = True
        self.helper.add_input(Submit("submit", _("Send for review")))

    def clean_review_by(self):
        review_by = self.cleaned_data.get("review_by")
        if review_by is not None and review_by < timezone.localdate():
            raise forms.ValidationError(_("This date is in the past: choose today or a later day."))
        return review_by

    def ask_for_the_file_again(self) -> None:
        """A browser cannot refill a file field: after an error, say plainly that the chosen file
        must be chosen again."""
        if self.is_bound and self.errors and self.files.get("upload"):
            again = _(
                "The file you chose was not kept because of the problem above: choose it again."
            )
            self.fields["upload"].help_text = self["upload"].help_text = again

    def clean(self):
        cleaned = super().clean()
        if bool(cleaned.get("upload")) == bool(cleaned.get("link")) and not self.errors:
            raise forms.ValidationError(_("Attach a file or give a link, one of the two."))
        return cleaned


class ReviewMaterialForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment for the mentee"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Mark reviewed")))


class SharedNotesForm(forms.Form):
    text = forms.CharField(
        label=_("Shared notes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_("Both of you can read and edit these. Program admins can read them."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Save the notes")))


class PrivateNoteForm(forms.Form):
    text = forms.CharField(
        label=_("My private notes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Only you can read these: not the other person, not the program admins."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Save my notes")))


class _ListedChoices(ModelChoiceIterator):
    """A model choice field's options from `field.listed`: objects loaded already, or else its
    queryset read once with one plain query when the options are first drawn. Django's own iterator
    runs the query again at each iteration, through `.iterator()`: a server-side cursor on
    PostgreSQL, three round trips (declare, fetch, close). What is posted is still checked against
    the field's queryset."""

    def _listed(self) -> list:
        listed = getattr(self.field, "listed", None)
        if listed is None:
            listed = self.field.listed = list(self.queryset)
        return listed

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self._listed():
            yield self.choice(obj)

    def __len__(self):
        return len(self._listed()) + (self.field.empty_label is not None)

    def __bool__(self):
        return self.field.empty_label is not None or bool(self._listed())


class ActionItemForm(forms.ModelForm):
    """Drawn by the meeting page itself, like AgendaItemForm."""

    class Meta:
        model = ActionItem
        fields = ["description", "owner", "due_on"]
        widgets = {"due_on": DATE}

    def __init__(self, *args, dyad, **kwargs):
        super().__init__(*args, **kwargs)
        owner = self.fields["owner"]
        # The two choices are the dyad's people, already loaded: listed without a query.
        owner.iterator = _ListedChoices
        owner.listed = [dyad.mentor, dyad.mentee]
        owner.queryset = type(dyad.mentor).objects.filter(pk__in=[dyad.mentor_id, dyad.mentee_id])
        owner.label_from_instance = lambda u: (
            f"{u} ({_('mentor') if u.pk == dyad.mentor_id else _('mentee')})"
        )
        owner.empty_label = None
