"""The api app's notice kind (an endpoint switched off) and its scheduled jobs (webhook sweeps)."""

from django.utils.translation import gettext_lazy

from mentoring import registry
from mentoring.languages import later
from mentoring.notices.dispatch import notify
from mentoring.notices.planning import Occasion
from mentoring.reminders import HOUR

WEBHOOK_DISABLED = registry.action_notice_kind(
    "webhook_disabled",
    gettext_lazy("Webhook endpoint switched off"),
    roles=("admin",),
    every=5 * 60,
    why="Sent after the commit that switches the endpoint off; the sweep catches a broker outage.",
    always_emailed=True,
)

registry.scheduled_job(
    "send-due-webhooks",
    task="api.tasks.send_due_webhooks",
    every=60,
    why="Retries come due by the minute (the first after 5 seconds goes by countdown); a "
    "delivery a dead worker held is handed out again within a minute of its lease.",
)
registry.scheduled_job(
    "announce-feedback-cycle-dates",
    task="api.tasks.announce_feedback_cycle_dates",
    every=HOUR,
    why="A cycle opens or closes by the date; hourly tells each endpoint within the hour.",
)


def tell_admins_endpoint_disabled(endpoint) -> None:
    """Once, when the endpoint is switched off: every admin of its program."""
    from programs.selectors import program_admins

    program = endpoint.program
    notify(
        kind=WEBHOOK_DISABLED,
        due=[
            Occasion(
                recipient=admin,
                target=endpoint,
                occasion=f"disabled-{endpoint.disabled_at.isoformat()}",
                title=later(
                    gettext_lazy("%(program)s: a webhook endpoint was switched off"),
                    {"program": program},
                ),
                body=later(
                    gettext_lazy(
                        "Deliveries to %(url)s kept failing, so no more events are sent there. Fix "
                        "the receiver, then switch the endpoint on again on the program's webhooks page."
                    ),
                    {"url": endpoint.url},
                ),
                url=endpoint_page(endpoint),
                program_id=program.pk,
            )
            for admin in program_admins(program)
        ],
    )


def endpoint_page(endpoint) -> str:
    from mentoring.addresses import address

    return address("integrations:webhook", endpoint.pk)
