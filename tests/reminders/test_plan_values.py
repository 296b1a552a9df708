"""Planning stores every value as given: quotes, backslashes, braces, commas, the word NULL, line
breaks and non-ASCII in titles, bodies, links and details (on PostgreSQL each column travels as
one array literal, mentoring.notifications._array_text), and empty or missing values as such."""

import pytest

from mentoring.models import Notification
from mentoring.notifications import Occasion, Ref, plan
from programs.models import Program
from tests.builders import make_program, make_user

pytestmark = pytest.mark.django_db

AWKWARD = [
    'a "quoted" title',
    'back\\slash \\\\ and \\" both',
    "{braces}, commas, NULL",
    "NULL",
    "",
    "line one\nline two\r\n\ttabbed",
    "Zoë, Ångström: 会議 — “curly”",
    " leading and trailing ",
]


def test_awkward_values_are_stored_as_given():
    person = make_user()
    program = make_program()
    due = [
        Occasion(
            recipient=person,
            title=text or "untitled",
            target=Ref(Program, program.pk) if n % 2 else None,
            occasion=f"{n}:{text}",
            body=text,
            url=f"/x/{text}",
            program_id=program.pk if n % 3 else None,
            details={"text": text, "n": n} if n % 2 else {},
        )
        for n, text in enumerate(AWKWARD)
    ]
    ids = plan(kind="meeting_tomorrow", due=due)
    assert len(ids) == len(AWKWARD)
    stored = {n.dedupe_key: n for n in Notification.objects.filter(pk__in=ids)}
    for n, occasion in enumerate(due):
        row = stored[occasion.dedupe_key("meeting_tomorrow")]
        assert row.title == occasion.title
        assert row.body == occasion.body
        assert row.url == occasion.url
        assert row.details == occasion.details
        assert row.program_id == occasion.program_id
        assert row.target_id == (program.pk if n % 2 else None)
        assert row.recipient_id == person.pk
        assert row.kind == "meeting_tomorrow"
        assert row.channel == ""
        assert row.attempts == 0
        assert row.created_at is not None
    assert plan(kind="meeting_tomorrow", due=due) == []  # planned again: nothing new


def test_a_value_every_row_shares_is_stored_as_given():
    """A column of one repeated value is quoted once (mentoring.notifications._array_text)."""
    person = make_user()
    body = 'the same "quoted" \\ body, {for} all'
    due = [Occasion(recipient=person, title="same", occasion=str(n), body=body) for n in range(3)]
    ids = plan(kind="meeting_tomorrow", due=due)
    stored = Notification.objects.filter(pk__in=ids)
    assert [(n.title, n.body, n.program_id) for n in stored] == [("same", body, None)] * 3
