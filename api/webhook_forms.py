from django import forms
from django.utils.translation import gettext_lazy as _

from api.models import Event
from mentoring import outbound


class EndpointForm(forms.Form):
    url = forms.URLField(
        label=_("Address"),
        max_length=500,
        assume_scheme="https",
        help_text=_("Where events are POSTed, e.g. https://hr.example.edu/hooks/mentoring."),
    )
    description = forms.CharField(label=_("Description"), max_length=200, required=False)
    events = forms.MultipleChoiceField(
        label=_("Events"),
        choices=Event.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Each event carries its type, time and the API address to read it from."),
    )

    def clean_url(self) -> str:
        url = self.cleaned_data["url"].strip()
        try:
            outbound.check_url(url)
        except outbound.OutboundError as problem:
            raise forms.ValidationError(str(problem)) from problem
        return url
