"""Inviting people into a program (one, or many with a preview) and accepting an invitation."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.core import signing
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from programs import onboarding
from programs.access import program_for_admin
from programs.invitations import (
    accept_invitation,
    accept_invitation_as_new_user,
    account_exists,
    invitation_for_token,
    invitation_state,
    invite_member,
    invite_members,
    plan_bulk_invite,
)
from programs.member_forms import BulkInviteForm, InviteForm, NewAccountForm

BULK_SALT = "programs.invite_bulk"
BULK_MAX_AGE = 60 * 60  # a preview older than an hour is previewed again


def _warn_unsent(request, invitations) -> bool:
    """Tell the admin which invitations were saved but not e-mailed, with each link to pass on.
    The caller renders the page at once (no redirect): the message is shown in this response only
    and never stored, because the link is the token itself and exists nowhere else."""
    unsent = [invitation for invitation in invitations if invitation.email_sent is False]
    for invitation in unsent:
        messages.warning(
            request,
            _(
                "The invitation of %(email)s is saved, but the e-mail could not be sent. Copy this "
                "link and send it to them yourself (it works until %(date)s and is shown only "
                "now): %(link)s"
            )
            % {
                "email": invitation.email,
                "date": invitation.expires_at.date(),
                "link": invitation.link,
            },
        )
    return bool(unsent)


def invite(request, slug):
    program = program_for_admin(request.user, slug=slug)
    form = InviteForm(request.POST or None)
    if form.is_valid():
        try:
            invitation = invite_member(program=program, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            field = "email" if getattr(error, "code", None) == "already_member" else None
            form.add_error(field, error)
        else:
            if _warn_unsent(request, [invitation]):
                return render(
                    request, "programs/invite.html", {"program": program, "form": InviteForm()}
                )
            messages.success(
                request,
                _("Invitation sent to %(email)s. The link works until %(date)s.")
                % {"email": invitation.email, "date": invitation.expires_at.date()},
            )
            return redirect("programs:members", program.slug)
    return render(request, "programs/invite.html", {"program": program, "form": form})


def _preview(request, program, form, rows, *, status=200):
    planned = plan_bulk_invite(program=program, by=request.user, rows=rows)
    errors = [row for row in planned if row.is_error]
    to_invite = [row for row in planned if row.will_invite]
    payload = signing.dumps({"program": program.pk, "rows": rows}, salt=BULK_SALT, compress=True)
    return render(
        request,
        "programs/invite_bulk_preview.html",
        {
            "program": program,
            "form": form,
            "planned": planned,
            "errors": errors,
            "to_invite": to_invite,
            "payload": payload,
        },
        status=status,
    )


def invite_bulk(request, slug):
    program = program_for_admin(request.user, slug=slug)
    if request.method == "POST" and "payload" in request.POST:
        return _confirm_bulk(request, program)
    form = BulkInviteForm(request.POST or None, request.FILES or None)
    if form.is_valid():
        rows = [list(row) for row in form.cleaned_data["rows"]]
        # The list goes back into the text box, so an uploaded file can be corrected there.
        edit_form = BulkInviteForm(initial={"text": form.cleaned_data["source"]})
        return _preview(request, program, edit_form, rows)
    return render(request, "programs/invite_bulk.html", {"program": program, "form": form})


def _confirm_bulk(request, program):
    try:
        data = signing.loads(request.POST["payload"], salt=BULK_SALT, max_age=BULK_MAX_AGE)
    except signing.BadSignature:
        messages.error(
            request, _("That preview is too old or was changed: preview the list again.")
        )
        return redirect("programs:invite_bulk", program.slug)
    if data.get("program") != program.pk:
        messages.error(
            request, _("That preview belongs to another program: preview the list again.")
        )
        return redirect("programs:invite_bulk", program.slug)
    rows = [tuple(row) for row in data["rows"]]
    try:
        invitations = invite_members(program=program, by=request.user, rows=rows)
    except ValidationError as error:
        # Something changed since the preview (or the list had bad rows): show it again, as it is now.
        messages.error(request, " ".join(error.messages))
        text = "\n".join(", ".join(row[1:]) for row in rows)
        return _preview(
            request, program, BulkInviteForm(initial={"text": text}), [list(r) for r in rows]
        )
    if _warn_unsent(request, invitations):
        return render(
            request, "programs/invite_bulk.html", {"program": program, "form": BulkInviteForm()}
        )
    messages.success(
        request,
        _("%(count)d invitations sent.") % {"count": len(invitations)}
        if invitations
        else _("Everybody on the list is a member already: nobody was invited."),
    )
    return redirect("programs:members", program.slug)


@login_not_required
@never_cache
def accept(request, token):
    invitation = invitation_for_token(token)
    state = invitation_state(invitation)
    if state != "valid":
        return render(
            request,
            "programs/invitation_invalid.html",
            {"state": state, "invitation": invitation},
            status=410,
        )
    context = {"invitation": invitation, "program": invitation.program}
    user = request.user
    if user.is_authenticated:
        if user.email.lower() != invitation.email.lower():
            return render(request, "programs/invitation_other_user.html", context, status=403)
        if request.method == "POST":
            try:
                accept_invitation(invitation=invitation, user=user)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
                return redirect(request.path)
            onboarding.note(request, user)
            messages.success(
                request,
                _("You joined %(program)s as %(role)s.")
                % {"program": invitation.program, "role": invitation.get_role_display().lower()},
            )
            return redirect("home")
        return render(request, "programs/invitation_accept.html", context)
    if account_exists(invitation.email):
        # An existing account: signing in proves who they are, then one click accepts.
        return render(request, "programs/invitation_sign_in.html", context)
    form = NewAccountForm(
        request.POST or None, email=invitation.email, initial={"name": invitation.name}
    )
    if form.is_valid():
        try:
            new_user = accept_invitation_as_new_user(
                invitation=invitation,
                name=form.cleaned_data["name"],
                password=form.cleaned_data["password1"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            login(request, new_user, backend="allauth.account.auth_backends.AuthenticationBackend")
            messages.success(
                request,
                _("Welcome! You joined %(program)s as %(role)s.")
                % {"program": invitation.program, "role": invitation.get_role_display().lower()},
            )
            return redirect("home")
    return render(request, "programs/invitation_new_account.html", {**context, "form": form})
