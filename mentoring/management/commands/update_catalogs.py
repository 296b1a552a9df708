"""Bring locale/es and locale/fr up to date with the code: `makemessages` with the project's one
set of options (what is scanned, what is not), then the .mo files compiled. README "Languages"."""

from django.core.management import call_command
from django.core.management.base import BaseCommand

# Languages with a catalog (English is the msgids themselves).
CATALOG_LANGUAGES = ["es", "fr"]
# Scanned: the apps and templates/. Not: tests, tooling, what is installed or generated.
IGNORED = [
    "tests/*",
    "benchmarks/*",
    "var/*",
    "node_modules/*",
    "*/node_modules/*",
    "static/*",
    "deploy/*",
    "docs/*",
    "scripts/*",
    "build/*",
]


def makemessages(**extra) -> None:
    call_command(
        "makemessages",
        locale=CATALOG_LANGUAGES,
        ignore_patterns=IGNORED,
        add_location="file",  # a file's lines move often; its name rarely
        no_obsolete=True,
        verbosity=0,
        **extra,
    )


class Command(BaseCommand):
    help = "makemessages for es and fr with the project's options, then compile_catalogs."

    def handle(self, *args, **options):
        makemessages()
        call_command("compile_catalogs", stdout=self.stdout)
