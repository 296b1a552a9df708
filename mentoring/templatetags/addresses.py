"""`{% address 'app:name' arg %}`: `{% url %}` with the address reversed once per process
(mentoring.addresses), for the pages opened all day that name many addresses (home, the plan, the
meeting page: its actions, and one per action item). Also `{% address ... as name %}`."""

from django import template

from mentoring.addresses import address as _address

register = template.Library()


@register.simple_tag
def address(url_name: str, *args) -> str:
    return _address(url_name, *args)
