"""`{% address 'app:name' arg %}`: `{% url %}` with the address reversed once per process
(mentoring.addresses), for pages opened all day that name many addresses (the meeting page: its
actions, and two per action item)."""

from django import template

from mentoring.addresses import address as _address

register = template.Library()


@register.simple_tag
def address(url_name: str, *args) -> str:
    return _address(url_name, *args)
