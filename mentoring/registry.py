"""What the feature apps plug into the core, declared in the app that owns it.

- Notice kinds (`notice_kind`), each with its label, its sweep (what is due now, how often to look,
  and why that often), its e-mail renderer, and whether it is always e-mailed.
- Scheduled jobs that write (`scheduled_job`): a sweep only reads and plans notices.
- Panels of the home page (`home_panel`: a builder of the app's `HomePanel` dataclass) and of an
  admin's program page (`program_panel`).
- Sections of the program admins' weekly digest (`admin_digest_section`).
- Sections of a person's data export (`personal_data`), in the app's `privacy.py`.
- Fragments another app adds to a page (`page_fragment`): the page loads each with htmx, so a
  fragment that fails or is slow never keeps the page from working.

An app declares these in its own `reminders.py` (kinds, sweeps, jobs, digest sections) and
`panels.py` (panels). `MentoringConfig.ready()` imports those modules of every installed app, so the
core never names a feature app, and a new kind needs no core change and no migration.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar, Protocol

from mentoring import viewer

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser as User
    from django.core.mail import EmailMessage

# The registry is the bottom of the core: the modules it describes (mentoring.models, the notice
# machinery of mentoring/notices/) build on it, so it names none of them, not even for types.
# A finder yields mentoring.notices.planning.Occasion; a renderer takes a mentoring.models.Notification.
Finder = Callable[[datetime], Iterable[Any]]
Renderer = Callable[[Any], "EmailMessage | None"]


@dataclass(frozen=True)
class NoticeKind:
    """One kind of notice. `find` is None for notices that an action plans (a meeting moved): their
    sweep only hands out what a broker outage held back."""

    name: str
    label: str
    every: int  # seconds between two sweeps of this kind
    why: str  # the reason for that interval, shown beside it in the beat schedule
    find: Finder | None = None
    render: Renderer | None = None  # None: the generic reminder e-mail
    # A notice that *is* the message (a calendar invitation, an admin's reminder): the person's
    # "digest" or "no e-mail" choice never swallows it.
    always_emailed: bool = False
    # A digest itself: never folded into another digest.
    is_digest: bool = False
    # Sweeps run in this order; a digest runs after the sweeps whose notices it collects.
    order: int = 50
    # Who can receive it: the roles ("admin", "mentor", "mentee") of its recipients, empty for
    # everyone. The preferences page offers a person only the kinds their roles can receive.
    roles: frozenset[str] = frozenset()

    def offered_to(self, held: frozenset[str]) -> bool:
        return not self.roles or bool(self.roles & held)


@dataclass(frozen=True)
class Job:
    """A scheduled write (e.g. opening the feedback cycles that are due): a Celery task by name."""

    name: str
    task: str
    every: int
    why: str


class HomePanel(Protocol):
    """A panel of the home page: a frozen dataclass of the app that owns its data, with the fields
    its template reads (as `panel.<field>`) and the template as a class attribute."""

    template: ClassVar[str]


HomePanelBuilder = Callable[["User"], HomePanel]


@dataclass(frozen=True)
class HomeSlot:
    """A registered home panel: `build(user)` reads what it shows (a fixed number of queries);
    it is built only for a person holding one of `roles` in some program (empty: for everyone)."""

    build: HomePanelBuilder
    order: int = 50
    roles: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Panel:
    """A block of an admin's program page: `selector(program, user)` gives its context (one fixed
    number of queries), `template` renders it."""

    selector: Callable[..., dict[str, Any]]
    template: str
    order: int = 50


@dataclass
class PersonalData:
    """One app's part of a person's export: JSON-ready data, and files as (name in the ZIP, file)."""

    data: Any
    files: list[tuple[str, Any]] = field(default_factory=list)


KINDS: dict[str, NoticeKind] = {}
PERSONAL_DATA: dict[str, Callable[..., PersonalData]] = {}
JOBS: dict[str, Job] = {}


@dataclass(frozen=True)
class NavLink:
    """A link of the navigation bar, declared by the app that owns the page it leads to.

    `label` is text, or `label(roles)` for a label that depends on the person's roles. `sections`
    are patterns (fnmatch) of "namespace:url_name": the link is the current one on a page they
    match, the most specific pattern winning (a person link); a program link is current on its
    own page only."""

    label: str | Callable[[frozenset[str]], str]
    url_name: str
    order: int
    sections: tuple[str, ...] = ()
    # A count shown beside the label (unread messages), a function of the person: it reads from
    # the request's one fetch of what it counts. None: no count.
    badge: Callable[[Any], int] | None = None

    def text(self, roles: frozenset[str]) -> str:
        return self.label(roles) if callable(self.label) else self.label


PERSON_LINKS: list[NavLink] = []  # for mentors and mentees: the person's own pages
PROGRAM_LINKS: list[NavLink] = []  # an admin's menu of one program: URL names taking its slug


def _link(links: list[NavLink], link: NavLink) -> None:
    links[:] = [existing for existing in links if existing.url_name != link.url_name]
    links.append(link)
    links.sort(key=lambda item: item.order)


def person_link(
    label, url_name: str, *, sections: Iterable[str] = (), order: int = 50, badge=None
) -> None:
    """Register a navigation link for people in dyads (mentors and mentees), with an optional
    `badge(user) -> int` (a count shown beside it when not zero)."""
    _link(PERSON_LINKS, NavLink(label, url_name, order, tuple(sections) or (url_name,), badge))


def program_link(label: str, url_name: str, *, order: int = 50) -> None:
    """Register an entry of the admin's menu of a program (`url_name` takes the program's slug)."""
    _link(PROGRAM_LINKS, NavLink(label, url_name, order))


HOME_PANELS: list[HomeSlot] = []
# Counts that apps add to the one fetch of the programs the viewer administers, for the home page
# (programs.selectors.viewer_administered_counts): {name: SQL of a count where `p` is the program}.
VIEWER_ADMIN_PROGRAM_COUNTS: dict[str, str] = {}
# Counts that apps add to the one query that loads the signed-in person on every request
# (mentoring.backends): {name: SQL of a count where `u` is the person}.
VIEWER_COUNTS: dict[str, str] = {}
PROGRAM_PANELS: list[Panel] = []
ADMIN_DIGEST_SECTIONS: list[tuple[int, Callable]] = []


def _add(registry: dict, key: str, value) -> None:
    # Module reloads in tests register the same thing again: the newest wins.
    registry[key] = value


def notice_kind(
    name: str,
    label: str,
    *,
    every: int,
    why: str,
    render: Renderer | None = None,
    always_emailed: bool = False,
    is_digest: bool = False,
    order: int = 50,
    roles: Iterable[str] = (),
) -> Callable[[Finder], Finder]:
    """Register a kind whose sweep is the decorated function of `now`."""

    def register(find: Finder) -> Finder:
        _add(
            KINDS,
            name,
            NoticeKind(
                name,
                label,
                every,
                why,
                find,
                render,
                always_emailed,
                is_digest,
                order,
                frozenset(roles),
            ),
        )
        return find

    return register


def action_notice_kind(
    name: str,
    label: str,
    *,
    every: int,
    why: str,
    render: Renderer | None = None,
    always_emailed: bool = True,
    roles: Iterable[str] = (),
) -> str:
    """Register a kind that an action plans (mentoring.notices.dispatch.notify). It is always
    e-mailed when it *is* the message (an invitation, an admin's reminder); a notice *about* an
    event (`always_emailed=False`) follows the person's choice: each, in the digest, or in-app."""
    spec = NoticeKind(name, label, every, why, None, render, always_emailed, roles=frozenset(roles))
    _add(KINDS, name, spec)
    return name


EVENT_SENT = (
    "Sent after the action's commit; the sweep only catches what a broker outage held back."
)


def event_notice_kind(name: str, label: str, *, roles: Iterable[str], why: str = EVENT_SENT) -> str:
    """Register a notice *about* an event someone caused (a request answered, a report reviewed):
    planned by the action (mentoring.notices.dispatch.notify), swept every 5 minutes only for what
    a broker outage held back, and delivered as the recipient chose (each, digest, in-app)."""
    return action_notice_kind(name, label, every=5 * 60, why=why, always_emailed=False, roles=roles)


def scheduled_job(name: str, *, task: str, every: int, why: str) -> None:
    _add(JOBS, name, Job(name, task, every, why))


def _name(function: Callable) -> str:
    return f"{function.__module__}.{function.__qualname__}"


def home_panel(*, order: int = 50, roles: Iterable[str] = ()):
    """Register the decorated `build(user) -> HomePanel` as a home-page panel, built only for a
    person who holds one of `roles` (all roles when empty). It reads the person's memberships and
    dyads from the request's one fetch (mentoring.viewer, programs.selectors.viewer_dyads), never
    its own, and reads its own data by their ids in lean queries (no subquery per dyad, no join it
    does not show)."""

    def register(build: HomePanelBuilder) -> HomePanelBuilder:
        HOME_PANELS[:] = [s for s in HOME_PANELS if _name(s.build) != _name(build)]
        HOME_PANELS.append(HomeSlot(build, order, frozenset(roles)))
        HOME_PANELS.sort(key=lambda s: s.order)
        return build

    return register


def viewer_admin_program_count(name: str, sql: str) -> None:
    """Register a per-program count for the home page: `sql` is a scalar subquery counting rows of
    the app's tables for the program `p` (`p.id`). The counts of every app come in the one fetch
    of the programs the viewer administers (programs.selectors.viewer_administered_counts), as
    attribute `name` of each program: one query, and only for an admin."""
    _add(VIEWER_ADMIN_PROGRAM_COUNTS, name, sql)


def viewer_count(name: str, sql: str) -> None:
    """Register a count about the signed-in person (unread messages, say): `sql` is a scalar
    subquery where `u` is the person (`u.id`). It comes in the one query that loads them for every
    request (mentoring.backends), as attribute `name` of the user: a badge in the navigation costs
    no query of its own."""
    _add(VIEWER_COUNTS, name, sql)


def program_panel(template: str, *, order: int = 50):
    """Register the decorated `selector(program, user) -> context` as a program-page panel."""

    def register(selector):
        PROGRAM_PANELS[:] = [p for p in PROGRAM_PANELS if p.template != template]
        PROGRAM_PANELS.append(Panel(selector, template, order))
        PROGRAM_PANELS.sort(key=lambda p: p.order)
        return selector

    return register


def admin_digest_section(*, order: int = 50):
    """Register `section(program_ids, now) -> {program_id: [lines]}` for the admins' digest. A
    line is made text in each admin's language: a lazy translation (mentoring.languages.later)."""

    def register(section):
        ADMIN_DIGEST_SECTIONS[:] = [s for s in ADMIN_DIGEST_SECTIONS if s[1] is not section]
        ADMIN_DIGEST_SECTIONS.append((order, section))
        ADMIN_DIGEST_SECTIONS.sort(key=lambda s: s[0])
        return section

    return register


PAGE_FRAGMENTS: dict[str, list[tuple[int, str]]] = {}


def page_fragment(page: str, url_name: str, *, order: int = 50) -> None:
    """Register the view `url_name` as a fragment of the page named `page` ("meetings:propose"):
    the page loads it with htmx, passing it the page's own URL arguments (e.g. the dyad's id). The
    fragment view checks access itself, like any view."""
    entries = [e for e in PAGE_FRAGMENTS.get(page, []) if e[1] != url_name]
    PAGE_FRAGMENTS[page] = sorted([*entries, (order, url_name)])


def page_fragments(page: str) -> list[str]:
    """The URL names of the fragments registered for `page`, in their order."""
    return [url_name for _order, url_name in PAGE_FRAGMENTS.get(page, [])]


def personal_data(name: str):
    """Register `section(user) -> PersonalData` as `<name>.json` of the person's data export. Only
    what the person wrote, or may see as a party to it: never another person's private or
    confidential text."""

    def register(section):
        _add(PERSONAL_DATA, name, section)
        return section

    return register


# --- reading the registry --------------------------------------------------------------------


def kind(name: str) -> NoticeKind:
    try:
        return KINDS[name]
    except KeyError:
        raise LookupError(
            f"no notice kind {name!r} is registered (mentoring/registry.py)"
        ) from None


def kinds() -> list[NoticeKind]:
    """Every kind, in sweep order."""
    return sorted(KINDS.values(), key=lambda k: (k.order, k.name))


def kinds_offered(held: frozenset[str]) -> list[NoticeKind]:
    """The kinds a person holding `held` roles can receive and choose how to get (not the ones
    always e-mailed), in sweep order."""
    return [k for k in kinds() if not k.always_emailed and k.offered_to(held)]


def kind_label(name: str) -> str:
    registered = KINDS.get(name)
    return str(registered.label) if registered else name


def home_panels(user: User) -> list[HomePanel]:
    """The home page: the panels of the person's roles, built in their order."""
    held = viewer.roles(user)
    return [slot.build(user) for slot in HOME_PANELS if not slot.roles or slot.roles & held]


def program_panels(program, user: User) -> tuple[dict[str, Any], list[str]]:
    """The program page's registered panels: their merged context and their templates."""
    context: dict[str, Any] = {}
    for panel in PROGRAM_PANELS:
        context.update(panel.selector(program, user))
    return context, [panel.template for panel in PROGRAM_PANELS]


def beat_schedule(sweep_task: str) -> dict[str, dict]:
    """Celery beat's schedule: one entry per kind's sweep and per job, at its declared interval."""
    schedule = {
        k.name.replace("_", "-"): {"task": sweep_task, "schedule": k.every, "args": [k.name]}
        for k in kinds()
    }
    for job in JOBS.values():
        schedule[job.name] = {"task": job.task, "schedule": job.every}
    return schedule
