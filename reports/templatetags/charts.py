"""The repeated parts of a chart, written by hand-made loops: its grid lines, bars and month
labels, and the rows of the table of its numbers.

A page of charts holds some 200 bars and 350 numbers; the template language spends a few µs on each
variable it prints (a lookup, a localisation, an escape), which made drawing the charts most of the
cost of the trends page and the annual report (issue 21). Here every value still goes through
format_html, escaped as a template variable is; the coordinates are plain numbers (an SVG attribute
is never localised), the table's numbers are localised as the template did.

    {% load charts %}
    <svg ...>{% chart_plot chart %}</svg>
    <table ...>{% chart_numbers chart %}</table>
"""

from django import template
from django.utils import numberformat
from django.utils.formats import get_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from reports.trends import is_january, month_shown

register = template.Library()


def _once(chart, key: tuple, make):
    """The markup `make()` writes, made once for the charts of a page (`chart.shared`): they
    share their months (the labels under the bars, the table's head) and often their grid."""
    if key not in chart.shared:
        chart.shared[key] = make()
    return chart.shared[key]


@register.simple_tag
def chart_plot(chart):
    """The SVG's grid lines with their values, its bars (each titled with what it counts), and
    the labels under them (a month and its year)."""
    ticks = _once(
        chart,
        ("ticks", chart.width, *((t["y"], t["value"]) for t in chart.axis)),
        lambda: format_html_join(
            "\n",
            '<line x1="40" x2="{}" y1="{}" y2="{}" stroke="#ccc" stroke-width="1"/>'
            '<text x="36" y="{}" text-anchor="end" dominant-baseline="middle" font-size="13" '
            'fill="#333">{}</text>',
            ((chart.width, t["y"], t["y"], t["y"], t["value"]) for t in chart.axis),
        ),
    )
    # A bar of height 0 draws nothing and its title cannot be pointed at: its number is in the
    # table, as every bar's is.
    bars = format_html_join(
        "",
        '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"><title>{}</title></rect>',
        ((b["x"], b["y"], b["w"], b["h"], b["color"], b["text"]) for b in chart.bars if b["h"]),
    )
    under, year_under = chart.base_y + 16, chart.base_y + 31
    labels = _once(
        chart,
        (
            "labels",
            under,
            *((label["x"], label["text"], label["year"]) for label in chart.labels_at),
        ),
        lambda: format_html_join(
            "\n",
            '<text x="{}" y="{}" text-anchor="middle" font-size="14" fill="#333">{}</text>'
            '<text x="{}" y="{}" text-anchor="middle" font-size="12" fill="#555">{}</text>',
            (
                (label["x"], under, label["text"], label["x"], year_under, label["year"])
                for label in chart.labels_at
            ),
        ),
    )
    return format_html("{}\n{}\n{}", ticks, bars, labels)


def _localize():
    """localize() for numbers, with the active language's separators looked up once, not once
    per number."""
    language = get_language()
    decimal = get_format("DECIMAL_SEPARATOR", language)
    grouping = get_format("NUMBER_GROUPING", language)
    thousand = get_format("THOUSAND_SEPARATOR", language)

    def number(value) -> str:
        return numberformat.format(value, decimal, None, grouping, thousand, use_l10n=True)

    return number


def _head(labels, totals: bool, monthly: bool):
    """A month's head is its short name: "Sep 2026" on one line made twelve columns wider than
    half a desktop, so the tables were cut after June."""
    if monthly:
        # The year shows where it changes (the first month, January), as under the chart's bars;
        # a screen reader hears it with every month.
        heads = format_html_join(
            "",
            '<th scope="col" class="text-end">{0} <span class="{2}">{1}</span></th>',
            (
                (
                    *month_shown(key),
                    "d-block fw-normal" if i == 0 or is_january(key) else "visually-hidden",
                )
                for i, key in enumerate(labels)
            ),
        )
    else:
        heads = format_html_join(
            "", '<th scope="col" class="text-end">{}</th>', ((label,) for label in labels)
        )
    return format_html(
        '<thead><tr><th scope="col"><span class="visually-hidden">{}</span></th>{}{}</tr></thead>',
        _("Series"),
        heads,
        format_html('<th scope="col" class="text-end">{}</th>', _("Total")) if totals else "",
    )


@register.simple_tag
def chart_numbers(chart):
    """The table's head (a column per month, or per cycle, and the total of counts) and a row per
    series: its values (a dash for none) and, for counts, its total."""
    number = _once(chart, ("localize",), _localize)
    unit = chart.unit
    totals = not unit
    monthly = chart.row_label == "Month"
    head = _once(
        chart,
        ("head", totals, monthly, *chart.labels),
        lambda: _head(chart.labels, totals, monthly),
    )
    rows = format_html_join(
        "\n",
        '<tr><th scope="row">{}</th>{}{}</tr>',
        (
            (
                name,
                format_html_join(
                    "",
                    '<td class="text-end">{}</td>',
                    (("–" if v is None else f"{number(v)}{unit}",) for v in values),
                ),
                format_html('<td class="text-end fw-semibold">{}</td>', number(total))
                if totals
                else "",
            )
            for name, values, total in chart.table
        ),
    )
    return format_html("{}\n<tbody>\n{}\n</tbody>", head, rows)
