from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils.translation import gettext_lazy

from mentoring.languages import later
from mentoring.notices.dispatch import notify
from mentoring.notices.planning import Occasion
from mentoring.privacy import account_deleted
from mentoring.security import record_security_event
from programs.models import Membership, Profile
from programs.reminders import MEMBER_LEFT


@receiver(account_deleted, dispatch_uid="programs.tell_admins_a_member_left")
def tell_admins_a_member_left(sender, user, **kwargs) -> None:
    """The admins of every program the person was in hear of it, to end or re-pair their pairings."""
    programs = [m.program for m in Membership.objects.filter(user=user).select_related("program")]
    admins = Membership.objects.filter(
        program__in=programs, role=Membership.Role.ADMIN
    ).select_related("user", "program")
    notify(
        kind=MEMBER_LEFT,
        due=[
            Occasion(
                recipient=admin.user,
                target=admin.program,
                occasion=f"member-{user.pk}",
                title=later(
                    gettext_lazy("A member of %(program)s deleted their account"),
                    {"program": admin.program},
                ),
                body=gettext_lazy(
                    "Their pairings keep their history under the name “Former member”. End or "
                    "re-pair the ones still open."
                ),
                url=admin.program.get_absolute_url(),
                program_id=admin.program_id,
            )
            for admin in admins
            if admin.user_id != user.pk
        ],
    )


@receiver(account_deleted, dispatch_uid="programs.erase_profile")
def erase_profile(sender, user, **kwargs) -> None:
    """What the person told the program about themselves for matching goes with their account."""
    Profile.objects.filter(user=user).delete()


# Role and membership changes are security events (whoever makes them: an invitation accepted, the
# /admin/ site, a script). The core fills in who did it and from where from the request, if any.
@receiver(post_save, sender=Membership, dispatch_uid="programs.security_membership_saved")
def record_membership_saved(sender, instance: Membership, created: bool, raw=False, **kwargs):
    if raw:
        return
    verb = "joined as" if created else "membership changed:"
    record_security_event(
        kind="role_changed",
        user=instance.user,
        program=instance.program,
        detail=f"{verb} {instance.role} in {instance.program.slug}",
    )


@receiver(post_delete, sender=Membership, dispatch_uid="programs.security_membership_deleted")
def record_membership_deleted(sender, instance: Membership, **kwargs):
    record_security_event(
        kind="role_changed",
        user=instance.user,
        program=instance.program,
        detail=f"no longer {instance.role} in {instance.program.slug}",
    )
