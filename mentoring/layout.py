"""Crispy layout objects whose text stays text.

crispy-forms renders a `Fieldset` legend (and an `HTML` object) by compiling it as a Django template
with the whole page context and printing the result unescaped. A legend that holds anything a person
typed (a partner's name) therefore runs as a template: `{{ request.META }}` prints the session cookie.
`TextFieldset` escapes its legend instead of compiling it; use it whenever the legend is not a
literal. tests/test_template_safety.py refuses crispy's own `Fieldset`/`HTML` with a built argument.
"""

from crispy_forms.layout import Fieldset
from crispy_forms.utils import TEMPLATE_PACK
from django.template.loader import render_to_string
from django.utils.html import conditional_escape


class TextFieldset(Fieldset):
    """A fieldset whose legend is plain text, escaped, never compiled."""

    def render(self, form, context, template_pack=TEMPLATE_PACK, **kwargs):
        fields = self.get_rendered_fields(form, context, template_pack, **kwargs)
        legend = conditional_escape(str(self.legend)) if self.legend else ""
        return render_to_string(
            self.get_template_name(template_pack),
            {"fieldset": self, "legend": legend, "fields": fields},
        )
