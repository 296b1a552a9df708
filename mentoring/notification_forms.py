from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from mentoring import registry
from mentoring.models import NotificationPreference


class PreferencesForm(forms.Form):
    """One choice per kind of notice: each by e-mail, in the weekly digest, or in-app only."""

    def __init__(self, *args, initial_choices: dict[str, str], roles: frozenset[str], **kwargs):
        super().__init__(*args, **kwargs)
        # Only the kinds the person's roles can receive; an invitation is the message itself, so
        # there is no choice to offer for it.
        for kind in registry.kinds_offered(roles):
            choices = NotificationPreference.Email.choices
            if kind.is_digest:  # a digest cannot go into a digest
                choices = [c for c in choices if c[0] != NotificationPreference.Email.DIGEST]
            self.fields[kind.name] = forms.ChoiceField(
                label=kind.label, choices=choices, initial=initial_choices.get(kind.name)
            )
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", _("Save e-mail choices")))
