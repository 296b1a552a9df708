"""A person's profile for matching: they fill it in (the first save completes onboarding), and a
program admin reminds those who have not."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mentoring.access import require
from mentoring.languages import later
from mentoring.notices.dispatch import notify
from mentoring.notices.planning import Occasion
from programs import rules
from programs.models import Profile, Program
from programs.reminders import PROFILE_REMINDER


@transaction.atomic
def save_profile(*, user, fields: dict, profile_fields: dict) -> Profile:
    """A person fills in (or edits) their profile; the first save completes onboarding."""
    for name, value in fields.items():
        setattr(user, name, value)
    if fields:
        user.save(update_fields=list(fields))
    profile, _created = Profile.objects.select_for_update().get_or_create(user=user)
    for name, value in profile_fields.items():
        setattr(profile, name, value)
    if profile.supervisor_id == user.pk:
        raise ValidationError(_("You cannot be your own supervisor."))
    now = timezone.now()
    profile.updated_at = now
    profile.completed_at = profile.completed_at or now
    profile.save()
    return profile


@transaction.atomic
def remind_profile(*, program: Program, by, people: list) -> int:
    """A program admin reminds members who have not completed their profile."""
    require(rules.administers(by, program))
    now = timezone.now()
    Profile.objects.filter(user__in=people).update(reminded_at=now)
    return notify(
        kind=PROFILE_REMINDER,
        due=[
            Occasion(
                recipient=person,
                target=program,
                occasion=f"profile-{now.date().isoformat()}",
                title=later(
                    gettext_lazy("%(program)s: please complete your profile"), {"program": program}
                ),
                body=gettext_lazy(
                    "Your interests and what you want from mentoring let the program suggest a "
                    "good mentor. It takes two minutes."
                ),
                url=reverse("programs:profile"),
                program_id=program.pk,
            )
            for person in people
        ],
    )
