"""The one way tests build data: small builders that go through the app's own services."""

import itertools

from allauth.account.models import EmailAddress

from mentoring.models import User
from programs.models import Dyad, Membership, Program
from programs.services.dyads import create_dyad

PASSWORD = "a-long-test-password-42"
_counter = itertools.count(1)


def make_user(email: str | None = None, **profile) -> User:
    email = email or f"person{next(_counter)}@example.org"
    profile.setdefault("name", email.split("@")[0].replace(".", " ").title())
    user = User.objects.create_user(email, PASSWORD, **profile)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def make_program(name: str = "Test Program", **fields) -> Program:
    fields.setdefault("slug", f"program-{next(_counter)}")
    return Program.objects.create(name=name, **fields)


def add_member(program: Program, user: User, role: str, capacity: int | None = None) -> Membership:
    return Membership.objects.create(program=program, user=user, role=role, capacity=capacity)


def make_admin(program: Program, **profile) -> User:
    user = make_user(**profile)
    add_member(program, user, Membership.Role.ADMIN)
    return user


def make_dyad(
    program: Program,
    *,
    mentor: User | None = None,
    mentee: User | None = None,
    by: User | None = None,
    **kwargs,
) -> Dyad:
    """A dyad between two (new, unless given) members, created the way an admin would."""
    if mentor is None:
        mentor = make_user()
    if mentee is None:
        mentee = make_user()
    for user, role in ((mentor, Membership.Role.MENTOR), (mentee, Membership.Role.MENTEE)):
        Membership.objects.get_or_create(program=program, user=user, role=role)
    if by is None:
        by = program.memberships.filter(role=Membership.Role.ADMIN).first().user
    return create_dyad(program=program, mentor=mentor, mentee=mentee, by=by, **kwargs)


def add_dyads(program: Program, count: int) -> list[Dyad]:
    return [make_dyad(program) for _ in range(count)]


def download_my_data(client) -> bytes:
    """The signed-in person asks for their data export (a worker builds it after commit: eager
    here), then downloads it from the file storage, as the "My data" page does."""
    from django.test import TestCase
    from django.urls import reverse

    with TestCase.captureOnCommitCallbacks(execute=True):
        assert client.post(reverse("my_data_export")).status_code == 302
    response = client.get(reverse("my_data_zip"))
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "application/zip"
    return b"".join(response.streaming_content)


def export_of(user: User):
    """The person's data export as the worker writes it (a ZipFile to read)."""
    import io
    import zipfile

    from mentoring.privacy import write_export_zip

    buffer = io.BytesIO()
    write_export_zip(user, buffer)
    return zipfile.ZipFile(buffer)
