"""`{% address 'meetings:detail' meeting.pk %}`: the `{% url %}` of the pages everybody opens,
reversed once per process (mentoring.addresses). Also `{% address ... as name %}`."""

from django import template

from mentoring.addresses import address as _address

register = template.Library()


@register.simple_tag
def address(url_name: str, *args) -> str:
    return _address(url_name, *args)
