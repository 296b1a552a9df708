"""The navigation bar's links for the signed-in person, by role, with the current one marked.

Mentees and mentors get Meetings, their plan(s), Feedback and Calendar; program admins get a menu per
program they run. Roles come from the request's one fetch of memberships (mentoring.viewer): no
query of its own. The links are URL names, so the core names no feature app's code.
"""

from dataclasses import dataclass

from django import template
from django.urls import NoReverseMatch, reverse

from mentoring import viewer

register = template.Library()


@dataclass(frozen=True)
class Link:
    label: str
    url: str
    current: bool


# (label, URL name, the URL names (app:name or app:*) under which it is the current section)
def _person_links(roles: frozenset[str]) -> list[tuple[str, str, tuple[str, ...]]]:
    plans = {"mentee": "My plan", "mentor": "Mentees' plans"}.get(
        next(iter(roles & {"mentor", "mentee"})) if len(roles & {"mentor", "mentee"}) == 1 else "",
        "Plans",
    )
    return [
        ("Meetings", "meetings:mine", ("meetings:*",)),
        (plans, "goals:mine", ("goals:*",)),
        ("Feedback", "feedback:mine", ("feedback:mine", "feedback:request", "feedback:correct")),
        ("Calendar", "meetings:calendar", ("meetings:calendar",)),
    ]


# An admin's menu for one program: (label, URL name taking the program's slug).
PROGRAM_MENU = [
    ("Overview", "programs:detail"),
    ("Members", "programs:members"),
    ("Pair mentees", "programs:pair"),
    ("Mentor requests", "programs:requests"),
    ("Feedback", "feedback:program"),
    ("Needs attention", "feedback:attention"),
    ("Trends", "reports:trends"),
    ("Notices", "programs:notices"),
    ("Settings", "programs:settings"),
]


def _current(match, names: tuple[str, ...]) -> bool:
    if match is None:
        return False
    here = f"{match.namespace}:{match.url_name}"
    calendar = here.startswith("meetings:calendar")
    for name in names:
        if name.endswith(":*"):
            if match.namespace == name[:-2] and not calendar:
                return True
        elif here == name or (name == "meetings:calendar" and calendar):
            return True
    return False


@register.simple_tag(takes_context=True)
def person_links(context) -> list[Link]:
    request = context.get("request")
    user = getattr(request, "user", None)
    roles = viewer.roles(user) if user is not None else frozenset()
    if not roles & {"mentor", "mentee"}:
        return []
    match = getattr(request, "resolver_match", None)
    home = match is not None and match.url_name == "home"
    return [
        Link(label, reverse(name), not home and _current(match, names))
        for label, name, names in _person_links(roles)
    ]


@register.simple_tag(takes_context=True)
def program_menu(context, program) -> list[Link]:
    request = context.get("request")
    links = []
    for label, name in PROGRAM_MENU:
        try:
            url = reverse(name, args=[program.slug])
        except NoReverseMatch:  # an app that is not installed
            continue
        links.append(Link(label, url, request is not None and request.path == url))
    return links


@register.simple_tag(takes_context=True)
def is_current(context, url_name: str) -> bool:
    match = getattr(context.get("request"), "resolver_match", None)
    return match is not None and f"{match.namespace}:{match.url_name}".strip(":") == url_name
