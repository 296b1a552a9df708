"""A person's profile for matching: filled in once at the first sign-in, editable later."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from mentoring.models import User
from programs import matching, onboarding
from programs.forms import ProfileForm
from programs.models import Profile, Program
from programs.services.profiles import save_profile

USER_FIELDS = ("department", "career_stage", "expertise")
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


def profile(request):
    user = request.user
    saved = Profile.objects.filter(user=user).first()
    vocabulary = _vocabulary(user)
    listed = {topic.lower(): topic for topic in vocabulary}
    mine = [t.strip() for t in user.interests.split(",") if t.strip()]
    initial = {name: getattr(user, name) for name in USER_FIELDS}
    initial["interests"] = [listed[t.lower()] for t in mine if t.lower() in listed]
    initial["other_interests"] = ", ".join(t for t in mine if t.lower() not in listed)
    if saved is not None:
        initial.update({name: getattr(saved, name) for name in PROFILE_FIELDS})
        initial["supervisor_email"] = saved.supervisor.email if saved.supervisor else ""
    form = ProfileForm(request.POST or None, initial=initial, vocabulary=vocabulary)
    if form.is_valid():
        data = form.cleaned_data
        supervisor = None
        if data["supervisor_email"]:
            # Only someone the person shares a program with: an address names nobody else.
            supervisor = (
                User.objects.filter(
                    email__iexact=data["supervisor_email"],
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
    if form.is_valid():
        data = form.cleaned_data
        try:
            save_profile(
                user=user,
                fields={
                    **{name: data[name].strip() for name in USER_FIELDS},
                    "interests": form.interests_text(),
                },
                profile_fields={
                    **{name: data[name] for name in PROFILE_FIELDS},
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
            "first_time": saved is None or not saved.is_complete,
            "next": _next(request) or "",
        },
    )
