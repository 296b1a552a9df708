"""Forms of the program admin's dyad pages and of the mentor requests. Validation only."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from mentoring.converters import IdChoiceField
from mentoring.forms import time_zone_field
from mentoring.models import SecurityEvent, User
from programs.models import (
    PROGRAM_SETTINGS_FIELDS,
    WEIGHT_FIELDS,
    Dyad,
    Membership,
    Profile,
    Program,
)

NOT_A_MEMBER = _("Choose a member of this program.")


def _helper(label: str, *, css: str = "btn-primary") -> FormHelper:
    helper = FormHelper()
    helper.add_input(Submit("save", label, css_class=css))
    return helper


def _members(program: Program):
    """Anyone holding a role in the program; the service says why a wrong role cannot be paired."""
    return User.objects.filter(
        memberships__program=program, memberships__deactivated_at=None
    ).distinct()


class SupervisorMixin(forms.Form):
    mentor_is_supervisor = forms.BooleanField(
        label=_("The mentor is the mentee's administrative supervisor"),
        required=False,
        help_text=_(
            "Roles blur when the mentor is also the boss. You will be asked to confirm, the dyad is "
            "flagged, and feedback offers the mentee a channel only the program admin reads."
        ),
    )


class EndReasonMixin(forms.Form):
    reason = forms.ChoiceField(
        label=_("Why does it end?"), choices=Dyad.EndReason.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("In a few words"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required for “Other”. Admins and the two people in the dyad can read it."),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("reason") == Dyad.EndReason.OTHER and not cleaned.get("note", "").strip():
            self.add_error("note", _("Say in a few words why the dyad ends."))
        return cleaned


class EndDyadForm(EndReasonMixin):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("End the dyad"), css="btn-danger")


class CadenceForm(forms.Form):
    cadence_days = forms.IntegerField(
        label=_("Meeting cadence (days)"),
        required=False,
        min_value=1,
        max_value=365,
        help_text=_("Empty: the program's default."),
    )

    def __init__(self, *args, program: Program, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cadence_days"].help_text = _(
            "A dyad that has not met for longer than this is overdue. Empty: the program's "
            "default of %(days)d days."
        ) % {"days": program.default_cadence_days}
        self.helper = _helper(_("Save cadence"))


class AgreementForm(forms.Form):
    text = forms.CharField(label=_("Agreement"), widget=forms.Textarea(attrs={"rows": 8}))
    meeting_frequency = forms.CharField(
        label=_("How often we meet"), max_length=200, help_text=_("e.g. every four weeks, one hour")
    )
    communication = forms.CharField(
        label=_("How we communicate"),
        max_length=300,
        required=False,
        help_text=_("e.g. e-mail for scheduling, a call for anything urgent"),
    )
    confidentiality = forms.CharField(
        label=_("Confidentiality"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Save the agreement"))


class MentorRequestForm(forms.Form):
    note = forms.CharField(
        label=_("A short note to the mentor"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What you hope to work on together, and why you chose them."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Send the request"))


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The mentee reads this."),
    )


class DeclineProposedForm(forms.Form):
    note = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Optional; the mentee and the mentor can read it."),
    )


class ProgramSettingsForm(forms.ModelForm):
    time_zone = time_zone_field(help_text=Program._meta.get_field("time_zone").help_text)

    class Meta:
        model = Program
        fields = PROGRAM_SETTINGS_FIELDS
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "agreement_template": forms.Textarea(attrs={"rows": 8}),
            "topic_vocabulary": forms.Textarea(attrs={"rows": 6}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["default_cadence_days"].min_value = 1
        self.fields["default_cadence_days"].widget.attrs["min"] = 1
        self.fields["feedback_cycle_months"].widget.attrs["min"] = 1
        for name in WEIGHT_FIELDS:  # empty: the default weight
            self.fields[name].required = False
            self.fields[name].min_value, self.fields[name].max_value = -100, 100
            self.fields[name].widget.attrs.update(min=-100, max=100)
        self.helper = _helper(_("Save settings"))

    def clean(self):
        cleaned = super().clean()
        for name in WEIGHT_FIELDS:
            if cleaned.get(name) is None and name not in self.errors:
                cleaned[name] = Program._meta.get_field(name).default
        return cleaned

    def clean_default_cadence_days(self) -> int:
        days = self.cleaned_data["default_cadence_days"]
        if days < 1:
            raise forms.ValidationError(
                _("Dyads need to meet at least every so many days: 1 or more.")
            )
        return days

    def clean_feedback_cycle_months(self) -> int:
        months = self.cleaned_data["feedback_cycle_months"]
        if months < 1:
            raise forms.ValidationError(_("A feedback cycle takes at least one month."))
        return months


class SecurityEventFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Event"),
        choices=[("", _("All events")), *SecurityEvent.Kind.choices],
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.form_class = "row row-cols-md-auto g-2 align-items-end mb-3"
        self.helper.add_input(Submit("show", _("Show"), css_class="btn-secondary"))


# --- Pairing without dead ends (programs/views/pairing.py) ------------------------------------


def _role_members(program: Program, role: str):
    return User.objects.filter(
        memberships__program=program, memberships__role=role, memberships__deactivated_at=None
    )


class _ChosenPerson(IdChoiceField):
    """A member picked on the page (a radio of the suggestions, or a hidden field): never a
    1,000-option select."""

    def __init__(self, queryset, **kwargs):
        kwargs.setdefault("error_messages", {"invalid_choice": NOT_A_MEMBER})
        kwargs.setdefault("widget", forms.HiddenInput)
        super().__init__(queryset=queryset, **kwargs)


class PairChoiceForm(SupervisorMixin):
    cadence_days = forms.IntegerField(
        label=_("Meeting cadence (days)"), required=False, min_value=1, max_value=365
    )

    def __init__(self, *args, program: Program, **kwargs):
        super().__init__(*args, **kwargs)
        # Any member: the service says why a member of the wrong role cannot be paired.
        self.fields["mentee"] = _ChosenPerson(
            _members(program),
            error_messages={
                "required": _("Choose a mentee first."),
                "invalid_choice": NOT_A_MEMBER,
            },
        )
        self.fields["mentor"] = _ChosenPerson(
            _members(program),
            error_messages={
                "required": _("Choose one of the suggested mentors."),
                "invalid_choice": NOT_A_MEMBER,
            },
        )
        self.fields["cadence_days"].help_text = _(
            "Empty: the program's default of %(days)d days."
        ) % {"days": program.default_cadence_days}


class SupplementalChoiceForm(PairChoiceForm):
    focus_area = forms.CharField(
        label=_("Focus area"),
        max_length=120,
        help_text=_("What this mentor helps with, e.g. grant writing or statistics."),
    )
    ends_on = forms.DateField(
        label=_("Planned end"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Optional, for a short-term mentor."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["cadence_days"]


class RePairChoiceForm(EndReasonMixin, SupervisorMixin):
    def __init__(self, *args, dyad: Dyad, **kwargs):
        kwargs.setdefault("initial", {"reason": Dyad.EndReason.POOR_FIT})
        super().__init__(*args, **kwargs)
        self.dyad = dyad
        self.fields["new_mentor"] = _ChosenPerson(
            _role_members(dyad.program, Membership.Role.MENTOR).exclude(pk=dyad.mentor_id),
            error_messages={
                "required": _("Choose one of the suggested mentors."),
                "invalid_choice": _("Choose a mentor of this program other than the current one."),
            },
        )
        self.fields["reason"].label = _("Why does the current dyad end?")


class RePairRequestForm(forms.Form):
    reason = forms.CharField(
        label=_("Why would a different pairing help?"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Only the program's admins read this; your partner is not told you asked."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Ask for a different pairing"))


class SupervisorForm(forms.Form):
    def __init__(self, *args, program: Program, person, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["supervisor"] = forms.ModelChoiceField(
            queryset=_members(program).exclude(pk=person.pk),
            required=False,
            widget=forms.TextInput(attrs={"inputmode": "email", "autocomplete": "off"}),
            to_field_name="email",
            label=_("Supervisor's e-mail address"),
            help_text=_(
                "A member of this program. Empty clears it. They are never suggested as this "
                "person's mentor."
            ),
            error_messages={"invalid_choice": _("No member of this program has that address.")},
        )
        self.helper = _helper(_("Save supervisor"))

    def clean_supervisor(self):
        return self.cleaned_data["supervisor"]


class CohortFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Only mentees matching"),
        required=False,
        max_length=100,
        help_text=_("A name, an address or a department; empty: every mentee without a mentor."),
    )


class ProfileForm(forms.Form):
    """The matching profile: User.MATCHING_FIELDS (the account page has the others), interests
    chosen from the programs' list, and what the person wants from, or offers to, mentoring.
    At onboarding (`ask_zone`) it asks the person's time zone too; `offers` only of a mentor."""

    department, career_stage, expertise = forms.fields_for_model(
        User,
        fields=("department", "career_stage", "expertise"),
        widgets={"expertise": forms.Textarea(attrs={"rows": 2})},
    ).values()
    interests = forms.MultipleChoiceField(
        label=_("Interests"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Chosen from your program's list, so they match a mentor's or a mentee's."),
    )
    other_interests = forms.CharField(
        label=_("Other interests"),
        required=False,
        max_length=1000,
        help_text=_("Comma-separated, anything the list lacks."),
    )
    wants = forms.CharField(
        label=_("What I want from mentoring"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    offers = forms.CharField(
        label=_("What I can offer as a mentor"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    meeting_frequency = forms.ChoiceField(
        label=_("How often I would like to meet"),
        choices=[("", "---------"), *Profile.Frequency.choices],
        required=False,
    )
    meeting_mode = forms.ChoiceField(
        label=_("How I would like to meet"),
        choices=[("", "---------"), *Profile.Mode.choices],
        required=False,
    )
    supervisor_email = forms.EmailField(
        label=_("My administrative supervisor's e-mail address"),
        required=False,
        help_text=_(
            "If your line manager is in the program, they are never suggested as your mentor: "
            "roles blur when the mentor is also the boss."
        ),
    )

    def __init__(
        self, *args, vocabulary: list[str], mentor: bool, ask_zone: bool = False, **kwargs
    ):
        super().__init__(*args, **kwargs)
        if ask_zone:  # prefilled from the browser by static/js/time-zone.js
            # The select always sends a value; a post without one keeps the server's guess.
            self.fields["time_zone"] = time_zone_field(
                required=False, widget=forms.Select(attrs={"data-browser-zone": ""})
            )
            self.order_fields(["time_zone"])
        if not mentor:
            del self.fields["offers"]
        self.fields["interests"].choices = [(topic, topic) for topic in vocabulary]
        if not vocabulary:
            del self.fields["interests"]
            self.fields["other_interests"].label = _("Interests")
        self.helper = _helper(_("Save my profile"))

    def interests_text(self) -> str:
        chosen = list(self.cleaned_data.get("interests", []))
        chosen += [t.strip() for t in self.cleaned_data["other_interests"].split(",") if t.strip()]
        seen, unique = set(), []
        for topic in chosen:
            if topic.lower() not in seen:
                seen.add(topic.lower())
                unique.append(topic)
        return ", ".join(unique)


class SupervisorImportForm(forms.Form):
    text = forms.CharField(
        label=_("One line per person: their e-mail address, their supervisor's"),
        max_length=200_000,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_(
            "Pasted from a spreadsheet (two columns) or a CSV file. An empty second column "
            "clears the supervisor."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Record the supervisors"))
