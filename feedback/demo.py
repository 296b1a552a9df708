"""Demo feedback: a closed cycle with both sides revealed, an open cycle with mentee@example.com's
request pending, a confidential note, and one dyad on the attention list. Idempotent."""

import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from feedback import services
from feedback.models import (
    FeedbackCycle,
    FeedbackRequest,
    FeedbackResponse,
    Quality,
    Rating,
)
from programs.models import Dyad, Program


def _answer(feedback_request: FeedbackRequest, *, scores: list[int], **fields) -> FeedbackResponse:
    answers = {
        "ratings": {q.value: s for q, s in zip(feedback_request.qualities, scores, strict=True)},
        "meeting_frequency": "right",
        "working": "continue",
        **fields,
    }
    return services.submit_feedback(
        feedback_request=feedback_request, by=feedback_request.author, answers=answers
    )


@transaction.atomic
def seed(world) -> None:
    program = world.program_a
    if program.feedback_cycles.exists():
        return
    admin, today = world["admin"], timezone.localdate()
    main = Dyad.objects.get(
        program=program, mentor=world["mentor"], mentee=world["mentee"], status="active"
    )
    supervised = Dyad.objects.get(
        program=program, mentor=world["mentor2"], mentee=world["mentee2"], kind="primary"
    )

    # Last autumn's cycle, answered by both sides of the main dyad and now closed: revealed.
    past = services.open_cycle(
        program=program,
        by=admin,
        name="Autumn feedback",
        opens=today,
        due=today,
        closes=today,
    )
    _answer(
        past.requests.get(dyad=main, author_role="mentee"),
        scores=[5, 4, 5, 3, 5, 4, 5, 4, 4],
        strengths="Always prepared; her comments on my K-award aims were specific and kind.",
        areas_to_grow="Hard to reach between meetings; a shared calendar would help.",
        meeting_frequency="too_rarely",
    )
    _answer(
        past.requests.get(dyad=main, author_role="mentor"),
        scores=[5, 4, 5, 3, 4, 4, 5, 4, 5],
        strengths="Sets clear agendas and follows up on every action item.",
        areas_to_grow="Say no to more committee work; protect writing time.",
        working="adjust",
    )
    # Move it into the past, answers included: the services only accept answers while open.
    six_months_ago = today - timedelta(days=182)
    FeedbackCycle.objects.filter(pk=past.pk).update(
        opens=six_months_ago,
        due=six_months_ago + timedelta(days=21),
        closes=six_months_ago + timedelta(days=28),
    )
    answered = timezone.now() - timedelta(days=170)
    FeedbackResponse.objects.filter(request__cycle=past).update(
        created_at=answered, updated_at=answered, submitted_at=answered
    )
    FeedbackRequest.objects.filter(cycle=past, submitted_at__isnull=False).update(
        submitted_at=answered
    )

    # This spring's cycle: the mentor has answered, the mentee's request is pending.
    current = services.open_cycle(
        program=program,
        by=admin,
        name="Spring feedback",
        opens=today - timedelta(days=7),
        due=today + timedelta(days=14),
        closes=today + timedelta(days=21),
    )
    services.add_cycle_question(
        cycle=current,
        by=admin,
        text="How useful were your meetings for your career plans?",
        kind="scale",
    )
    _answer(
        current.requests.get(dyad=main, author_role="mentor"),
        scores=[5, 5, 4, 4, 4, 3, 5, 4, 5],
        strengths="The R01 resubmission went out on time; great persistence.",
        areas_to_grow="Delegate data cleaning to the new research assistant.",
    )
    # The supervised mentee uses the confidential channel: the dyad goes on the attention list.
    _answer(
        current.requests.get(dyad=supervised, author_role="mentee"),
        scores=[4, 3, 4, 3, 4, 4, 3, 4, 3],
        strengths="Knows the division inside out.",
        areas_to_grow="Our meetings drift into clinical scheduling.",
        role_clarity="blurred",
        working="adjust",
        note=(
            "Dr. Director is also my division chief. In our meetings I often can't tell whether "
            "I'm talking to my mentor or my boss, and I don't feel I can raise it with him."
        ),
    )


@transaction.atomic
def seed_load(program: Program) -> None:
    """A closed cycle in the load program with both sides of every dyad answered."""
    if program.feedback_cycles.exists():
        return
    today = timezone.localdate()
    opens = today - timedelta(days=60)
    cycle = FeedbackCycle.objects.create(
        program=program,
        name="Load cycle",
        opens=opens,
        due=opens + timedelta(days=21),
        closes=opens + timedelta(days=28),
    )
    services._open_cycle_requests(cycle)
    now = timezone.now() - timedelta(days=40)
    rng = random.Random(program.pk)
    requests = list(cycle.requests.all())
    responses = FeedbackResponse.objects.bulk_create(
        FeedbackResponse(
            request=r,
            status=FeedbackResponse.Status.SUBMITTED,
            submitted_at=now,
            meeting_frequency="right",
            working="continue",
            strengths="Reliable and well prepared.",
        )
        for r in requests
    )
    FeedbackRequest.objects.filter(cycle=cycle).update(submitted_at=now)
    Rating.objects.bulk_create(
        Rating(response=response, quality=Quality(q).value, score=rng.randint(3, 5))
        for response, feedback_request in zip(responses, requests, strict=True)
        for q in feedback_request.qualities
    )
