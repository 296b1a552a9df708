"""The rows of the program page's list of dyads, written by a hand-made loop.

The list shows 50 dyads a page; the template language spent a few µs on each of the 15 values and
tags of a row, a fifth of the page's cost (issue 21). Every value still goes through format_html,
escaped as a template variable is, and the dates and badges come from the same helpers as the
template's `day` filter and `status_badge` tag.

    {% load dashboard %}<tbody>{% dyad_rows dyads %}</tbody>
"""

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _

from mentoring.templatetags.badges import status_badge
from mentoring.templatetags.moments import day
from programs.models import Dyad

register = template.Library()


def _cells(dyad) -> tuple:
    return (
        dyad.history_url,
        dyad.mentee,
        dyad.mentor,
        format_html(' <span class="badge text-bg-warning">{}</span>', _("supervisor"))
        if dyad.mentor_is_supervisor
        else "",
        dyad.kind_label,
        format_html(": {}", dyad.focus_area) if dyad.focus_area else "",
        format_html(' <span class="badge text-bg-light">{}</span>', _("chosen"))
        if dyad.formed == Dyad.Formed.CHOSEN
        else "",
        status_badge(dyad.status, label=dyad.status_label),
        format_html(" <small>({})</small>", dyad.end_reason_label) if dyad.end_reason else "",
        day(dyad.started_on) or "—",
        dyad.url,
        dyad,
        _("Dyad history"),
        _("Open"),
        _("the dyad"),
    )


@register.simple_tag
def dyad_rows(dyads):
    """One <tr> per dyad of `programs.selectors.dashboard_rows`: the mentee (a link to their
    history), the mentor (and whether they supervise the mentee), kind and focus (and whether the
    mentee chose the mentor), status (and why it ended), since when, and a link to the dyad."""
    return format_html_join(
        "\n",
        '<tr>\n<td><a href="{0}" title="{12}">{1}</a></td>\n'
        "<td>{2}{3}</td>\n<td>{4}{5}{6}</td>\n<td>{7}{8}</td>\n"
        '<td class="text-nowrap">{9}</td>\n'
        '<td class="text-nowrap"><a href="{10}">{13}<span class="visually-hidden"> {14} {11}'
        "</span></a></td>\n</tr>",
        (_cells(dyad) for dyad in dyads),
    )
