from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from goals.models import Goal, GoalReview, GoalStatusLine, Milestone, Opportunity, ReportItem
from mentoring.converters import IdChoiceField


class DateInput(forms.DateInput):
    input_type = "date"


def _helper(label: str | None, *, form_tag: bool = True) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = form_tag
    if label:
        helper.add_input(Submit("save", label))
    return helper


class GoalForm(forms.ModelForm):
    class Meta:
        model = Goal
        fields = Goal.WRITTEN_FIELDS
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "options": forms.Textarea(attrs={"rows": 3}),
            "target_date": DateInput(),
        }
        help_texts = {
            "title": _("One sentence: what you want to achieve."),
            "target_date": _("When you aim to reach it. Leave empty while you are unsure."),
            "status": _("“Achieved” lets you record a goal you have already reached."),
            "unsure": _("Not sure yet is a valid answer: list the options below."),
        }

    def __init__(self, *args, new: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Save goal") if new else _("Save changes"))

    def clean(self):
        data = super().clean()
        if data.get("unsure") and not (data.get("options") or "").strip():
            self.add_error(
                "options",
                _(
                    "Not being sure is fine: write down the options you are weighing, "
                    "so that your mentor can help you choose."
                ),
            )
        return data


class ReviewForm(forms.ModelForm):
    class Meta:
        model = GoalReview
        fields = ["decision", "comment"]
        widgets = {
            "decision": forms.RadioSelect,
            "comment": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {"comment": _("Needed when you suggest changes.")}

    def __init__(self, *args, primary: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if primary:
            self.fields["decision"].choices = [
                (GoalReview.Decision.AGREED, _("Agreed")),
                (GoalReview.Decision.CHANGES, _("Suggest changes")),
            ]
        else:
            del self.fields["decision"]
            self.fields["comment"].required = True
            self.fields["comment"].help_text = ""
        # The goal page wraps it in its own <form> (its action differs from the page's URL).
        self.helper = _helper(_("Save review") if primary else _("Add comment"), form_tag=False)

    def clean(self):
        data = super().clean()
        decision = data.get("decision", GoalReview.Decision.COMMENT)
        if decision != GoalReview.Decision.AGREED and not (data.get("comment") or "").strip():
            self.add_error("comment", _("Say what you suggest, so the mentee can revise."))
        return data


class MilestoneForm(forms.ModelForm):
    class Meta:
        model = Milestone
        fields = ["title", "due_date"]
        widgets = {"due_date": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Add milestone"), form_tag=False)


class CompleteMilestoneForm(forms.Form):
    completed_on = forms.DateField(label=_("Completed on"), widget=DateInput())
    evidence = forms.CharField(
        label=_("Evidence"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=Milestone._meta.get_field("evidence").help_text,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["completed_on"].initial = timezone.localdate()
        self.helper = _helper(_("Mark done"))


class ShareForm(forms.Form):
    dyad = IdChoiceField(queryset=None, label=_("Share with"), empty_label=None, to_field_name="pk")

    def __init__(self, *args, dyads, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["dyad"].queryset = dyads
        self.fields["dyad"].label_from_instance = lambda d: f"{d.mentor} ({d.focus_area})"
        self.helper = _helper(_("Share"), form_tag=False)


class ReportForm(forms.Form):
    accomplishments = forms.CharField(
        label=_("What I accomplished"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Work done since your last report: drafts, submissions, talks, decisions."),
    )
    help_needed = forms.CharField(
        label=_("Help I need"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What your mentor could do: read a draft, make an introduction, advise."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(None, form_tag=False)


class ReportItemForm(forms.Form):
    # No kind is chosen in advance: a row says what it is only when its writer says so.
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("— choose —")), *ReportItem.Kind.choices], required=False
    )
    text = forms.CharField(
        label=_("What happened"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    goal = IdChoiceField(
        queryset=None, required=False, label=_("About goal"), empty_label=_("— no goal —")
    )

    def __init__(self, *args, goals, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["goal"].queryset = goals
        self.helper = _helper(None, form_tag=False)

    def clean(self):
        data = super().clean()
        if (data.get("text") or "").strip() and not data.get("kind"):
            self.add_error("kind", _("Is it a difficulty, a failure or a barrier?"))
        return data


class StatusLineForm(forms.Form):
    # No state is chosen in advance ("On track" for everyone would bias the answer).
    state = forms.ChoiceField(
        choices=[("", _("— choose —")), *GoalStatusLine.State.choices],
        error_messages={"required": _("Say where this goal stands.")},
    )
    note = forms.CharField(max_length=300, required=False)

    def __init__(self, *args, goal, **kwargs):
        super().__init__(*args, prefix=f"goal-{goal.pk}", **kwargs)
        self.goal = goal
        self.fields["state"].label = _("Where “%(goal)s” stands") % {"goal": goal.title}
        self.fields["note"].label = _("Note on “%(goal)s”") % {"goal": goal.title}
        self.helper = _helper(None, form_tag=False)


class CommentForm(forms.Form):
    text = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, label=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(label or _("Add comment"))


class OpportunityForm(forms.ModelForm):
    class Meta:
        model = Opportunity
        fields = ["kind", "title", "description", "offered_on", "outcome", "outcome_note"]
        widgets = {"offered_on": DateInput(), "description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Save opportunity"))
