"""Forms of the conversations app: validation and layout, no side effects."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from conversations.models import MAX_LENGTH, NOTE_MAX_LENGTH
from mentoring.languages import later


class MessageForm(forms.Form):
    # `maxlength` on the textarea: static/js/app.js turns it into a counter, and the server refuses
    # a longer text with a message instead of cutting it.
    body = forms.CharField(
        label=_("Message"),
        required=False,
        max_length=MAX_LENGTH,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    upload = forms.FileField(
        label=_("Attach a file"),
        required=False,
        help_text=later(
            _("PDF, Word, Excel, PowerPoint or an image, up to %(mb)s MB."),
            {"mb": settings.MATERIAL_MAX_UPLOAD_BYTES // 1_048_576},
        ),
    )

    def __init__(self, *args, action: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_action = action
        self.helper.form_id = "compose"
        self.helper.add_input(Submit("send", _("Send")))

    def clean(self):
        cleaned = super().clean()
        if (
            not self.errors
            and not (cleaned.get("body") or "").strip()
            and not cleaned.get("upload")
        ):
            raise forms.ValidationError(
                _("Write a message or attach a file: an empty message is not sent.")
            )
        return cleaned

    def ask_for_the_file_again(self) -> None:
        """A browser cannot refill a file field: after an error, say so."""
        if self.is_bound and self.errors and self.files.get("upload"):
            again = _(
                "The file you chose was not kept because of the problem above: choose it again."
            )
            self.fields["upload"].help_text = self["upload"].help_text = again


class EditMessageForm(forms.Form):
    body = forms.CharField(
        label=_("Message"),
        max_length=MAX_LENGTH,
        strip=False,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", _("Save the message")))


class ShareForm(forms.Form):
    note = forms.CharField(
        label=_("Your note to the program's admins"),
        required=False,
        max_length=NOTE_MAX_LENGTH,
        strip=False,
        help_text=_(
            "What worries you about this message, or what you would like them to do. "
            "Only the program's admins read it; your partner is not told."
        ),
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("share", _("Share this message with the admins")))
