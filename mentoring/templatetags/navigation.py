"""The navigation bar's links for the signed-in person, by role, with the current one marked.

Mentees and mentors get Meetings, their plan(s), Feedback and Calendar; program admins get a menu per
program they run. Each app declares its links (registry.person_link, registry.program_link), so
the core names no feature. Roles come from the request's one fetch of memberships
(mentoring.viewer): no query of its own. `{% navigation as nav %}` prepares the whole bar once per
page, with every address reversed once per process (mentoring.addresses).
"""

from dataclasses import dataclass
from fnmatch import fnmatchcase

from django import template

from mentoring import registry, viewer
from mentoring.addresses import address

register = template.Library()


@dataclass(frozen=True)
class Link:
    label: str
    url: str
    current: bool
    badge: int = 0


@dataclass(frozen=True)
class Menu:
    """An admin's menu of one program."""

    name: str
    links: list[Link]


@dataclass(frozen=True)
class Navigation:
    home: Link
    notifications: Link
    profile: Link
    logout_url: str
    person_links: list[Link]
    program_menus: list[Menu]


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


def _person_links(request, roles: frozenset[str]) -> list[Link]:
    if not roles & {"mentor", "mentee"}:
        return []
    current = _current(getattr(request, "resolver_match", None), registry.PERSON_LINKS)
    user = getattr(request, "user", None)
    return [
        Link(
            link.text(roles),
            address(link.url_name),
            link is current,
            link.badge(user) if link.badge is not None else 0,
        )
        for link in registry.PERSON_LINKS
    ]


def _program_menu(request, program) -> Menu:
    path = getattr(request, "path", None)
    links = []
    for link in registry.PROGRAM_LINKS:
        url = address(link.url_name, program.slug)
        links.append(Link(link.text(frozenset()), url, path == url))
    return Menu(program.name, links)


def _is_current(request, url_name: str) -> bool:
    match = getattr(request, "resolver_match", None)
    return match is not None and f"{match.namespace}:{match.url_name}".strip(":") == url_name


@register.simple_tag(takes_context=True)
def navigation(context) -> Navigation:
    request = context.get("request")
    user = getattr(request, "user", None)
    memberships = viewer.memberships(user) if user is not None else []
    roles = frozenset(m.role for m in memberships)
    return Navigation(
        home=Link("Home", address("home"), _is_current(request, "home")),
        notifications=Link(
            "Notifications",
            address("notifications:list"),
            _is_current(request, "notifications:list"),
        ),
        profile=Link("", address("profile"), _is_current(request, "profile")),
        logout_url=address("account_logout"),
        person_links=_person_links(request, roles),
        program_menus=[_program_menu(request, m.program) for m in memberships if m.role == "admin"],
    )
