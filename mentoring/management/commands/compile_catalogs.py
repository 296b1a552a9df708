"""Compile locale/*/LC_MESSAGES/*.po into .mo without GNU gettext (mentoring/catalogs.py)."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from mentoring.catalogs import compile_po, statistics


class Command(BaseCommand):
    help = "Compile the translation catalogs (.po → .mo) in pure Python; --statistics counts them."

    def add_arguments(self, parser):
        parser.add_argument(
            "--statistics",
            action="store_true",
            help="Also print translated / fuzzy / untranslated counts per catalog.",
        )

    def handle(self, *args, **options):
        statistics_wanted = options.get("statistics", False)
        for root in settings.LOCALE_PATHS:
            for po in sorted(Path(root).glob("*/LC_MESSAGES/*.po")):
                compile_po(po)
                line = f"compiled {po.relative_to(settings.BASE_DIR)}"
                if statistics_wanted:
                    counts = statistics(po)
                    line += (
                        f": {counts['translated']} translated, {counts['fuzzy']} fuzzy, "
                        f"{counts['untranslated']} untranslated"
                    )
                self.stdout.write(line)
