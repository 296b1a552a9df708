"""A dyad's mentoring agreement: drafted from the program's template when the dyad is made,
adapted by either side (or an admin), acknowledged by both."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mentoring.access import require
from programs import audit, rules
from programs.models import Agreement, Dyad
from programs.services.checks import refuse

AGREEMENT_AUDIT_FIELDS = ["text", "meeting_frequency", "communication", "confidentiality"]


def start_agreement(dyad: Dyad) -> Agreement:
    """The new dyad's agreement, drafted from the program's template for the pair to adapt."""
    return Agreement.objects.create(
        dyad=dyad,
        text=dyad.program.agreement_template,
        meeting_frequency=_("At least every %(days)d days") % {"days": dyad.effective_cadence_days},
        communication="",
        confidentiality=_("What we discuss stays between us unless we both agree otherwise."),
        updated_by=dyad.created_by,
    )


@transaction.atomic
def update_agreement(
    *,
    agreement: Agreement,
    by,
    text: str,
    meeting_frequency: str,
    communication: str,
    confidentiality: str,
) -> Agreement:
    """Either side (or an admin) adapts the agreement; both must acknowledge the new version."""
    dyad = agreement.dyad
    in_dyad = dyad.role_of(by) is not None
    require(rules.may_edit_agreement(by, dyad))
    refuse(rules.agreement_refusal(dyad))
    before = audit.snapshot(agreement, AGREEMENT_AUDIT_FIELDS)
    agreement.text, agreement.meeting_frequency = text, meeting_frequency
    agreement.communication, agreement.confidentiality = communication, confidentiality
    agreement.updated_at, agreement.updated_by = timezone.now(), by
    agreement.mentor_acknowledged_at = agreement.mentee_acknowledged_at = None
    agreement.save(
        update_fields=[
            "text",
            "meeting_frequency",
            "communication",
            "confidentiality",
            "updated_at",
            "updated_by",
            "mentor_acknowledged_at",
            "mentee_acknowledged_at",
        ]
    )
    if not in_dyad:  # an admin changed the pair's agreement: that is an admin action
        audit.record(
            program=dyad.program,
            actor=by,
            action="agreement.update",
            summary=_("Edited the agreement of %(dyad)s") % {"dyad": dyad},
            target=dyad,
            before=before,
            after=audit.snapshot(agreement, AGREEMENT_AUDIT_FIELDS),
        )
    return agreement


@transaction.atomic
def acknowledge_agreement(*, agreement: Agreement, by) -> Agreement:
    """The mentor or the mentee acknowledges the current version of their agreement."""
    role = agreement.dyad.role_of(by)
    require(role is not None)
    field = f"{role}_acknowledged_at"
    if getattr(agreement, field) is None:
        setattr(agreement, field, timezone.now())
        agreement.save(update_fields=[field])
    return agreement
