"""What a progress report tells the other side of the dyad (issue 23: nothing happens silently).

A report goes to the mentee's current primary mentor (supplemental mentors see no report), its
review back to the mentee: nobody else, not the program's admins. Each notice is planned in the
action's transaction (mentoring.notices.dispatch.notify) and follows the recipient's choice of
e-mail, digest or in-app. The target is the report, so a new report is told again; the service
returns the same report on a double click, and a report is reviewed once, so nothing is sent twice.
"""

from django.utils.translation import gettext_lazy

from goals.models import ProgressReport
from goals.reminders import PROGRESS_REPORT_REVIEWED, PROGRESS_REPORT_SUBMITTED
from mentoring.languages import joined, later
from mentoring.notices.dispatch import notify
from mentoring.notices.planning import Occasion
from mentoring.reminders import day
from programs.models import Dyad


def tell_submitted(report: ProgressReport) -> None:
    """The mentee's primary mentor: a report to read, comment on and mark reviewed."""
    dyad = (
        Dyad.objects.open()
        .filter(kind=Dyad.Kind.PRIMARY, program_id=report.program_id, mentee_id=report.mentee_id)
        .select_related("mentor")
        .first()
    )
    if dyad is None:
        return  # not paired (yet): the report waits for the mentor the program pairs them with
    mentor = dyad.mentor
    submitted_on = day(report.submitted_at.astimezone(mentor.zone).date())
    help_line = [gettext_lazy("They ask for your help.")] if report.help_needed else []
    notify(
        kind=PROGRESS_REPORT_SUBMITTED,
        due=[
            Occasion(
                recipient=mentor,
                target=report,
                occasion="submitted",
                title=later(
                    gettext_lazy("%(mentee)s sent you a progress report"), {"mentee": report.mentee}
                ),
                body=joined(
                    " ",
                    [
                        later(gettext_lazy("Submitted on %(day)s."), {"day": submitted_on}),
                        *help_line,
                        gettext_lazy("Read it, comment, and mark it reviewed."),
                    ],
                ),
                url=report.get_absolute_url(),
                program_id=report.program_id,
            )
        ],
    )


def tell_reviewed(report: ProgressReport) -> None:
    """The mentee: their mentor has read and reviewed the report."""
    mentee = report.mentee
    reviewed_on = day(report.reviewed_at.astimezone(mentee.zone).date())
    notify(
        kind=PROGRESS_REPORT_REVIEWED,
        due=[
            Occasion(
                recipient=mentee,
                target=report,
                occasion="reviewed",
                title=later(
                    gettext_lazy("%(mentor)s reviewed your progress report"),
                    {"mentor": report.reviewed_by},
                ),
                body=later(
                    gettext_lazy("Reviewed on %(day)s. Any comments are on the report's page."),
                    {"day": reviewed_on},
                ),
                url=report.get_absolute_url(),
                program_id=report.program_id,
            )
        ],
    )
