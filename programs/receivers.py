from django.dispatch import receiver

from mentoring.notifications import Occasion, notify
from mentoring.privacy import account_deleted
from programs.models import Membership
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
                title=f"A member of {admin.program} deleted their account",
                body=(
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
