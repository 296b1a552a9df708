"""The pure-Python catalog compiler (mentoring/catalogs.py) reads what gettext reads: the same
translations, contexts, plurals and escapes as GNU msgfmt; fuzzy and empty entries left out."""

import gettext
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command

from mentoring.catalogs import compile_po, parse_po, statistics
from tests.i18n.catalogs import need_gettext

PO = r"""# A translator's comment
msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\n"
"Plural-Forms: nplurals=2; plural=(n > 1);\n"

#: meetings/views.py:10
msgid "January"
msgstr "janvier"

#, fuzzy
msgid "Draft"
msgstr "Brouillon"

msgctxt "month name"
msgid "May"
msgstr "mai"

msgid "%(count)s meeting"
msgid_plural "%(count)s meetings"
msgstr[0] "%(count)s rencontre"
msgstr[1] "%(count)s rencontres"

msgid ""
"A long \"quoted\" "
"sentence\n"
msgstr ""
"Une longue phrase "
"« citée »\n"

msgid "Untranslated"
msgstr ""

#~ msgid "Old"
#~ msgstr "Vieux"
"""


def _read(mo: Path) -> gettext.GNUTranslations:
    with mo.open("rb") as handle:
        return gettext.GNUTranslations(handle)


def _check(catalog: gettext.GNUTranslations) -> None:
    assert catalog.gettext("January") == "janvier"
    assert catalog.gettext("Draft") == "Draft"  # fuzzy: not compiled
    assert catalog.pgettext("month name", "May") == "mai"
    assert catalog.ngettext("%(count)s meeting", "%(count)s meetings", 1) == "%(count)s rencontre"
    assert catalog.ngettext("%(count)s meeting", "%(count)s meetings", 3) == "%(count)s rencontres"
    assert catalog.gettext('A long "quoted" sentence\n') == "Une longue phrase « citée »\n"
    assert catalog.gettext("Untranslated") == "Untranslated"
    assert catalog.gettext("Old") == "Old"


def test_the_compiled_catalog_translates_as_gettext_reads_it(tmp_path):
    po = tmp_path / "django.po"
    po.write_text(PO, encoding="utf-8")
    _check(_read(compile_po(po)))
    assert statistics(po) == {"translated": 4, "fuzzy": 1, "untranslated": 1}
    assert [e.msgid for e in parse_po(po)][:2] == ["", "January"]


def test_gnu_msgfmt_reads_the_same_file_the_same_way(tmp_path):
    need_gettext("msgfmt")
    po = tmp_path / "django.po"
    po.write_text(PO, encoding="utf-8")
    subprocess.run(["msgfmt", "-o", str(tmp_path / "gnu.mo"), str(po)], check=True)
    _check(_read(tmp_path / "gnu.mo"))


def test_a_broken_catalog_is_refused_with_its_line(tmp_path):
    po = tmp_path / "django.po"
    po.write_text('msgid "a"\nmsgstr "b\n', encoding="utf-8")
    with pytest.raises(ValueError, match=r"django\.po:2"):
        compile_po(po)


def test_the_command_compiles_every_catalog_of_locale_paths(settings, tmp_path):
    folder = tmp_path / "fr" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    (folder / "django.po").write_text(PO, encoding="utf-8")
    settings.LOCALE_PATHS = [tmp_path]
    settings.BASE_DIR = tmp_path
    call_command("compile_catalogs", "--statistics", stdout=(out := __import__("io").StringIO()))
    assert "fr/LC_MESSAGES/django.po: 4 translated, 1 fuzzy, 1 untranslated" in out.getvalue()
    _check(_read(folder / "django.mo"))
