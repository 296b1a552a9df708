"""Run the benchmark parts (all, or those named) and print their figures."""

import importlib
import sys

PARTS = ["reminders", "cohort", "pages"]


def main(argv: list[str]) -> int:
    names = [a for a in argv if not a.startswith("-")] or PARTS
    unknown = set(names) - set(PARTS)
    if unknown:
        print(f"unknown part(s): {', '.join(sorted(unknown))}; known: {', '.join(PARTS)}")
        return 2
    failed = 0
    for name in names:
        module = importlib.import_module(f"benchmarks.{name}")
        failed += 0 if module.run(argv) else 1
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
