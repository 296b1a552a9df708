"""Test-only catalogs: a few translations written as a .po, compiled by the project's own compiler
(mentoring/catalogs.py) into a temporary locale directory that Django reads first."""

from pathlib import Path

HEADER = (
    'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
    '"Plural-Forms: nplurals=2; plural=(n > 1);\\n"\n\n'
)


def po_text(translations: dict) -> str:
    def quote(text: str) -> str:
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'

    body = ""
    for msgid, msgstr in translations.items():
        if isinstance(msgid, tuple):  # (singular, plural): [form for 1, form for more]
            body += f"msgid {quote(msgid[0])}\nmsgid_plural {quote(msgid[1])}\n"
            body += "".join(f"msgstr[{i}] {quote(form)}\n" for i, form in enumerate(msgstr))
            body += "\n"
        else:
            body += f"msgid {quote(msgid)}\nmsgstr {quote(msgstr)}\n\n"
    return HEADER + body


def install(settings, root: Path, catalogs: dict[str, dict]) -> None:
    """{language: {msgid: msgstr}} compiled under `root` and put first in LOCALE_PATHS (Django
    drops its cached catalogs when the setting changes, and again when the test ends)."""
    from mentoring.catalogs import compile_po

    for language, translations in catalogs.items():
        folder = root / language / "LC_MESSAGES"
        folder.mkdir(parents=True, exist_ok=True)
        po = folder / "django.po"
        po.write_text(po_text(translations), encoding="utf-8")
        compile_po(po)
    settings.LOCALE_PATHS = [root, *settings.LOCALE_PATHS]


def need_gettext(tool: str = "xgettext") -> None:
    """makemessages runs GNU gettext's tools (.ci/run installs them): without them the test skips,
    or fails under REQUIRE_SERVICES=1 as for any missing service."""
    import shutil

    import pytest

    from tests.conftest import REQUIRE_SERVICES

    if shutil.which(tool) is None:
        reason = f"GNU gettext's {tool} is not installed (apt-get install gettext)"
        if REQUIRE_SERVICES:
            pytest.fail(f"REQUIRE_SERVICES=1 but {reason}", pytrace=False)
        pytest.skip(reason)
