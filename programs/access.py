"""The one way a view gets a program (or a dyad) that only the program's admins may act on."""

from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from mentoring import viewer
from mentoring.access import get_visible_or_404, require
from mentoring.models import Notification
from programs.models import Dyad, Membership, Program, administered_ids
from programs.selectors import is_program_admin


def program_for_admin(user, *, slug: str) -> Program:
    """A program its admin manages: a stranger gets 404 (nothing leaks), a member of another role 403.

    Decided from the request's one fetch of the person's memberships (with their programs), so
    no query: a program they hold no role in is the same 404 as one that does not exist."""
    held = [m for m in viewer.memberships(user) if m.program.slug == slug]
    if not held:
        raise Http404
    require(any(m.role == Membership.Role.ADMIN for m in held))
    return held[0].program


def member_for_admin(user, *, slug: str, user_pk: int, current: bool = True) -> list[Membership]:
    """A person's memberships in a program `user` administers (current ones, or the deactivated
    ones when `current` is False), each with its program and person. 404 for anyone else, their
    own mentors and mentees included: an action on a member names no one to an outsider."""
    manager = Membership.objects if current else Membership.everyone.exclude(deactivated_at=None)
    found = list(
        manager.filter(
            program__slug=slug, program_id__in=administered_ids(user), user_id=user_pk
        ).select_related("program", "user__profile__supervisor")
    )
    if not found:
        raise Http404
    return found


def dyad_for_admin(user, *, pk: int, queryset: QuerySet[Dyad] | None = None) -> Dyad:
    """A dyad its program's admin acts on: 404 for a stranger, 403 for the dyad's own people."""
    queryset = queryset if queryset is not None else Dyad.objects.all()
    dyad = get_visible_or_404(queryset.select_related("program", "mentor", "mentee"), user, pk=pk)
    require(is_program_admin(user, dyad.program))
    return dyad


def notice_for_admin(user, *, pk: int) -> Notification:
    """A notice of a program this user administers (the operators' view), else 404."""
    notices = Notification.objects.filter(program__in=Program.objects.administered_by(user))
    return get_object_or_404(notices.select_related("program"), pk=pk)
