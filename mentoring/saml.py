"""Our SAML service provider's metadata, without asking the identity provider anything; and a
sign-in that says so when the identity provider cannot be reached.

allauth's metadata view builds the whole SAML configuration first, and that reads the IdP's
metadata from its URL: when the IdP is down or unreachable the page answered 500, and the IdP's
administrators could not even read what to configure. Our own metadata (entity id, assertion
consumer service, name id format, attributes asked for) depends on our settings alone, so it is
built here with the IdP's part left out: the page is served whether or not the IdP answers.
Signing in does need the IdP's metadata: while it cannot be read, the person is told so (503)
and shown the way back to signing in with a password.
"""

from allauth.account.internal.decorators import login_not_required
from allauth.socialaccount.providers.saml import views as saml_views
from allauth.socialaccount.providers.saml.utils import build_sp_config, get_app_or_404
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from onelogin.saml2.settings import OneLogin_Saml2_Settings

# What OneLogin needs of an IdP to build settings at all; never read for the SP's metadata.
_NO_IDP = {"entityId": "", "singleSignOnService": {"url": ""}, "x509cert": ""}


@login_not_required
def sp_metadata(request: HttpRequest, organization_slug: str) -> HttpResponse:
    """The SP metadata XML of the SAML app `organization_slug` (404 if there is none)."""
    app = get_app_or_404(request, organization_slug)
    provider = app.get_provider(request)
    advanced = provider.app.settings.get("advanced", {})
    config = {
        "strict": True,
        "security": {
            "authnRequestsSigned": advanced.get("authn_request_signed", False),
            "signMetadata": advanced.get("metadata_signed", False),
            "wantAssertionsSigned": advanced.get("want_assertion_signed", False),
            "wantMessagesSigned": advanced.get("want_message_signed", False),
            "wantNameId": advanced.get("want_name_id", False),
        },
        "sp": build_sp_config(request, provider.app.settings, organization_slug),
        "idp": _NO_IDP,
    }
    saml_settings = OneLogin_Saml2_Settings(settings=config, sp_validation_only=True)
    metadata = saml_settings.get_sp_metadata()
    errors = saml_settings.validate_metadata(metadata)
    if errors:  # our own settings are wrong: say so plainly, as a page that is not served
        return HttpResponse(
            "The service provider metadata is not valid: " + ", ".join(errors),
            status=503,
            content_type="text/plain",
        )
    return HttpResponse(metadata, content_type="text/xml")


@login_not_required
def login(request: HttpRequest, organization_slug: str) -> HttpResponse:
    """allauth's SAML sign-in; an IdP whose metadata URL does not answer (refused, timed out, no
    such host: urllib's URLError, an OSError) is a page saying so, not a 500."""
    try:
        return saml_views.login(request, organization_slug=organization_slug)
    except OSError:
        app = get_app_or_404(request, organization_slug)
        return render(request, "socialaccount/idp_unreachable.html", {"app": app}, status=503)
