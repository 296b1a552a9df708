from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from mentoring.models import TIME_ZONE_CHOICES, User

UNKNOWN_ZONE = _(
    "“%(value)s” is not a time zone we know. Choose one from the list, e.g. Europe/London or "
    "America/New_York."
)


def time_zone_field(**kwargs) -> forms.ChoiceField:
    """The one time zone field of every form that asks a zone (a person's, a program's): a name
    of zoneinfo.available_timezones(), anything else refused with UNKNOWN_ZONE. The names are
    IANA's identifiers ("Europe/Paris", "Japan"), the same in every language: the list says so
    with translate="no" (nor a browser's translation, nor tests/i18n's crawl, takes them for text)."""
    kwargs.setdefault("help_text", User._meta.get_field("time_zone").help_text)
    widget = kwargs.pop("widget", None) or forms.Select()
    widget.attrs["translate"] = "no"
    return forms.ChoiceField(
        label=_("Time zone"),
        choices=TIME_ZONE_CHOICES,
        error_messages={"invalid_choice": UNKNOWN_ZONE},
        widget=widget,
        **kwargs,
    )


class LanguageSelect(forms.Select):
    """Each language named in itself and marked as such (<option lang="es">Español</option>): a
    screen reader says it in that language, and it is nobody's text to translate."""

    def create_option(self, name, value, *args, **kwargs):
        option = super().create_option(name, value, *args, **kwargs)
        if value:
            option["attrs"]["lang"] = value
        return option


class ProfileForm(forms.ModelForm):
    """The account's own fields (User.ACCOUNT_FIELDS). What the program matches on, interests
    among them, is the matching profile's (programs.forms.ProfileForm, User.MATCHING_FIELDS)."""

    time_zone = time_zone_field()

    class Meta:
        model = User
        fields = list(User.ACCOUNT_FIELDS)
        widgets = {"language": LanguageSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Each language named in itself; empty: whatever the browser asks for.
        self.fields["language"].choices = [("", _("My browser's language")), *settings.LANGUAGES]
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", _("Save profile")))


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_("To be sure it is you."),
    )
    confirm = forms.BooleanField(
        label=_("I understand that my account is erased and cannot be restored"),
        required=True,
    )

    def __init__(self, *args, with_password: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not with_password:  # signed up through their institution: it confirms, not a password
            del self.fields["password"]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
