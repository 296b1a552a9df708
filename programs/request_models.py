"""The programs app's requests, as tables: a mentee asks a mentor to take them on, and the mentee
or the mentor asks the program for a different pairing. programs/models.py imports them, so they
are programs' models like the others: import them from programs.models."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from mentoring.addresses import address
from programs.models import Dyad, Program, administered_ids


class MentorRequestQuerySet(models.QuerySet):
    def visible_to(self, user) -> "MentorRequestQuerySet":
        """The mentee's own requests, requests addressed to the mentor, and all of an admin's program."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(
            Q(mentee_id=user.pk) | Q(mentor_id=user.pk) | Q(program_id__in=administered_ids(user))
        )


class MentorRequest(models.Model):
    """A mentee without a primary mentor asks one of the program's mentors to take them on."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for the mentor")
        ACCEPTED = "accepted", pgettext_lazy("mentor request status", "Accepted")
        DECLINED = "declined", pgettext_lazy("mentor request status", "Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    program = models.ForeignKey(Program, models.PROTECT, related_name="mentor_requests")
    mentee = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="mentor_requests_sent"
    )
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="mentor_requests_received"
    )
    note = models.TextField(_("note to the mentor"), blank=True)
    status = models.CharField(max_length=10, choices=Status, default=Status.PENDING)
    response_note = models.TextField(_("reason"), blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    dyad = models.OneToOneField(Dyad, models.PROTECT, null=True, blank=True, related_name="request")
    created_at = models.DateTimeField(default=timezone.now)

    objects = MentorRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=~Q(mentor=F("mentee")), name="request_not_self"),
            models.UniqueConstraint(
                fields=["program", "mentee"],
                condition=Q(status="pending"),
                name="one_pending_request_per_mentee",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.mentee} asks {self.mentor}"


class RePairRequestQuerySet(models.QuerySet):
    def visible_to(self, user) -> "RePairRequestQuerySet":
        """The program's admins and the person who asked; never the partner."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(
            Q(requested_by_id=user.pk) | Q(dyad__program_id__in=administered_ids(user))
        )


class RePairRequest(models.Model):
    """The mentee or the mentor asks the program for a different pairing. The reason is read by
    the program's admins only, never by the partner."""

    dyad = models.ForeignKey(Dyad, models.PROTECT, related_name="re_pair_requests")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    reason = models.TextField(_("why (only the program's admins read this)"))
    created_at = models.DateTimeField(default=timezone.now)
    handled_at = models.DateTimeField(null=True, blank=True)

    objects = RePairRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["dyad", "requested_by"],
                condition=Q(handled_at__isnull=True),
                name="one_open_re_pair_request_per_person",
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="re_pair_request_has_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.requested_by} asks to re-pair {self.dyad}"

    def get_absolute_url(self) -> str:
        return address("programs:re_pair_request", self.pk)
