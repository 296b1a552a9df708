"""Forms of the program admin's dyad pages and of the mentor requests. Validation only."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from mentoring.models import SecurityEvent, User
from programs.models import Dyad, Membership, Program

NOT_A_MEMBER = _("Choose a member of this program.")


def _helper(label: str, *, css: str = "btn-primary") -> FormHelper:
    helper = FormHelper()
    helper.add_input(Submit("save", label, css_class=css))
    return helper


def _members(program: Program):
    """Anyone holding a role in the program; the service says why a wrong role cannot be paired."""
    return User.objects.filter(memberships__program=program).distinct()


def _person(user) -> str:
    return f"{user.name} ({user.email})" if user.name else user.email


def mentee_label(membership: Membership) -> str:
    label = _person(membership.user)
    if getattr(membership, "has_primary", False):
        label += " — " + str(_("has a primary mentor"))
    return label


def mentor_label(membership: Membership) -> str:
    label = _person(membership.user)
    if membership.capacity is None:
        load = _("%(load)d mentees, no limit") % {"load": membership.load}
    else:
        load = _("%(load)d of %(capacity)d mentees") % {
            "load": membership.load,
            "capacity": membership.capacity,
        }
        if membership.load >= membership.capacity:
            load += ", " + str(_("at capacity"))
    return f"{label} — {load}"


class PersonChoiceField(forms.ModelChoiceField):
    """A program member, listed from memberships that the page has already read (no extra query)."""

    def __init__(self, program: Program, memberships, labeller, **kwargs):
        kwargs.setdefault("error_messages", {"invalid_choice": NOT_A_MEMBER})
        super().__init__(queryset=_members(program), **kwargs)
        self.choices = [("", "---------")] + [(m.user_id, labeller(m)) for m in memberships]


class SupervisorMixin(forms.Form):
    mentor_is_supervisor = forms.BooleanField(
        label=_("The mentor is the mentee's administrative supervisor"),
        required=False,
        help_text=_(
            "Roles blur when the mentor is also the boss. You will be asked to confirm, the dyad is "
            "flagged, and feedback offers the mentee a channel only the program admin reads."
        ),
    )


class PairForm(SupervisorMixin):
    def __init__(self, *args, program: Program, mentees, mentors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mentee"] = PersonChoiceField(
            program,
            mentees,
            mentee_label,
            label=_("Mentee"),
            help_text=_("Mentees without a primary mentor are listed first."),
        )
        self.fields["mentor"] = PersonChoiceField(
            program,
            mentors,
            mentor_label,
            label=_("Mentor"),
            help_text=_("Each mentor's open primary dyads against their capacity."),
        )
        self.fields["cadence_days"] = forms.IntegerField(
            label=_("Meeting cadence (days)"),
            required=False,
            min_value=1,
            max_value=365,
            help_text=_("Empty: the program's default of %(days)d days.")
            % {"days": program.default_cadence_days},
        )
        self.order_fields(["mentee", "mentor", "mentor_is_supervisor", "cadence_days"])
        self.helper = _helper(_("Pair them"))


class SupplementalForm(SupervisorMixin):
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

    def __init__(self, *args, program: Program, mentees, mentors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mentee"] = PersonChoiceField(program, mentees, mentee_label, label=_("Mentee"))
        self.fields["mentor"] = PersonChoiceField(
            program,
            mentors,
            mentor_label,
            label=_("Supplemental mentor"),
            help_text=_("Supplemental dyads do not count against a mentor's capacity."),
        )
        self.order_fields(["mentee", "mentor", "focus_area", "ends_on", "mentor_is_supervisor"])
        self.helper = _helper(_("Add supplemental mentor"))


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


class RePairForm(EndReasonMixin, SupervisorMixin):
    def __init__(self, *args, dyad: Dyad, mentors, **kwargs):
        kwargs.setdefault("initial", {"reason": Dyad.EndReason.POOR_FIT})
        super().__init__(*args, **kwargs)
        self.fields["new_mentor"] = PersonChoiceField(
            dyad.program,
            [m for m in mentors if m.user_id != dyad.mentor_id],
            mentor_label,
            label=_("New mentor"),
        )
        self.fields["reason"].label = _("Why does the current dyad end?")
        self.order_fields(["new_mentor", "reason", "note", "mentor_is_supervisor"])
        self.helper = _helper(_("Re-pair"))


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
    class Meta:
        model = Program
        fields = [
            "name",
            "description",
            "default_cadence_days",
            "feedback_cycle_months",
            "requests_need_approval",
            "agreement_template",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "agreement_template": forms.Textarea(attrs={"rows": 8}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["default_cadence_days"].min_value = 1
        self.fields["default_cadence_days"].widget.attrs["min"] = 1
        self.fields["feedback_cycle_months"].widget.attrs["min"] = 1
        self.helper = _helper(_("Save settings"))

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
        self.helper.add_input(Submit("", _("Show"), css_class="btn-secondary"))
