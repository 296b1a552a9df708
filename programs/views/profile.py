"""A person's profile for matching: filled in once at the first sign-in, editable later; and the
admin's list of who has not completed theirs."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from mentoring import viewer
from mentoring.models import User
from programs import matching, onboarding
from programs.access import program_for_admin
from programs.forms import ProfileForm
from programs.models import Membership, Profile, Program
from programs.services.profiles import remind_profile, save_profile

# The account's fields this page edits: what the program matches on, interests written apart.
USER_FIELDS = tuple(name for name in User.MATCHING_FIELDS if name != "interests")
PROFILE_FIELDS = ("wants", "offers", "meeting_frequency", "meeting_mode")


def _vocabulary(user) -> list[str]:
    """The interests lists of every program the person belongs to, merged, in order."""
    seen, topics = set(), []
    for program in Program.objects.visible_to(user).order_by("name"):
        for topic in matching.vocabulary(program):
            if topic.lower() not in seen:
                seen.add(topic.lower())
                topics.append(topic)
    return topics


def _next(request) -> str | None:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return None


def _zone_guess(user) -> str:
    """The zone the onboarding form starts from before the browser says (and if JavaScript is
    off): the person's own if they chose one, else their first program's, else the server's."""
    if user.time_zone != User._meta.get_field("time_zone").default:
        return user.time_zone
    zones = [m.program.time_zone for m in viewer.memberships(user)]
    return zones[0] if zones else settings.TIME_ZONE


def _initial(user, saved: Profile | None, vocabulary: list[str]) -> dict:
    """The form's values: the account's fields, its interests split into the listed ones and the
    others, and the saved profile's."""
    listed = {topic.lower(): topic for topic in vocabulary}
    mine = [t.strip() for t in user.interests.split(",") if t.strip()]
    initial = {name: getattr(user, name) for name in USER_FIELDS}
    initial["interests"] = [listed[t.lower()] for t in mine if t.lower() in listed]
    initial["other_interests"] = ", ".join(t for t in mine if t.lower() not in listed)
    initial["time_zone"] = _zone_guess(user)
    if saved is not None:
        initial.update({name: getattr(saved, name) for name in PROFILE_FIELDS})
        initial["supervisor_email"] = saved.supervisor.email if saved.supervisor else ""
    return initial


def _supervisor(form, user):
    """The supervisor the (valid) form names by address, or None; an address that names nobody
    the person shares a program with is an error on the form."""
    address = form.cleaned_data["supervisor_email"]
    if not address:
        return None
    # Only someone the person shares a program with: an address names nobody else.
    supervisor = (
        User.objects.filter(
            email__iexact=address,
            memberships__program__in=Program.objects.visible_to(user),
        )
        .exclude(pk=user.pk)
        .first()
    )
    if supervisor is None:
        form.add_error(
            "supervisor_email",
            _(
                "Nobody in your programs has this address. Leave it empty, or ask your "
                "program admin to record your supervisor."
            ),
        )
    return supervisor


def profile(request):
    user = request.user
    saved = Profile.objects.filter(user=user).first()
    first_time = saved is None or not saved.is_complete
    vocabulary = _vocabulary(user)
    form = ProfileForm(
        request.POST or None,
        initial=_initial(user, saved, vocabulary),
        vocabulary=vocabulary,
        mentor=Membership.Role.MENTOR in viewer.roles(user),
        ask_zone=first_time,
    )
    supervisor = _supervisor(form, user) if form.is_valid() else None
    if form.is_valid():
        data = form.cleaned_data
        # Asked at onboarding only; afterwards the account page has it.
        zone = {"time_zone": data["time_zone"] or _zone_guess(user)} if "time_zone" in data else {}
        try:
            save_profile(
                user=user,
                fields={
                    **{name: data[name].strip() for name in USER_FIELDS},
                    "interests": form.interests_text(),
                    **zone,
                },
                profile_fields={
                    **{name: data[name] for name in PROFILE_FIELDS if name in data},
                    "supervisor": supervisor,
                },
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            onboarding.done(request)
            messages.success(request, _("Your profile is saved."))
            return redirect(_next(request) or "home")
    return render(
        request,
        "programs/profile.html",
        {
            "form": form,
            "first_time": first_time,
            "next": _next(request) or "",
        },
    )


def profile_status(request, slug):
    """Who in the program has not completed their profile; the admin reminds them."""
    program = program_for_admin(request.user, slug=slug)
    incomplete = (
        User.objects.filter(
            memberships__program=program,
            memberships__role__in=[Membership.Role.MENTOR, Membership.Role.MENTEE],
            memberships__deactivated_at=None,
            # A deleted account (mentoring.privacy) stays a member for the history: no one to remind.
            is_active=True,
        )
        .filter(Q(profile__isnull=True) | Q(profile__completed_at__isnull=True))
        .select_related("profile")
        .distinct()
        .order_by("name", "email")
    )
    if request.method == "POST":
        people = list(incomplete)
        count = remind_profile(program=program, by=request.user, people=people)
        messages.success(request, _("%(count)d reminders are on their way.") % {"count": count})
        return redirect("programs:profile_status", program.slug)
    page = Paginator(incomplete, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "programs/profile_status.html",
        {"program": program, "page": page, "people": list(page.object_list)},
    )
