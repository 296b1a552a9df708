"""A message's text for a page: escaped, with its http(s) links made clickable and nothing else.

Every piece of the text goes through `format_html`, which escapes it; a link is an <a> only when
its address is http or https, and it carries rel="nofollow noopener" (the page it opens can
neither reach back to ours nor borrow our standing with search engines).
"""

import re
from urllib.parse import urlsplit

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from conversations import selectors

register = template.Library()

_LINK = re.compile(r"\bhttps?://[^\s<>\"'`]+", re.IGNORECASE)
_TRAILING = ".,;:!?)]}*_'\""


def _split_trailing(url: str) -> tuple[str, str]:
    """A link at the end of a sentence keeps its full stop (or bracket) out of the address."""
    end = len(url)
    while end and url[end - 1] in _TRAILING:
        if url[end - 1] == ")" and url[:end].count("(") >= url[:end].count(")"):
            break
        end -= 1
    return url[:end], url[end:]


def _is_web_address(url: str) -> bool:
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.hostname)


def pieces(text: str):
    last = 0
    for match in _LINK.finditer(text):
        url, trailing = _split_trailing(match.group(0))
        yield format_html("{}", text[last : match.start()])
        if _is_web_address(url):
            yield format_html(
                '<a href="{}" rel="nofollow noopener" target="_blank">{}</a>', url, url
            )
        else:
            yield format_html("{}", url)
        yield format_html("{}", trailing)
        last = match.end()
    yield format_html("{}", text[last:])


@register.filter
def linkify(text: str) -> SafeString:
    """The text escaped, its http(s) addresses as links."""
    return format_html_join("", "{}", ((piece,) for piece in pieces(text or "")))


@register.inclusion_tag("conversations/_card_link.html", takes_context=True)
def conversation_link(context, dyad):
    """The link to a dyad's conversation on its home card, with the unread count (the request's
    one count of unread messages, shared with the navigation's badge)."""
    user = context.get("user")
    return {"dyad": dyad, "unread": selectors.unread_counts(user).get(dyad.pk, 0)}
