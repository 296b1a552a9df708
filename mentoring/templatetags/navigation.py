"""The navigation bar's links for the signed-in person, by role, with the current one marked.

Mentees and mentors get Meetings, their plan(s), Feedback and Calendar; program admins get a menu per
program they run. Each app declares its links (registry.person_link, registry.program_link), so
the core names no feature. Roles come from the request's one fetch of memberships
(mentoring.viewer): no query of its own.
"""

from dataclasses import dataclass
from fnmatch import fnmatchcase

from django import template
from django.urls import reverse

from mentoring import registry, viewer

register = template.Library()


@dataclass(frozen=True)
class Link:
    label: str
    url: str
    current: bool


def _current(match, links: list[registry.NavLink]) -> registry.NavLink | None:
    """The link whose sections match this page most specifically (the longest pattern)."""
    if match is None:
        return None
    here = f"{match.namespace}:{match.url_name}"
    best, best_length = None, 0
    for link in links:
        for pattern in link.sections:
            if fnmatchcase(here, pattern) and len(pattern) > best_length:
                best, best_length = link, len(pattern)
    return best


@register.simple_tag(takes_context=True)
def person_links(context) -> list[Link]:
    request = context.get("request")
    user = getattr(request, "user", None)
    roles = viewer.roles(user) if user is not None else frozenset()
    if not roles & {"mentor", "mentee"}:
        return []
    current = _current(getattr(request, "resolver_match", None), registry.PERSON_LINKS)
    return [
        Link(link.text(roles), reverse(link.url_name), link is current)
        for link in registry.PERSON_LINKS
    ]


@register.simple_tag(takes_context=True)
def program_menu(context, program) -> list[Link]:
    request = context.get("request")
    links = []
    for link in registry.PROGRAM_LINKS:
        url = reverse(link.url_name, args=[program.slug])
        links.append(Link(link.text(frozenset()), url, request is not None and request.path == url))
    return links


@register.simple_tag(takes_context=True)
def is_current(context, url_name: str) -> bool:
    match = getattr(context.get("request"), "resolver_match", None)
    return match is not None and f"{match.namespace}:{match.url_name}".strip(":") == url_name
