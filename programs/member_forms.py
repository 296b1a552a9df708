"""Forms of the program admin's people pages and of accepting an invitation. No side effects."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Layout, Submit
from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from mentoring.models import User
from programs.audit import action_label
from programs.invitations import MAX_BULK_ROWS, parse_invite_rows
from programs.models import Membership

MAX_CSV_BYTES = 1024 * 1024

ROLE_FILTER_CHOICES = [("", _("All roles")), *Membership.Role.choices]


class MemberFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=200,
        help_text=_("Name, e-mail, department, expertise or interests"),
    )
    role = forms.ChoiceField(label=_("Role"), choices=ROLE_FILTER_CHOICES, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.form_class = "row row-cols-md-auto g-2 align-items-end mb-3"
        self.helper.add_input(Submit("search", _("Search"), css_class="btn-secondary"))


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"))
    name = forms.CharField(
        label=_("Name"),
        max_length=150,
        required=False,
        help_text=_("Optional: the invitation greets them by it; they can change it."),
    )
    role = forms.ChoiceField(
        label=_("Role"), choices=Membership.Role.choices, initial=Membership.Role.MENTEE
    )
    capacity = forms.IntegerField(
        label=_("Capacity (mentors only)"),
        required=False,
        min_value=1,
        max_value=50,
        help_text=_(
            "Only for mentors: most primary mentees this mentor takes at once. Empty: no limit."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        # static/js/app.js shows the wrapped field only while the role select says "mentor";
        # without JavaScript it stays visible and its help text says whom it is for.
        self.helper.layout = Layout(
            "email",
            "name",
            "role",
            Div("capacity", data_shown_for_role=Membership.Role.MENTOR.value),
        )
        self.helper.add_input(Submit("invite", _("Send the invitation")))

    def clean(self):
        data = super().clean()
        if data.get("capacity") is not None and data.get("role") != Membership.Role.MENTOR:
            self.add_error("capacity", _("Only mentors have a capacity: leave it empty."))
        return data


class BulkInviteForm(forms.Form):
    text = forms.CharField(
        label=_("People to invite"),
        required=False,
        widget=forms.Textarea(
            attrs={
                "rows": 8,
                # Translators: an example line of the bulk invitation. The e-mail and the name may
                # be local ones; keep the role word as it is (admin, mentor or mentee: the words
                # the form reads).
                "placeholder": _("ana@example.org, Ana Ruiz, mentee"),
            }
        ),
        help_text=_(
            "One person a line: e-mail, name, role (admin, mentor or mentee), "
            "separated by commas, semicolons or tabs. The name may be empty."
        ),
    )
    file = forms.FileField(
        label=_("…or a CSV file"),
        required=False,
        help_text=_("Columns email, name, role; a header line is fine. At most 1 MB."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if not upload:
            return ""
        if upload.size > MAX_CSV_BYTES:
            raise forms.ValidationError(_("The file is larger than 1 MB."))
        try:
            return upload.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise forms.ValidationError(
                _("This file is not UTF-8 text: save it as “CSV UTF-8” and upload it again.")
            ) from None

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        source = data.get("file") or data.get("text", "")
        rows = parse_invite_rows(source)
        if not rows:
            raise forms.ValidationError(_("Paste at least one line, or choose a CSV file."))
        if len(rows) > MAX_BULK_ROWS:
            raise forms.ValidationError(
                _("At most %(max)d people at once; split the list.") % {"max": MAX_BULK_ROWS}
            )
        data["source"] = source
        data["rows"] = rows
        return data


class AuditFilterForm(forms.Form):
    action = forms.ChoiceField(label=_("Action"), required=False)

    def __init__(self, *args, actions: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [("", _("All actions"))] + [
            (action, action_label(action)) for action in actions
        ]
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.form_class = "row row-cols-md-auto g-2 align-items-end mb-3"
        self.helper.add_input(Submit("filter", _("Filter"), css_class="btn-secondary"))


class NewAccountForm(forms.Form):
    """A newcomer accepting an invitation: their name and a password (Django's validators)."""

    name = forms.CharField(label=_("Your full name"), max_length=150)
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 12 characters, not a common password, not like your name or e-mail."),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, email: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email
        self.helper = FormHelper()
        self.helper.add_input(Submit("create", _("Create my account and join")))

    def clean(self):
        data = super().clean()
        password1, password2 = data.get("password1"), data.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", _("The two passwords differ."))
        elif password1:
            candidate = User(email=self.email, name=data.get("name", ""))
            try:
                password_validation.validate_password(password1, user=candidate)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data


class MemberForm(forms.Form):
    """A program admin's edit of one member: roles, a mentor's capacity, the supervisor."""

    roles = forms.MultipleChoiceField(
        label=_("Roles"),
        choices=Membership.Role.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "A person may hold several roles. A role with open dyads stays until they end; to "
            "take someone out of the program, deactivate them instead."
        ),
        error_messages={"required": _("Keep at least one role, or deactivate the member.")},
    )
    capacity = forms.IntegerField(
        label=_("Capacity (mentors only)"),
        required=False,
        min_value=1,
        max_value=50,
        help_text=_("Most primary mentees this mentor takes at once. Empty: no limit."),
    )
    supervisor = forms.ModelChoiceField(
        queryset=User.objects.none(),
        required=False,
        to_field_name="email",
        widget=forms.TextInput(attrs={"inputmode": "email", "autocomplete": "off"}),
        label=_("Administrative supervisor's e-mail address"),
        help_text=_("A member of this program; never suggested as their mentor. Empty: none."),
        error_messages={"invalid_choice": _("No member of this program has that address.")},
    )

    def __init__(self, *args, program, person, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["supervisor"].queryset = (
            User.objects.filter(memberships__program=program, memberships__deactivated_at=None)
            .exclude(pk=person.pk)
            .distinct()
        )
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", _("Save changes")))

    def clean(self):
        data = super().clean()
        if data.get("capacity") is not None and Membership.Role.MENTOR not in data.get("roles", []):
            self.add_error("capacity", _("Only mentors have a capacity: leave it empty."))
        return data
