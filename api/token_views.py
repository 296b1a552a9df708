"""The admins' pages for API tokens: a program's tokens (its admins), every token (superusers)."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from api.forms import TokenForm
from api.models import ApiToken
from api.services import create_token, revoke_token
from mentoring.access import get_visible_or_404, require
from programs.access import program_for_admin
from programs.models import Program, administered_ids

PER_PAGE = 25


def _tokens(queryset):
    return queryset.select_related("created_by", "revoked_by").prefetch_related("programs")


@never_cache
def program_tokens(request, slug):
    program = program_for_admin(request.user, slug=slug)
    return _tokens_page(
        request, program, TokenForm(request.POST or None), program.api_tokens.all(), [program]
    )


@never_cache
def all_tokens(request):
    require(request.user.is_superuser)
    form = TokenForm(request.POST or None, programs=Program.objects.order_by("name"))
    return _tokens_page(request, None, form, ApiToken.objects.all(), None)


def _tokens_page(request, program, form, tokens, programs):
    """A program's tokens (`programs` fixed) or a superuser's (chosen on the form): the list, and
    on a valid POST the new token's secret, shown once."""
    if request.method == "POST" and form.is_valid():
        token, secret = create_token(
            programs=programs or list(form.cleaned_data["programs"]),
            by=request.user,
            name=form.cleaned_data["name"],
            expires_at=form.expires_at(),
        )
        return render(
            request,
            "api/token_created.html",
            {"program": program, "token": token, "secret": secret, "back": request.path},
        )
    page = Paginator(_tokens(tokens), PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "api/tokens.html",
        {
            "program": program,
            "form": form,
            "page": page,
            "docs": request.build_absolute_uri(reverse("api:docs")),
        },
    )


def revoke(request, pk):
    """GET asks for confirmation (what stops working, what stays); POST revokes."""
    token = get_visible_or_404(_tokens(ApiToken.objects.all()), request.user, pk=pk)
    back = _list_of(request.user, token)
    if request.method == "POST":
        revoke_token(token=token, by=request.user)
        messages.success(
            request, _("“%(name)s” is revoked: it is refused from now on.") % {"name": token.name}
        )
        return redirect(back)
    return render(request, "api/token_revoke.html", {"token": token, "back": back})


def _list_of(user, token: ApiToken) -> str:
    """Where the person manages this token: its program's list, or every token (superusers)."""
    administered = set(administered_ids(user))
    for program in token.programs.all():
        if program.pk in administered:
            return reverse("integrations:tokens", args=[program.slug])
    return reverse("integrations:all_tokens")
