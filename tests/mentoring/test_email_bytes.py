"""mentoring.emails.BuiltEmail flattens to the very bytes Django's EmailMultiAlternatives gives, only
cheaper: the same headers folded the same way, the same MIME boundaries (drawn from the same
random numbers, in the same order), the same bodies, for short and long, ASCII and non-ASCII
headers, long lines, attachments, and a body that holds the boundary the generator would draw."""

import random
import sys
from email.mime.text import MIMEText

import pytest
from django.core.mail import EmailMultiAlternatives

from mentoring.emails import BuiltEmail

HEADERS = {"Date": "Wed, 02 Dec 2026 12:00:00 -0000", "Message-ID": "<notice-1-abc@example.org>"}


def _ics() -> MIMEText:
    part = MIMEText("BEGIN:VCALENDAR\r\nSUMMARY:Été\r\nEND:VCALENDAR\r\n", "calendar", "utf-8")
    part.set_param("method", "REQUEST")
    part.add_header("Content-Disposition", "attachment", filename="meeting.ics")
    return part


def _pair(*, subject, body, html, to, headers=(), attach=False, seed=0, **fields):
    """The message flattened by Django's class and by BuiltEmail, each after the same random seed."""
    out = []
    for cls in (EmailMultiAlternatives, BuiltEmail):
        message = cls(
            subject=subject,
            body=body,
            to=to and [to],
            headers={**HEADERS, **dict(headers)},
            **fields,
        )
        if html is not None:
            message.attach_alternative(html, "text/html")
        if attach:
            message.attach(_ics())
        random.seed(seed)
        mime = message.message()
        flattened = (mime.as_bytes(), mime.as_bytes(linesep="\r\n"), mime.as_string())
        out.append(flattened)
    return out


CASES = [
    ("[Mentoring] Meeting tomorrow", "Hello Sam,\n\nSee you.\n", "<p>Hi</p>", "sam@example.org"),
    (
        "[Mentoring] Meeting tomorrow with Bench 1: Thu 3 Dec 2026, 09:00 UTC and a title that "
        "goes on well past one line of a header",
        "Hello,\n" + "x" * 1200 + "\n",  # a line too long for 8bit: quoted-printable
        "<p>" + "&lt;b&gt; " * 200 + "</p>",
        "sam@example.org",
    ),
    (
        "[Mentoring] Réunion demain avec Zoë Ångström: jeu. 3 déc. 2026",
        "Bonjour Zoë,\n\nÀ demain.\n",
        "<p>Bonjour Zoë</p>",
        "Zoë Ångström <zoe@example.org>",
    ),
    ("  spaced   subject  ", "", "<p></p>", "a@example.org"),
    ("[Mentoring] 会議 明日", "本文\n", "<p>本文</p>", "taro@example.jp"),
]


@pytest.mark.parametrize("attach", [False, True])
@pytest.mark.parametrize(("subject", "body", "html", "to"), CASES)
def test_the_same_bytes_as_djangos_message(subject, body, html, to, attach):
    extra = {"X-Mentoring-Notice": "meeting_tomorrow:12:meetings.meeting:34:2026-12-03T09:00:00"}
    for seed in range(5):
        django_bytes, email_bytes = _pair(
            subject=subject, body=body, html=html, to=to, headers=extra, attach=attach, seed=seed
        )
        assert email_bytes == django_bytes


def test_a_body_holding_the_drawn_boundary_gets_another_one_as_djangos_does():
    seed = 7
    random.seed(seed)
    drawn = "=" * 15 + f"%0{len(repr(sys.maxsize - 1))}d" % random.randrange(sys.maxsize) + "=="
    body = f"Quoting a message:\n--{drawn}\nend\n"
    django_bytes, email_bytes = _pair(
        subject="Boundary", body=body, html="<p>x</p>", to="a@example.org", seed=seed
    )
    assert email_bytes == django_bytes
    assert f'boundary="{drawn}.0"'.encode() in email_bytes[0]


def test_every_header_folds_as_compat32_does():
    """The quick path is taken only where compat32's folding returns the header unchanged."""
    from email.policy import compat32

    from mentoring.emails import QUICK_FOLDING

    rnd = random.Random(1)
    alphabet = "abcXYZ019 .,:;<>@()[]\"'=?-_/\\     "
    for _ in range(20_000):
        name = rnd.choice(["Subject", "To", "X-Mentoring-Notice", "X" * rnd.randint(1, 70)])
        value = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 100)))
        for linesep in ("\n", "\r\n"):
            reference = compat32.clone(linesep=linesep)
            quick = QUICK_FOLDING.clone(linesep=linesep)
            assert quick.fold(name, value) == reference.fold(name, value)
            assert quick.fold_binary(name, value) == reference.fold_binary(name, value)


HEADER_CASES = [
    {"subject": "x" * 78},  # the longest Subject stored as it is
    {"subject": "x" * 79},
    {"subject": "word " * 15 + "end"},
    {"subject": "tab\there"},
    {"subject": "vertical\x0btab"},
    {"subject": ""},
    {"to": "", "headers": {"To": "Override <o@example.org>"}},
    {"headers": {"To": ""}},
    {"cc": ["c@example.org", "Zoë <z@example.org>"], "reply_to": ["r@example.org"]},
    {"from_email": "Ément <e@example.org>"},
    {"headers": {"From": "Other <other@example.org>", "Reply-To": "rt@example.org"}},
    {"headers": {"X-Long": "v" * 200, "X-Spaces": "a  b   c ", "X-Empty": ""}},
    {"html": None},  # the text part alone: it is the message
    {"html": None, "body": "Zoë\n"},
    {"html": None, "body": "y" * 1000},
]


@pytest.mark.parametrize("case", HEADER_CASES)
def test_the_same_bytes_whatever_the_headers(case):
    fields = {"subject": "Hello", "body": "Hello\n", "html": "<p>Hello</p>", "to": "a@example.org"}
    fields.update(case)
    for attach in (False, True):
        django_bytes, email_bytes = _pair(**fields, attach=attach, seed=3)
        assert email_bytes == django_bytes


def test_a_line_break_in_a_header_is_refused_as_django_refuses_it():
    from django.core.mail import BadHeaderError

    for cls in (EmailMultiAlternatives, BuiltEmail):
        with pytest.raises(BadHeaderError):
            cls(subject="two\nlines", body="x", to=["a@example.org"]).message()
        with pytest.raises(BadHeaderError):
            cls(body="x", to=["a@example.org"], headers={"X-A": "b\r\nBcc: c@x.org"}).message()


def test_a_subject_stored_as_it_is_is_what_header_encoding_gives():
    from email.header import Header

    rnd = random.Random(2)
    alphabet = "abcXYZ019 .,:;<>@()[]\"'=?-_/\\     "
    for _ in range(20_000):
        value = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 78)))
        assert Header(value).encode() == value


def test_a_long_header_folds_as_compat32_folds_it_even_after_one_of_its_shape():
    """A long header is folded from the last value of its shape (mentoring.emails._QuickFolding):
    two values of one shape, each folded as compat32 folds it, at several line lengths."""
    import string
    from email.policy import compat32

    from mentoring.emails import QUICK_FOLDING

    rnd = random.Random(7)
    alphabet = string.ascii_letters + string.digits + string.punctuation + "     "
    others = [
        c for c in string.ascii_letters + string.digits + string.punctuation if c not in ",;:"
    ]
    for _ in range(3_000):
        name = rnd.choice(
            ["Subject", "X-Mentoring-Notice", "Content-Type", "X" * rnd.randint(1, 80)]
        )
        first = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 200)))
        if rnd.random() < 0.3:
            first = first.replace(" ", "; ")
        if rnd.random() < 0.2:
            first = f" {first} "
        second = "".join(rnd.choice(others) if c not in " ,;:" else c for c in first)
        for linesep, length in (("\n", 78), ("\r\n", 78), ("\n", 30)):
            reference = compat32.clone(linesep=linesep, max_line_length=length)
            quick = QUICK_FOLDING.clone(linesep=linesep, max_line_length=length)
            for value in (first, second):
                assert _folded(quick, name, value) == _folded(reference, name, value)


def _folded(policy, name, value):
    try:
        return policy.fold(name, value), policy.fold_binary(name, value)
    except Exception as error:  # compat32 refuses what looks like a header after a break
        return type(error)
