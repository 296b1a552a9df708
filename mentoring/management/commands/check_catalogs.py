"""`make lint`: the catalogs hold exactly the strings the code marks. makemessages runs into a
temporary copy of locale/ and the msgids (with their context and plural) are compared with the
committed .po files; dates and locations do not count. --complete also fails on any untranslated
or fuzzy entry (for when the translations are in)."""

import os
import shutil
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.test.utils import override_settings

from mentoring.catalogs import parse_po, statistics
from mentoring.management.commands.update_catalogs import CATALOG_LANGUAGES, makemessages


def _makemessages_into(fresh: Path, source: Path) -> None:
    """makemessages over the project's code, writing into `fresh` only. It writes a file's strings
    into the `locale` directory nearest it, the project's own one included: so it runs in `source`,
    the project's top-level entries linked there except locale/, with `fresh` beside them."""
    source.mkdir()
    for entry in Path(settings.BASE_DIR).iterdir():
        if entry.name != "locale" and not entry.name.startswith("."):
            (source / entry.name).symlink_to(entry)
    here = os.getcwd()
    os.chdir(source)
    try:
        with override_settings(LOCALE_PATHS=[fresh]):
            makemessages(symlinks=True)
    finally:
        os.chdir(here)


def msgids(po: Path) -> set[tuple]:
    return {
        (e.msgctxt, e.msgid, e.msgid_plural)
        for e in parse_po(po)
        if not (e.msgid == "" and e.msgctxt is None)
    }


def _short(keys: set[tuple], most: int = 15) -> str:
    shown = sorted(
        repr(msgid if context is None else f"{context}|{msgid}") for context, msgid, _ in keys
    )
    more = f"\n    … and {len(shown) - most} more" if len(shown) > most else ""
    return "\n".join(f"    {text}" for text in shown[:most]) + more


class Command(BaseCommand):
    help = "Fail when locale/*/django.po is out of date with the code (makemessages dry run)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--complete",
            action="store_true",
            help="Also fail on untranslated or fuzzy entries.",
        )

    def handle(self, *args, **options):
        committed = Path(settings.LOCALE_PATHS[0])
        problems = []
        with tempfile.TemporaryDirectory() as temp:
            fresh = Path(temp) / "locale"
            shutil.copytree(committed, fresh, ignore=shutil.ignore_patterns("*.mo"))
            _makemessages_into(fresh, Path(temp) / "source")
            for language in CATALOG_LANGUAGES:
                path = Path(language) / "LC_MESSAGES" / "django.po"
                if not (committed / path).exists():
                    problems.append(
                        f"{committed / path} is missing: run `manage.py update_catalogs`"
                    )
                    continue
                old, new = msgids(committed / path), msgids(fresh / path)
                if new - old:
                    problems.append(f"{path}: not in the catalog yet:\n{_short(new - old)}")
                if old - new:
                    problems.append(f"{path}: no longer in the code:\n{_short(old - new)}")
                if options["complete"]:
                    counts = statistics(committed / path)
                    if counts["untranslated"] or counts["fuzzy"]:
                        problems.append(f"{path}: {counts}")
        if problems:
            raise CommandError(
                "The catalogs are out of date with the code. Run `manage.py update_catalogs`, "
                "translate, commit.\n" + "\n".join(problems)
            )
        self.stdout.write("catalogs up to date: " + ", ".join(CATALOG_LANGUAGES))
