from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def sso_only() -> bool:
    """SSO_ONLY: the login page offers the institution's sign-in and no password form."""
    return settings.SSO_ONLY
