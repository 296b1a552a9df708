from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from mentoring.models import Notification, NotificationPreference
from mentoring.notifications import ALWAYS_EMAILED

DIGEST_KINDS = {Notification.Kind.DIGEST, Notification.Kind.ADMIN_DIGEST}


class PreferencesForm(forms.Form):
    """One choice per kind of notice: each by e-mail, in the weekly digest, or in-app only."""

    def __init__(self, *args, initial_choices: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        for kind, label in Notification.Kind.choices:
            if kind in ALWAYS_EMAILED:  # an invitation is the message itself: no choice to offer
                continue
            choices = NotificationPreference.Email.choices
            if kind in DIGEST_KINDS:  # a digest cannot go into a digest
                choices = [c for c in choices if c[0] != NotificationPreference.Email.DIGEST]
            self.fields[kind] = forms.ChoiceField(
                label=label, choices=choices, initial=initial_choices.get(kind)
            )
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", _("Save e-mail choices")))
