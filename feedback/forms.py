"""Forms of the feedback app: validation and layout only; the services decide."""

from crispy_forms.bootstrap import InlineRadios
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout
from django import forms
from django.utils.translation import gettext_lazy as _

from feedback.models import CycleQuestion, FeedbackRequest, FeedbackResponse
from mentoring.layout import TextFieldset

NOT_OBSERVED = "na"
SCALE = [(str(n), str(n)) for n in range(1, 6)]
RATING_CHOICES = [*SCALE, (NOT_OBSERVED, _("Not observed"))]


class FeedbackForm(forms.Form):
    """The rubric of one request (or the short fit check). Every field may stay empty in a draft;
    the submit service says what is still missing, next to the field."""

    strengths = forms.CharField(
        label=_("Strengths"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What works well: specific examples help most."),
    )
    areas_to_grow = forms.CharField(
        label=_("Areas to grow"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Constructive, specific, and about what can change."),
    )
    meeting_frequency = forms.ChoiceField(
        label=_("How often we meet"),
        required=False,
        choices=FeedbackResponse.Frequency.choices,
        widget=forms.RadioSelect,
    )
    working = forms.ChoiceField(
        label=_("Is this relationship working?"),
        required=False,
        choices=FeedbackResponse.Working.choices,
        widget=forms.RadioSelect,
        help_text=_("“A different pairing” goes to the program admin, who will follow up."),
    )
    role_clarity = forms.ChoiceField(
        label=_(
            "Your mentor is also your supervisor. Is it clear when they speak as mentor and when as boss?"
        ),
        required=False,
        choices=FeedbackResponse.RoleClarity.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "Your mentor will see this answer. Anything only the admin should read belongs in the "
            "confidential note below."
        ),
    )
    fit = forms.ChoiceField(
        label=_("After your first meeting: is this a good fit?"),
        required=False,
        choices=FeedbackResponse.Fit.choices,
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Confidential note to the program admin (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Only the program admin reads this. Your partner never sees it."),
    )
    correction_reason = forms.CharField(
        label=_("What this version corrects"),
        required=False,
        max_length=300,
        help_text=_("The earlier version is kept; say briefly why you changed it."),
    )

    def __init__(
        self, *args, feedback_request: FeedbackRequest, questions=(), version: int = 1, **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.feedback_request = feedback_request
        self.questions = list(questions)
        rating_names = []
        if feedback_request.is_fit_check:
            for name in ("areas_to_grow", "meeting_frequency", "working", "role_clarity"):
                del self.fields[name]
            self.fields["strengths"].label = _("What went well, and what are you unsure about?")
            self.fields["strengths"].help_text = _(
                "Your partner sees this once you have both answered."
            )
        else:
            del self.fields["fit"]
            for quality in feedback_request.qualities:
                name = f"q_{quality.value}"
                self.fields[name] = forms.ChoiceField(
                    label=quality.label,
                    required=False,
                    choices=RATING_CHOICES,
                    widget=forms.RadioSelect,
                )
                rating_names.append(name)
            supervisor = feedback_request.dyad.mentor_is_supervisor
            if feedback_request.author_role != FeedbackRequest.Role.MENTEE or not supervisor:
                del self.fields["role_clarity"]
            for question in self.questions:
                name = f"extra_{question.pk}"
                if question.kind == CycleQuestion.Kind.SCALE:
                    self.fields[name] = forms.ChoiceField(
                        label=question.text, required=False, choices=SCALE, widget=forms.RadioSelect
                    )
                else:
                    self.fields[name] = forms.CharField(
                        label=question.text,
                        required=False,
                        widget=forms.Textarea(attrs={"rows": 2}),
                    )
        if version == 1:
            del self.fields["correction_reason"]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        parts = []
        if rating_names:
            subject = feedback_request.subject
            parts.append(
                TextFieldset(
                    _("Rate %(name)s, 1 (rarely) to 5 (consistently)") % {"name": subject},
                    *[InlineRadios(name) for name in rating_names],
                )
            )
        rest = [name for name in self.fields if name not in rating_names]
        parts.extend(
            InlineRadios(n) if isinstance(self.fields[n].widget, forms.RadioSelect) else n
            for n in rest
        )
        self.helper.layout = Layout(*parts)

    def answers(self) -> dict:
        """The cleaned data in the shape the services take."""
        data = self.cleaned_data
        ratings = {}
        for quality in (
            [] if self.feedback_request.is_fit_check else self.feedback_request.qualities
        ):
            value = data.get(f"q_{quality.value}")
            if value:
                ratings[quality.value] = None if value == NOT_OBSERVED else int(value)
        questions = {}
        for question in self.questions:
            value = data.get(f"extra_{question.pk}")
            if question.kind == CycleQuestion.Kind.SCALE:
                questions[question.pk] = int(value) if value else None
            else:
                questions[question.pk] = value or ""
        answers = {
            name: data.get(name, "")
            for name in (
                "strengths",
                "areas_to_grow",
                "meeting_frequency",
                "working",
                "role_clarity",
                "fit",
                "note",
                "correction_reason",
            )
        }
        return {**answers, "ratings": ratings, "questions": questions}


def initial_from(response: FeedbackResponse | None) -> dict:
    """A draft's saved answers as form initial data."""
    if response is None:
        return {}
    initial = {
        name: getattr(response, name)
        for name in (
            "strengths",
            "areas_to_grow",
            "meeting_frequency",
            "working",
            "role_clarity",
            "fit",
            "correction_reason",
        )
    }
    for rating in response.ratings.all():
        initial[f"q_{rating.quality}"] = NOT_OBSERVED if rating.score is None else str(rating.score)
    for answer in response.answers.all():
        initial[f"extra_{answer.question_id}"] = str(answer.scale) if answer.scale else answer.text
    note = getattr(response, "confidential_note", None)
    if note is not None:
        initial["note"] = note.text
    return initial


class CycleForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120, help_text=_("e.g. Spring 2027"))
    opens = forms.DateField(label=_("Opens"), widget=forms.DateInput(attrs={"type": "date"}))
    due = forms.DateField(
        label=_("Due"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("The date reminders ask people to answer by."),
    )
    closes = forms.DateField(
        label=_("Closes"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("The last day answers are accepted. Then both sides are revealed."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True


class QuestionForm(forms.Form):
    text = forms.CharField(label=_("Question"), max_length=300)
    kind = forms.ChoiceField(label=_("Answer"), choices=CycleQuestion.Kind.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True


class ResolveForm(forms.Form):
    note = forms.CharField(
        label=_("What was done or decided"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True


class CadenceForm(forms.Form):
    cadence_days = forms.IntegerField(
        label=_("Meet every (days)"),
        required=False,
        min_value=1,
        max_value=365,
        help_text=_("Empty: the program's default."),
    )
    note = forms.CharField(label=_("Note (optional)"), required=False, max_length=2000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
