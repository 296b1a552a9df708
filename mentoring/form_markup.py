"""A form's fields made ready for a template that writes their Bootstrap 5 markup itself.

crispy-forms renders each field through a cascade of templates: its field template, the includes of
help text and errors, Django's widget template with its attributes include, and for a <select> one
option template and one attributes include per option. On a page opened all day (the meeting page,
issue 21) that cascade cost more than all of the page's reads. `fields_for(form)` asks Django's own
widget code for what the markup needs (name, id, the value as typed, the attributes with `required`,
`aria-invalid` and `aria-describedby`, the options with the chosen one marked), and
`templates/_form_fields.html` writes it in one loop: the markup of crispy's bootstrap5 pack, with the
same ids, labels, help texts, error messages and summary. Crispy stays for forms in general; this is
for the few hot forms a profile points at.

Everything printed is autoescaped by the template: nothing here marks text safe.
"""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.forms.widgets import Input

# The class crispy's bootstrap5 pack gives each kind of widget (its own name, then Bootstrap's).
_SELECT_CLASS = "form-select"
_CONTROL_CLASS = "form-control"


@dataclass(frozen=True, slots=True)
class Option:
    value: str
    label: str
    selected: bool


@dataclass(frozen=True, slots=True)
class FieldMarkup:
    """One field as its markup shows it."""

    id: str
    name: str
    label: str
    required: bool  # the label says so (an asterisk); the control's `required` is in `attrs`
    tag: str  # "input", "textarea" or "select"
    type: str  # an <input>'s type
    value: str | None  # what an <input> or <textarea> holds (as typed, after an error)
    attrs: tuple[tuple[str, str | bool], ...]  # True: a boolean attribute
    options: tuple[Option, ...]
    help_text: str
    errors: tuple[str, ...]
    hidden: bool


def fields_for(form: forms.BaseForm) -> list[FieldMarkup]:
    """The form's fields in order, for `templates/_form_fields.html`. Text inputs, date and time
    inputs, text areas and selects (no option groups); anything else is refused loudly rather than
    drawn wrong."""
    return [_field(bound) for bound in form]


def _field(bound: forms.BoundField) -> FieldMarkup:
    widget = bound.field.widget
    if isinstance(widget, forms.Select):
        tag, kind_class = "select", _SELECT_CLASS
    elif isinstance(widget, forms.Textarea):
        tag, kind_class = "textarea", _CONTROL_CLASS
    elif isinstance(widget, Input) and not isinstance(
        widget, forms.FileInput | forms.CheckboxInput
    ):
        tag, kind_class = "input", _CONTROL_CLASS
    else:
        raise TypeError(f"{bound.name}: {type(widget).__name__} is not drawn by fields_for")
    errors = tuple(str(error) for error in bound.errors)
    # What BoundField.as_widget passes to the widget: required, aria-invalid, aria-describedby
    # (help text, then error) and the id; with crispy's classes.
    attrs = bound.build_widget_attrs({}, widget)
    if bound.auto_id and "id" not in widget.attrs:
        attrs["id"] = bound.auto_id
    classes = [widget.attrs.get("class", ""), type(widget).__name__.lower(), kind_class]
    if errors and not widget.is_hidden:
        classes.append("is-invalid")
    attrs["class"] = " ".join(c for c in classes if c)
    context = widget.get_context(bound.html_name, bound.value(), attrs)["widget"]
    options: tuple[Option, ...] = ()
    value = context["value"]
    if tag == "select":
        options = tuple(_options(bound.name, context["optgroups"]))
        value = None
    elif value is not None:
        value = str(value)
    return FieldMarkup(
        id=str(context["attrs"].get("id", "")),
        name=context["name"],
        label=str(bound.label or ""),
        required=bound.field.required,
        tag=tag,
        type=context.get("type", ""),
        value=value,
        attrs=tuple(
            (name, attr if attr is True else str(attr))
            for name, attr in context["attrs"].items()
            if attr is not False and attr is not None
        ),
        options=options,
        help_text=str(bound.help_text or ""),
        errors=errors,
        hidden=widget.is_hidden,
    )


def _options(name: str, optgroups) -> list[Option]:
    options = []
    for group_name, group, _index in optgroups:
        if group_name:
            raise TypeError(f"{name}: option groups are not drawn by fields_for")
        options.extend(Option(str(o["value"]), str(o["label"]), o["selected"]) for o in group)
    return options
