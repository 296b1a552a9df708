"""The language switcher, on every page (`{% language_switcher "nav" %}`) and on the sign-in page
(`"signin"`): a form that posts the chosen language to `set_language` (mentoring.views), with no
JavaScript. Everything in it but the CSRF token and the page to come back to is the same for every
page in one language, so it is built once per (language, place) and kept: it is on every page, and
rendering it as a template cost about 5 % of a home page (issue 21)."""

import functools

from django import template
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.middleware.csrf import get_token
from django.urls import reverse
from django.utils import translation
from django.utils.html import format_html, format_html_join, json_script
from django.utils.safestring import SafeString
from django.utils.translation import gettext, ngettext, pgettext

register = template.Library()


@register.simple_tag(takes_context=True)
def language_switcher(context, where: str) -> SafeString:
    request = context["request"]
    head, tail = _parts(translation.get_language() or settings.LANGUAGE_CODE, where)
    # The page's one masked token (the csrf context processor's, as {% csrf_token %} reads it):
    # masking another costs 32 random draws from the system.
    token = context.get("csrf_token") or get_token(request)
    return format_html(
        '{}<input type="hidden" name="csrfmiddlewaretoken" value="{}">\n'
        '  <input type="hidden" name="next" value="{}">{}',
        head,
        str(token),
        request.get_full_path(),
        tail,
    )


@functools.cache
def _parts(language: str, where: str) -> tuple[SafeString, SafeString]:
    """The form before the CSRF token and after the page to come back to, in `language`."""
    with translation.override(language):
        head = format_html(
            '<form class="language-switcher d-flex align-items-center gap-1 {}" method="post"'
            ' action="{}">',
            "ms-lg-3" if where == "nav" else "mt-4",
            reverse("set_language"),
        )
        options = format_html_join(
            "\n    ",
            '<option value="{}" lang="{}"{}>{}</option>',
            (
                (code, code, " selected" if code == language[:2] else "", name)
                for code, name in settings.LANGUAGES
            ),
        )
        tail = format_html(
            '\n  <label class="visually-hidden" for="language-{where}">{label}</label>\n'
            '  <select class="form-select form-select-sm w-auto" id="language-{where}"'
            ' name="language" autocomplete="off">\n    {options}\n  </select>\n'
            '  <button class="btn btn-sm {button}" type="submit">{change}</button>\n</form>',
            where=where or "page",
            label=gettext("Language"),
            options=options,
            button="btn-outline-light" if where == "nav" else "btn-outline-secondary",
            change=gettext("Change language"),
        )
    return head, tail


@register.simple_tag
def page_strings() -> SafeString:
    """The few texts static/js/app.js writes, in the page's language, as a JSON script element
    (`#page-strings`): the script fills their `%(name)s` placeholders itself, as text."""
    return _page_strings(translation.get_language() or settings.LANGUAGE_CODE)


@functools.cache
def _page_strings(language: str) -> SafeString:
    with translation.override(language):
        strings = {
            "chars": gettext("%(count)s of %(limit)s characters"),
            "option": gettext("Option %(n)s: %(time)s"),
            "table": pgettext("name of a table that has no caption", "Table"),
        }
        # `over` is never 0, and 1 takes the singular in English, Spanish and French alike: the
        # script picks "too_many_one" for 1 and "too_many_other" for more.
        for key, over in (("too_many_one", 1), ("too_many_other", 2)):
            strings[key] = ngettext(
                "%(count)s of %(limit)s characters: %(over)s too many, shorten it before saving.",
                "%(count)s of %(limit)s characters: %(over)s too many, shorten it before saving.",
                over,
            )
    return json_script(strings, "page-strings")


@receiver(setting_changed)
def _forget(*, setting, **kwargs) -> None:
    """The kept texts go when the catalogs do (Django drops its own when these settings change)."""
    if setting in ("LANGUAGES", "LANGUAGE_CODE", "LOCALE_PATHS"):
        _parts.cache_clear()
        _page_strings.cache_clear()
