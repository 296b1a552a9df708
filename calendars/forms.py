"""Forms of "My calendars": validation and layout, no side effects."""

from datetime import time

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row, Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from calendars.models import WEEKDAYS

TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
DAYS = [
    ("0", _("Monday")),
    ("1", _("Tuesday")),
    ("2", _("Wednesday")),
    ("3", _("Thursday")),
    ("4", _("Friday")),
    ("5", _("Saturday")),
    ("6", _("Sunday")),
]


def _helper(label: str, name: str) -> FormHelper:
    """The page writes each form's own <form> tag (three forms, three actions)."""
    helper = FormHelper()
    helper.form_tag = False
    helper.add_input(Submit(name, label))
    return helper


class WorkingHoursForm(forms.Form):
    starts = forms.TimeField(label=_("From"), widget=TIME, initial=time(9))
    ends = forms.TimeField(label=_("Until"), widget=TIME, initial=time(17))
    days = forms.MultipleChoiceField(
        label=_("Working days"),
        choices=DAYS,
        widget=forms.CheckboxSelectMultiple,
        initial=list(WEEKDAYS),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Save working hours"), "save_hours")
        self.helper.layout = Layout(
            Row(Column("starts", css_class="col-sm-6"), Column("ends", css_class="col-sm-6")),
            "days",
        )

    def clean(self):
        cleaned = super().clean()
        starts, ends = cleaned.get("starts"), cleaned.get("ends")
        if starts and ends and ends <= starts:
            self.add_error("ends", _("The end of your working day must come after its start."))
        cleaned["days"] = "".join(sorted(cleaned.get("days") or []))
        return cleaned


class PublishedCalendarForm(forms.Form):
    address = forms.CharField(
        label=_("Calendar address (.ics or webcal://)"),
        max_length=2000,
        help_text=_(
            "The secret address in iCal format (ending in .ics, or starting with webcal://) that "
            "Outlook, Google or Apple Calendar give you: see the steps below."
        ),
        widget=forms.URLInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Connect"), "connect_published")

    def clean_address(self) -> str:
        address = self.cleaned_data["address"].strip()
        if address.lower().startswith("webcal://"):
            address = "https://" + address[len("webcal://") :]
        return address


class CalDAVForm(forms.Form):
    server_url = forms.CharField(
        label=_("CalDAV server address"),
        max_length=500,
        help_text=_("The full address, e.g. https://cloud.example.org/remote.php/dav"),
        widget=forms.URLInput(attrs={"autocomplete": "url", "spellcheck": "false"}),
    )
    username = forms.CharField(
        label=_("User name"), max_length=200, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )
    password = forms.CharField(
        label=_("App password"),
        max_length=500,
        strip=False,
        help_text=_("Create an app password for Mentoring in your account's security settings."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Connect"), "connect_caldav")
