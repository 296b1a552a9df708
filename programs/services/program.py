"""What a program admin does to the program itself: its settings, and a failed notice sent again."""

from django.db import transaction
from django.utils.translation import gettext as _

from mentoring.access import require
from mentoring.models import Notification
from mentoring.notices import dispatch
from programs import audit, rules
from programs.models import PROGRAM_SETTINGS_FIELDS, Program


@transaction.atomic
def update_program_settings(*, program: Program, by, **values) -> Program:
    """A program admin changes the program's rhythm and rules; new dyads copy the new template."""
    require(rules.administers(by, program))
    unknown = set(values) - set(PROGRAM_SETTINGS_FIELDS)
    if unknown:
        raise TypeError(f"not program settings: {sorted(unknown)}")
    before = audit.snapshot(program, PROGRAM_SETTINGS_FIELDS)
    for name, value in values.items():
        setattr(program, name, value)
    program.save(update_fields=list(values))
    after = audit.snapshot(program, PROGRAM_SETTINGS_FIELDS)
    if after != before:
        audit.record(
            program=program,
            actor=by,
            action="program.settings",
            summary=_("Changed the settings of %(program)s") % {"program": program},
            target=program,
            before=before,
            after=after,
        )
    return program


@transaction.atomic
def send_notice_again(*, notification: Notification, by) -> Notification:
    """A program admin sends a failed notice again, after fixing what made it fail."""
    require(notification.program_id is not None and rules.administers(by, notification.program))
    return dispatch.resend(notification=notification)
