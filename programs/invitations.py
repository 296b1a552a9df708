"""How people join a program: a program admin invites an e-mail address with a role, the link in the
e-mail lets them in. Nobody signs up uninvited (mentoring.adapters).

Only the sha256 of a link's token is stored: a database leak gives nobody a working link. Accepting
is the proof that the address belongs to the person, so their address counts as verified.
"""

import hashlib
import logging
import secrets
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from mentoring.access import require
from mentoring.emails import absolute, build_email
from mentoring.languages import in_language_of
from mentoring.models import User
from programs import audit
from programs.models import Invitation, Membership, Profile, Program
from programs.selectors import is_program_admin
from programs.spreadsheet import split_cells

log = logging.getLogger(__name__)

INVITATION_AUDIT_FIELDS = ["email", "name", "role", "capacity", "expires_at", "accepted_at"]
MAX_BULK_ROWS = 500


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def normalize_email(email: str) -> str:
    return email.strip().lower()


def account_exists(email: str) -> bool:
    return User.objects.filter(email__iexact=normalize_email(email)).exists()


def invitation_path(token: str) -> str:
    return reverse("programs:accept_invitation", args=[token])


# ---------------------------------------------------------------------------------------------
# Inviting


def _check_invitable(*, program: Program, email: str, role: str) -> None:
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError(
            _("“%(email)s” is not an e-mail address.") % {"email": email}, code="bad_email"
        ) from None
    if role not in Membership.Role.values:
        raise ValidationError(
            _("“%(role)s” is not a role: use admin, mentor or mentee.") % {"role": role},
            code="bad_role",
        )
    if Membership.objects.filter(program=program, role=role, user__email__iexact=email).exists():
        raise ValidationError(
            _("%(email)s is already a %(role)s in %(program)s: there is nothing to invite.")
            % {
                "email": email,
                "role": Membership.Role(role).label.lower(),
                "program": program,
            },
            code="already_member",
        )


def _revoke_older(*, program: Program, by: User, email: str, role: str, now) -> None:
    """The newest link wins: pending invitations of the same address and role stop working now."""
    for older in Invitation.objects.select_for_update().filter(
        program=program, email__iexact=email, role=role, accepted_at=None, expires_at__gt=now
    ):
        before = audit.snapshot(older, INVITATION_AUDIT_FIELDS)
        older.expires_at = now
        older.save(update_fields=["expires_at"])
        audit.record(
            program=program,
            actor=by,
            action="invitation.revoke",
            summary=_("Withdrew the earlier invitation of %(email)s (a new one replaces it)")
            % {"email": email},
            target=older,
            before=before,
            after=audit.snapshot(older, INVITATION_AUDIT_FIELDS),
        )


def _link(token: str, base_url: str) -> str:
    """The invitation's link: under `base_url` if given, else under SITE_URL.

    Links in e-mails point at SITE_URL (mentoring.emails.absolute), whichever host was asked."""
    if base_url:
        return base_url.rstrip("/") + invitation_path(token)
    return absolute(invitation_path(token))


@transaction.atomic
def invite_member(
    *,
    program: Program,
    by: User,
    email: str,
    role: str,
    name: str = "",
    capacity: int | None = None,
    base_url: str = "",
) -> Invitation:
    """Invite one address into the program with a role, and e-mail the link after commit.

    An older pending invitation for the same program, address and role stops working (the newest
    link wins). The returned invitation carries the plain token in `.token` (never stored) for
    whoever needs the link; `base_url` (e.g. "https://mentoring.example.org/") makes the e-mailed
    link absolute. After the commit, `.email_sent` says whether the mail server took the e-mail
    (False: the caller shows the admin `.link` to pass on; None: not committed yet).
    """
    require(is_program_admin(by, program))
    email = normalize_email(email)
    name = name.strip()
    _check_invitable(program=program, email=email, role=role)
    if capacity is not None and role != Membership.Role.MENTOR:
        raise ValidationError(_("Only mentors have a capacity."), code="capacity")
    now = timezone.now()
    _revoke_older(program=program, by=by, email=email, role=role, now=now)
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        program=program,
        email=email,
        name=name,
        role=role,
        capacity=capacity,
        token_hash=hash_token(token),
        invited_by=by,
        created_at=now,
        expires_at=now + timedelta(days=settings.INVITATION_VALID_DAYS),
    )
    after = audit.snapshot(invitation, INVITATION_AUDIT_FIELDS)
    audit.record(
        program=program,
        actor=by,
        action="invitation.create",
        summary=_("Invited %(email)s as %(role)s")
        % {"email": email, "role": invitation.get_role_display()},
        target=invitation,
        after=after,
    )
    invitation.token = token
    invitation.link = _link(token, base_url)
    invitation.email_sent = None  # unknown until the commit: see _send_after_commit
    transaction.on_commit(lambda: _send_after_commit(invitation))
    return invitation


def _send_after_commit(invitation: Invitation) -> None:
    """The invitation is saved: a mail server that refuses now must not turn that into an error
    page. `email_sent` tells the caller; the view then shows the admin the link to pass on. The
    link is not kept anywhere (only its token's hash is), so a later retry could not rebuild it."""
    try:
        send_invitation_email(invitation=invitation, link=invitation.link)
    except Exception:
        log.exception("invitation %s saved, its e-mail could not be sent", invitation.pk)
        invitation.email_sent = False
    else:
        invitation.email_sent = True


def send_invitation_email(*, invitation: Invitation, link: str) -> None:
    invitee = (
        User.objects.filter(email__iexact=normalize_email(invitation.email))
        .only("language")
        .first()
    )
    # Someone with an account reads it in their language; a newcomer in the inviting admin's.
    with in_language_of(invitee) if invitee and invitee.language else nullcontext():
        context = {
            "invitation": invitation,
            "program": invitation.program,
            "invited_by": invitation.invited_by,
            "role": invitation.get_role_display(),
            "link": absolute(link),
            "expires_at": invitation.expires_at,
            "has_account": invitee is not None,
        }
        # The invitee has no zone of ours yet: the inviting admin's is the best guess.
        message = build_email(
            to=invitation.email,
            template="emails/invitation",
            context=context,
            zone=invitation.invited_by.zone if invitation.invited_by else None,
        )
    message.send()


# ---------------------------------------------------------------------------------------------
# Inviting many at once: parse, plan (the preview), then invite all in one transaction


@dataclass(frozen=True)
class PlannedRow:
    line: int
    email: str
    name: str
    role: str
    # new_person (unknown to the admin's programs: whether they have an account elsewhere is not
    # the admin's business), new_role (a member of one of the admin's programs), member (nothing
    # to do) or error
    outcome: str
    reason: str = ""

    @property
    def is_error(self) -> bool:
        return self.outcome == "error"

    @property
    def will_invite(self) -> bool:
        return self.outcome in ("new_person", "new_role")


def parse_invite_rows(text: str) -> list[tuple[int, str, str, str]]:
    """Lines of `email, name, role` (comma, semicolon or tab separated; a header line is skipped)
    as (line number, email, name, role). Blank lines are ignored; a line may leave out the name."""
    rows = []
    for number, line in enumerate(text.splitlines(), start=1):
        cells = split_cells(line)
        if not any(cells):
            continue
        if not rows and cells[0].lower() in ("email", "e-mail", "e-mail address", "email address"):
            continue  # the header
        if len(cells) == 2:
            cells = [cells[0], "", cells[1]]  # email, role
        cells += [""] * (3 - len(cells))
        rows.append((number, cells[0], cells[1], ", ".join(c for c in cells[2:] if c)))
    return rows


def _row_error(*, email: str, role: str, raw_role: str, earlier: int | None) -> str:
    """Why a row of the list cannot be invited ("" if it can): `earlier`, the line that already
    invites the same address in the same role."""
    if not email:
        return _("No e-mail address.")
    try:
        validate_email(email)
    except ValidationError:
        return _("“%(email)s” is not an e-mail address.") % {"email": email}
    if not role:
        if not raw_role:
            return _("No role: add admin, mentor or mentee.")
        return _("Unknown role “%(role)s”: use admin, mentor or mentee.") % {"role": raw_role}
    if earlier is not None:
        return _("Duplicate: line %(line)d already invites this address in this role.") % {
            "line": earlier
        }
    return ""


def plan_bulk_invite(
    *, program: Program, by: User, rows: list[tuple[int, str, str, str]]
) -> list[PlannedRow]:
    """What inviting each row would do, without doing it, as far as the programs `by` administers
    know: an account that belongs only to other programs looks like anybody new. Three queries,
    however many rows."""
    emails = {normalize_email(email) for _line, email, _name, _role in rows}
    known = {
        email.lower()
        for email in Membership.objects.filter(
            program__in=Program.objects.administered_by(by), user__email__in=emails
        ).values_list("user__email", flat=True)
    }
    held = set(
        Membership.objects.filter(program=program, user__email__in=emails).values_list(
            "user__email", "role"
        )
    )
    roles = {value.lower(): value for value in Membership.Role.values}
    roles.update({label.lower(): value for value, label in Membership.Role.choices})
    seen: dict[tuple[str, str], int] = {}
    planned = []
    for line, raw_email, name, raw_role in rows:
        email = normalize_email(raw_email)
        role = roles.get(raw_role.strip().lower(), "")
        reason = _row_error(
            email=email, role=role, raw_role=raw_role, earlier=seen.get((email, role))
        )
        if reason:
            outcome = "error"
        else:
            seen[(email, role)] = line
            if (email, role) in held:
                outcome = "member"
            elif email in known:
                outcome = "new_role"
            else:
                outcome = "new_person"
        planned.append(PlannedRow(line, email, name, role or raw_role, outcome, reason))
    return planned


@transaction.atomic
def invite_members(
    *, program: Program, by: User, rows: list[tuple[int, str, str, str]], base_url: str = ""
) -> list[Invitation]:
    """Invite every row, or nobody: one bad row refuses the whole list (nothing is half-imported).
    Rows of people already in that role are skipped. E-mails go out only after the commit."""
    require(is_program_admin(by, program))
    if not rows:
        raise ValidationError(_("There is nobody to invite."))
    if len(rows) > MAX_BULK_ROWS:
        raise ValidationError(
            _("At most %(max)d people at once; split the list.") % {"max": MAX_BULK_ROWS}
        )
    planned = plan_bulk_invite(program=program, by=by, rows=rows)
    errors = [row for row in planned if row.is_error]
    if errors:
        raise ValidationError(
            _("%(count)d bad rows: fix them and preview again. Nobody was invited.")
            % {"count": len(errors)}
        )
    return [
        invite_member(
            program=program,
            by=by,
            email=row.email,
            name=row.name,
            role=row.role,
            base_url=base_url,
        )
        for row in planned
        if row.will_invite
    ]


# ---------------------------------------------------------------------------------------------
# Accepting


def invitation_for_token(token: str) -> Invitation | None:
    """The invitation a link's token opens, or None. Knowing the token is the access rule here."""
    return (
        Invitation.objects.filter(token_hash=hash_token(token))
        .select_related("program", "invited_by")
        .first()
    )


def invitation_state(invitation: Invitation | None) -> str:
    """ "unknown", "used", "replaced" (a newer invitation was sent), "expired" or "valid"."""
    if invitation is None:
        return "unknown"
    if invitation.accepted_at is not None:
        return "used"
    if invitation.is_expired:
        newer = Invitation.objects.filter(
            program=invitation.program_id,
            email__iexact=invitation.email,
            role=invitation.role,
            created_at__gt=invitation.created_at,
        )
        return "replaced" if newer.exists() else "expired"
    return "valid"


def _claim(invitation: Invitation) -> Invitation:
    """Lock the invitation row: of two accepts at once, the second sees it used."""
    locked = Invitation.objects.select_for_update().select_related("program").get(pk=invitation.pk)
    if locked.accepted_at is not None:
        raise ValidationError(_("This invitation has already been used."), code="used")
    if locked.is_expired:
        raise ValidationError(_("This invitation has expired."), code="expired")
    return locked


@transaction.atomic
def accept_invitation(*, invitation: Invitation, user: User) -> Membership:
    """The signed-in person whose address was invited takes on the role. Using the link proves the
    address, so it counts as verified."""
    invitation = _claim(invitation)
    if normalize_email(user.email) != normalize_email(invitation.email):
        raise ValidationError(
            _("This invitation is for %(email)s.") % {"email": invitation.email}, code="other_user"
        )
    membership, _created = Membership.everyone.get_or_create(
        program=invitation.program,
        user=user,
        role=invitation.role,
        defaults={
            "capacity": invitation.capacity if invitation.role == Membership.Role.MENTOR else None
        },
    )
    if membership.deactivated_at is not None:  # a deactivated member invited back takes the role up
        membership.deactivated_at = None
        membership.save(update_fields=["deactivated_at"])
    # A newcomer fills in their profile at their first sign-in (programs/onboarding.py).
    Profile.objects.get_or_create(user=user)
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    address = EmailAddress.objects.filter(user=user, email__iexact=user.email).first()
    if address is None:
        EmailAddress.objects.create(
            user=user,
            email=user.email,
            verified=True,
            primary=not EmailAddress.objects.filter(user=user, primary=True).exists(),
        )
    elif not address.verified:
        address.verified = True
        address.save(update_fields=["verified"])
    audit.record(
        program=invitation.program,
        actor=user,
        action="membership.create",
        summary=_("%(user)s accepted the invitation and joined as %(role)s")
        % {"user": user, "role": invitation.get_role_display()},
        target=membership,
        after={"user": user.pk, "role": membership.role, "capacity": membership.capacity},
    )
    return membership


@transaction.atomic
def accept_invitation_as_new_user(*, invitation: Invitation, name: str, password: str) -> User:
    """A person without an account: create it (name, password; the address verified and primary)
    and take on the role. The caller has validated the password."""
    invitation = _claim(invitation)
    if account_exists(invitation.email):
        raise ValidationError(
            _("An account with this e-mail address exists already: sign in to accept."),
            code="has_account",
        )
    try:
        with transaction.atomic():
            user = User.objects.create_user(invitation.email, password, name=name.strip())
    except IntegrityError as error:  # created a moment ago by a second click
        raise ValidationError(
            _("An account with this e-mail address exists already: sign in to accept."),
            code="has_account",
        ) from error
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    accept_invitation(invitation=invitation, user=user)
    return user
