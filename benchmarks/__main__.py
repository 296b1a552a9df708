"""Run the benchmark parts (all, or those named) and print their figures.

Each part configures Django for its own database and settings (DEBUG off, its own broker), which a
process can do once: with more than one part, each runs in a process of its own.
"""

import importlib
import subprocess
import sys

PARTS = ["reminders", "cohort", "pages"]


def main(argv: list[str]) -> int:
    names = [a for a in argv if not a.startswith("-")] or PARTS
    options = [a for a in argv if a.startswith("-")]
    unknown = set(names) - set(PARTS)
    if unknown:
        print(f"unknown part(s): {', '.join(sorted(unknown))}; known: {', '.join(PARTS)}")
        return 2
    if len(names) == 1:
        module = importlib.import_module(f"benchmarks.{names[0]}")
        return 0 if module.run(argv) else 1
    failed = 0
    for name in names:
        done = subprocess.run([sys.executable, "-m", "benchmarks", name, *options], check=False)
        failed += 1 if done.returncode else 0
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
