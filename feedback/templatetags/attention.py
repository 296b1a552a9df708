"""The items of the attention list's dyads overdue for a meeting, written by a hand-made loop.

The list shows 50 dyads a page, each with two names, two dates and two links; the template
language spent a few µs on each of them, most of the page's rendering (issue 21). Every value
still goes through format_html, escaped as a template variable is, and the dates come from the
template's `day` filter.

    {% load attention %}<ul>{% overdue_items overdue_rows %}</ul>
"""

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _

from mentoring.templatetags.moments import day

register = template.Library()


def _parts(dyad) -> tuple:
    last = dyad.cadence.last_held_at
    return (
        dyad.url,
        dyad.mentor,
        dyad.mentee,
        day(dyad.cadence.due_by),
        format_html(_(", last met {}"), day(last)) if last else _(", not met yet"),
        dyad.cadence_url,
        _("due by"),
        _("Change cadence"),
    )


@register.simple_tag
def overdue_items(dyads):
    """One <li> per dyad of `feedback.selectors.overdue_rows`: the pair (a link to the dyad),
    when it was due by and when they last met, and a link to change its cadence."""
    return format_html_join(
        "\n",
        '<li class="mb-2 d-flex flex-wrap gap-2 align-items-center"><a href="{0}">{1} → {2}</a> '
        '<span class="text-body-secondary">{6} {3}{4}</span>\n'
        '    <a class="btn btn-sm btn-outline-secondary" href="{5}">{7}</a></li>',
        (_parts(dyad) for dyad in dyads),
    )
