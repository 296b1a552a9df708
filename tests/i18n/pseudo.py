"""The pseudo-language "xx": every msgid of our catalog and of the installed apps' catalogs
(Django's, allauth's), wrapped and accented — "Meetings" reads "⟦Ḿééţîñĝš⟧" — with placeholders
(%(name)s, %s, {name}, {{ name }}), HTML tags and entities kept exactly. A page rendered in it
shows at a glance what is marked for translation: any plain English left is not.

`activate_pseudo(settings, tmp_path)` compiles the catalog (mentoring/catalogs.py) into a
temporary locale directory and adds "xx" to LANGUAGES; a client asks for it by Accept-Language.
`unmarked(html, data)` lists the visible texts of a page that are neither pseudo-translated nor
data (what people typed, the demo's rows).
"""

import re
from html.parser import HTMLParser
from pathlib import Path

from django.apps import apps
from django.conf import settings as django_settings
from django.db import models

from mentoring.catalogs import Entry, mo_bytes, parse_po

PSEUDO = "xx"
OPEN, CLOSE = "⟦", "⟧"
_PLAIN = "abcdeghiklmnorstuwyzABCDEGHIKLMNORSTUWYZ"
_ACCENTED = "áƀçđéĝĥîķļḿñöŕšţûŵýžÁßÇĐÉĜĤÎĶĻḾÑÖŔŠŢÛŴÝŽ"
ACCENT = str.maketrans(_PLAIN, _ACCENTED)
# Kept as they are: printf and format placeholders, template variables, tags, entities.
PROTECTED = re.compile(
    r"(%\(\w+\)[-#0 +]*\d*(?:\.\d+)?[sdifr]|%[sdifr%]|\{\{.*?\}\}|\{[\w.]*\}|<[^>]*>|&#?\w+;)"
)


def pseudo(text: str) -> str:
    if not text:
        return text
    parts = PROTECTED.split(text)
    accented = "".join(p if i % 2 else p.translate(ACCENT) for i, p in enumerate(parts))
    return f"{OPEN}{accented}{CLOSE}"


def catalog_sources() -> list[Path]:
    """Our catalog and every installed app's French one (for their msgids: the English texts)."""
    sources = [Path(django_settings.LOCALE_PATHS[-1]) / "fr" / "LC_MESSAGES" / "django.po"]
    django_root = Path(apps.get_app_config("admin").path).parent.parent
    sources.append(django_root / "conf" / "locale" / "fr" / "LC_MESSAGES" / "django.po")
    for config in apps.get_app_configs():
        po = Path(config.path) / "locale" / "fr" / "LC_MESSAGES" / "django.po"
        if po.exists() and po not in sources:
            sources.append(po)
    return [po for po in sources if po.exists()]


def pseudo_entries(sources: list[Path]) -> list[Entry]:
    header = Entry(
        msgid="",
        msgstr={
            0: "Content-Type: text/plain; charset=UTF-8\n"
            "Plural-Forms: nplurals=2; plural=(n != 1);\n"
        },
    )
    entries = {"": header}
    for po in sources:
        for entry in parse_po(po):
            if entry.msgid == "" and entry.msgctxt is None:
                continue
            if entry.msgid_plural is None:
                msgstr = {0: pseudo(entry.msgid)}
            else:
                msgstr = {0: pseudo(entry.msgid), 1: pseudo(entry.msgid_plural)}
            entries.setdefault(
                entry.key,
                Entry(entry.msgid, entry.msgid_plural, entry.msgctxt, msgstr),
            )
    return list(entries.values())


def activate_pseudo(settings, root: Path) -> None:
    """Compile the pseudo catalog under `root` and make "xx" a language of the site."""
    sources = catalog_sources()
    folder = root / PSEUDO / "LC_MESSAGES"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "django.mo").write_bytes(mo_bytes(pseudo_entries(sources)))
    settings.LANGUAGES = [*settings.LANGUAGES, (PSEUDO, pseudo("Pseudo"))]  # named in itself
    settings.LOCALE_PATHS = [root, *settings.LOCALE_PATHS]


# --- what a page shows ------------------------------------------------------------------------

HIDDEN = {"script", "style", "template", "head", "svg"}
SHOWN_ATTRIBUTES = ("aria-label", "title", "placeholder", "alt")
PSEUDO_TEXT = re.compile(f"{OPEN}[^{OPEN}{CLOSE}]*{CLOSE}")  # innermost: see `_translated_out`
# An address written out (a plain-text e-mail's links): taken out first, from the text and from
# what was typed alike, so that a typed text cannot cut an address in two.
URL = re.compile(r"https?://\S+")
# Left when the translated and the typed are taken out: numbers, punctuation, zone abbreviations.
NOT_WORDS = re.compile(
    r"[\d\W_]+|\b(?:UTC|GMT|[A-Z]{1,4}[SD]T|CES?T|EES?T|WES?T|[A-Z]{3})\b|[+-]\d{2}"
)
# Tags inside a sentence: a translated sentence with a link, a name in <strong> or a hidden
# "of {{ program }}" inside it is one text, not pieces cut at each tag.
INLINE = {"a", "abbr", "b", "bdi", "cite", "code", "em", "i", "kbd", "mark", "q", "s", "small"}
INLINE |= {"span", "strong", "sub", "sup", "time", "u", "var", "wbr"}
VOID = {"input", "img", "br", "hr", "meta", "link", "source", "col", "wbr"}
A_WORD = re.compile(r"[A-Za-z]{2,}")


class _Texts(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self.stack: list[tuple[str, bool]] = []  # (tag, hides its text)
        self.sentence: list[str] = []  # the text since the last tag that is not INLINE

    def _hidden(self) -> bool:
        return any(hides for _, hides in self.stack)

    def _end_sentence(self):
        if self.sentence:
            self.texts.append("".join(self.sentence))
            self.sentence = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        # What is not text to translate, in one place: text in a declared language (the
        # switcher's "Español", <option lang="es">), and what the page marks translate="no"
        # (IANA time-zone names in a zone list, which are identifiers, not words).
        hides = (
            tag in HIDDEN
            or ("lang" in attributes and tag != "html")
            or attributes.get("aria-hidden") == "true"
            or attributes.get("translate") == "no"
        )
        if tag not in INLINE:
            self._end_sentence()
        if tag not in VOID:
            self.stack.append((tag, hides))
        if not self._hidden() and not hides:
            for name in SHOWN_ATTRIBUTES:
                if attributes.get(name):
                    self.texts.append(attributes[name])
            if tag == "input" and attributes.get("type") in ("submit", "button"):
                self.texts.append(attributes.get("value") or "")

    def handle_endtag(self, tag):
        if tag not in INLINE:
            self._end_sentence()
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                break

    def handle_data(self, data):
        if not self._hidden():
            self.sentence.append(data)

    def close(self):
        super().close()
        self._end_sentence()


def visible_texts(html: str) -> list[str]:
    parser = _Texts()
    parser.feed(html)
    parser.close()
    return [" ".join(text.split()) for text in parser.texts if text.strip()]


def _translated_out(text: str) -> str:
    """The text without its pseudo-translated parts, each left as a line break. A translation may
    hold another ("⟦Éxpîŕéš ⟦Ŵéđ⟧ 9 ⟦Ðéç⟧ 2026⟧", a translated date in a translated sentence):
    the innermost go first, until none is left."""
    while True:
        shorter = PSEUDO_TEXT.sub("\n", text)
        if shorter == text:
            return text
        text = shorter


def is_unmarked(text: str, data: list[str], all_data: list[str] | None = None) -> bool:
    """True when `text` still has a word that is neither pseudo-translated nor data (`data`: what
    is on this page; `all_data`: everything typed, for a text cut short "…" by the page)."""
    pieces = _translated_out(text).split("\n")  # what is left between translated parts
    last = pieces[-1].strip()
    if last.endswith(("…", "...")):
        stub = last.rstrip("…. ").strip()
        if len(stub) >= 8 and any(typed.startswith(stub) for typed in all_data or data):
            pieces[-1] = ""
    rest = URL.sub(" ", " ".join(pieces))
    for typed in data:  # longest first: a name inside a sentence leaves the sentence
        typed = URL.sub(" ", typed)  # as the text's addresses were: a message with a link
        if typed.strip() and typed in rest:
            rest = rest.replace(typed, " ")
    rest = NOT_WORDS.sub(" ", rest).strip()
    return bool(A_WORD.search(rest))


def unmarked(html: str, data: list[str]) -> list[str]:
    texts = visible_texts(html)
    shown = "\n".join(texts)
    on_page = [typed for typed in data if typed in shown]  # what matters on this page only
    return sorted({text for text in texts if is_unmarked(text, on_page, data)})


def normalized(text: str) -> str:
    """A text as a failure reports it: what varies from day to day (the pseudo names of days and
    months, numbers) made constant."""
    return re.sub(r"\d+", "N", PSEUDO_TEXT.sub("⟦…⟧", text))


def typed_data() -> list[str]:
    """Every text the database holds in a free-text field (names, titles, notes, e-mail addresses,
    program names…): what people typed, never translated. Longest first. Fields with choices are
    left out: their labels are ours to translate."""
    found: set[str] = set()
    for model in apps.get_models():
        names = [
            field.name
            for field in model._meta.concrete_fields
            if isinstance(field, models.CharField | models.TextField) and not field.choices
        ]
        if not names or model._meta.proxy:
            continue
        for row in model.objects.values_list(*names).distinct().iterator():
            for value in row:
                if value and isinstance(value, str):
                    found.add(" ".join(value.split()))
                    found.update(line.strip() for line in value.splitlines())
    from mentoring.models import User

    found.update(user.get_short_name() for user in User.objects.only("name", "email"))
    # Two letters or fewer would take letters out of the middle of words.
    return sorted((text for text in found if len(text) > 2), key=len, reverse=True)
