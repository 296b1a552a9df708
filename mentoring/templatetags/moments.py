"""Template side of mentoring/moments.py: the only date formatting templates use.

{% load moments %}
{{ meeting.starts_at|moment }}        <time datetime="2026-12-06T15:00:00-05:00">Sun 6 Dec 2026, 15:00 EST</time>
{{ milestone.due_date|day }}          <time datetime="2026-12-06">Sun 6 Dec 2026</time>
{% moment_range m.starts_at m.ends_at %}
{{ value|moment_text }} / {{ value|day_text }}   the same words without markup (plain-text e-mails)
"""

from django import template
from django.utils import timezone
from django.utils.html import format_html

from mentoring import moments

register = template.Library()


def _time(value, text: str):
    return format_html('<time datetime="{}">{}</time>', moments.machine(value), text)


@register.filter
def moment(value):
    if not value:
        return ""
    return _time(value, moments.moment_text(value))


@register.filter
def day(value):
    if not value:
        return ""
    return _time(value, moments.day_text(value))


@register.simple_tag
def moment_range(starts, ends):
    if not starts:
        return ""
    if not ends:
        return moment(starts)
    return _time(starts, moments.moment_range_text(starts, ends))


@register.filter
def moment_text(value):
    return moments.moment_text(value) if value else ""


@register.filter
def day_text(value):
    return moments.day_text(value) if value else ""


@register.simple_tag
def moment_range_text(starts, ends):
    if not starts:
        return ""
    return moments.moment_range_text(starts, ends) if ends else moments.moment_text(starts)


@register.filter
def month(value):
    """A month of a report: <time datetime="2026-12">December 2026</time>."""
    if not value:
        return ""
    return format_html(
        '<time datetime="{}">{}</time>', value.strftime("%Y-%m"), moments.month_text(value)
    )


@register.simple_tag
def zone_name():
    """The viewer's zone, named as moments name it ("EST"), for forms that take local times."""
    return moments.zone_name(timezone.localtime())
