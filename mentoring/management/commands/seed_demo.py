import importlib
import importlib.util

from django.core.management.base import BaseCommand
from django.db import connection

from programs import demo

# Apps whose `demo` module adds history for the demo people: `seed(world)`, and optionally
# `seed_load(program)` for the large load-test program. In dependency order.
DEMO_APPS = ["meetings", "goals", "feedback", "conversations", "calendars"]


def _demo_modules():
    for app in DEMO_APPS:
        if importlib.util.find_spec(f"{app}.demo") is not None:
            yield importlib.import_module(f"{app}.demo")


class Command(BaseCommand):
    help = "Load the demo programs, people and their history (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dyads",
            type=int,
            default=0,
            help="Also build a large program with this many active dyads, for load tests.",
        )

    def handle(self, *args, dyads: int = 0, **options):
        world = demo.seed()
        for module in _demo_modules():
            module.seed(world)
        if dyads:
            program = demo.seed_load_program(dyads)
            for module in _demo_modules():
                if hasattr(module, "seed_load"):
                    module.seed_load(program)
            self.stdout.write(
                f"Load program: {program.name} ({program.get_absolute_url()}), "
                f"administered by {demo.LOAD_ADMIN}"
            )
        if connection.vendor == "postgresql":
            # Fresh statistics, or the planner guesses on the just-loaded tables (autovacuum may be
            # off, as on the development machines): plans that depend on luck.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        self.stdout.write(
            self.style.SUCCESS(f"Demo data ready. Password for every account: {demo.DEMO_PASSWORD}")
        )
        for email in demo.PEOPLE:
            self.stdout.write(f"  {email}")
