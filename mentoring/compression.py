"""Pages are gzip-compressed, except those that print a secret (BREACH).

BREACH recovers a secret from the size of compressed responses that also reflect text an attacker
chooses. Django masks the CSRF token anew in every response, and GZipMiddleware adds random bytes
to each compressed one, but a secret that stays the same from response to response (a TOTP setup
key, recovery codes, the key in a password-reset or invitation link, the private calendar-feed
address) must not travel compressed at all: those pages are sent uncompressed. Everything else
(home, plans, meetings, the admins' lists) is compressed.
"""

from django.middleware.gzip import GZipMiddleware

# Views (by URL name, namespaced where they are) whose pages print a secret of the person's.
SECRET_PAGES = frozenset(
    {
        # allauth: setting up a TOTP authenticator shows its key; recovery codes; security keys.
        "mfa_index",
        "mfa_activate_totp",
        "mfa_deactivate_totp",
        "mfa_view_recovery_codes",
        "mfa_generate_recovery_codes",
        "mfa_download_recovery_codes",
        "mfa_list_webauthn",
        "mfa_add_webauthn",
        # allauth: the reset key is in the page's address and its form.
        "account_reset_password_from_key",
        # An invitation's token is in its address and form; the admin's invite pages show links.
        "programs:accept_invitation",
        "programs:invite",
        "programs:invite_bulk",
        # The private calendar feed: its address is the secret.
        "meetings:calendar",
        "meetings:feed",
        # A new API token is shown once, on the page that answers its creation.
        "integrations:tokens",
        "integrations:all_tokens",
        # A new webhook endpoint's signing secret, likewise.
        "integrations:webhooks",
        # A person's data export.
        "my_data_zip",
    }
)
# The admin site shows invitation and SSO tokens: none of it is compressed.
SECRET_NAMESPACES = frozenset({"admin"})


def reflects_secret(request) -> bool:
    match = getattr(request, "resolver_match", None)
    if match is None:
        return False
    return match.view_name in SECRET_PAGES or bool(SECRET_NAMESPACES & set(match.namespaces))


class SecretAwareGZipMiddleware(GZipMiddleware):
    """GZipMiddleware for every page but those of SECRET_PAGES (see the module's docstring)."""

    def process_response(self, request, response):
        if reflects_secret(request):
            return response
        return super().process_response(request, response)
