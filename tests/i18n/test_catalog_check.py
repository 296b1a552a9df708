"""`make lint` fails when the committed catalogs are out of date with the code
(manage.py check_catalogs), naming the strings; the committed files are never written by it."""

import io
import re
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from mentoring.catalogs import parse_po
from tests.i18n.catalogs import need_gettext

COMMITTED = Path(settings.BASE_DIR) / "locale"


def _copy(tmp_path) -> Path:
    copy = tmp_path / "locale"
    shutil.copytree(COMMITTED, copy, ignore=shutil.ignore_patterns("*.mo"))
    return copy


def _without(po: Path, msgid: str) -> None:
    """The catalog as it was before `msgid` was marked in the code."""
    text = po.read_text(encoding="utf-8")
    entry = re.compile(f'msgid "{re.escape(msgid)}"\nmsgstr "[^\n]*"\n')
    assert entry.search(text)
    po.write_text(entry.sub("", text), encoding="utf-8")


def _untranslate(po: Path, msgid: str) -> None:
    """One entry's translation emptied, as a newly marked string arrives."""
    text = po.read_text(encoding="utf-8")
    entry = re.compile(f'(msgid "{re.escape(msgid)}"\nmsgstr )"[^\n]+"\n')
    assert entry.search(text)
    po.write_text(entry.sub(r'\1""\n', text), encoding="utf-8")


def test_the_committed_catalogs_match_the_code():
    need_gettext()
    out = io.StringIO()
    call_command("check_catalogs", stdout=out)
    assert "catalogs up to date: es, fr" in out.getvalue()


def test_a_newly_marked_string_and_a_removed_one_fail_the_check_by_name(settings, tmp_path):
    need_gettext()
    copy = _copy(tmp_path)
    french = copy / "fr" / "LC_MESSAGES" / "django.po"
    _without(french, "Change language")  # marked in code, missing from the catalog
    with french.open("a", encoding="utf-8") as handle:
        handle.write('\nmsgid "A sentence nobody marks any more"\nmsgstr ""\n')
    before = {path: path.read_bytes() for path in copy.rglob("*.po")}
    settings.LOCALE_PATHS = [copy]
    with pytest.raises(CommandError) as failure:
        call_command("check_catalogs")
    message = str(failure.value)
    assert "fr/LC_MESSAGES/django.po: not in the catalog yet:\n    'Change language'" in message
    assert "no longer in the code:\n    'A sentence nobody marks any more'" in message
    assert "es/LC_MESSAGES" not in message
    assert {path: path.read_bytes() for path in copy.rglob("*.po")} == before  # a dry run


def test_the_committed_catalogs_are_complete():
    """What `make lint` runs: every msgid translated in Spanish and French, none fuzzy."""
    need_gettext()
    out = io.StringIO()
    call_command("check_catalogs", "--complete", stdout=out)
    assert "catalogs up to date: es, fr" in out.getvalue()


def test_complete_fails_on_an_untranslated_entry_and_names_the_catalog(settings, tmp_path):
    need_gettext()
    copy = _copy(tmp_path)
    _untranslate(copy / "es" / "LC_MESSAGES" / "django.po", "Change language")
    settings.LOCALE_PATHS = [copy]
    call_command("check_catalogs", stdout=io.StringIO())  # without --complete: up to date
    with pytest.raises(CommandError, match=r"es/LC_MESSAGES/django.po: .*'untranslated': 1\b"):
        call_command("check_catalogs", "--complete")


def test_complete_fails_on_a_fuzzy_entry(settings, tmp_path):
    need_gettext()
    copy = _copy(tmp_path)
    french = copy / "fr" / "LC_MESSAGES" / "django.po"
    text = french.read_text(encoding="utf-8")
    french.write_text(
        text.replace('msgid "Change language"\n', '#, fuzzy\nmsgid "Change language"\n', 1),
        encoding="utf-8",
    )
    settings.LOCALE_PATHS = [copy]
    with pytest.raises(CommandError, match=r"fr/LC_MESSAGES/django.po: .*'fuzzy': 1\b"):
        call_command("check_catalogs", "--complete")


def test_the_catalogs_parse_and_name_their_language():
    for language in ("es", "fr"):
        entries = parse_po(COMMITTED / language / "LC_MESSAGES" / "django.po")
        assert f"Language: {language}\n" in entries[0].msgstr[0]
        assert len(entries) > 500
