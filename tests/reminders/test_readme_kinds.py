"""The README's table of notices names every kind the apps register, and no kind that is gone."""

import re
from pathlib import Path

from mentoring import registry

README = Path(__file__).resolve().parents[2] / "README.md"


def _table_kinds() -> list[str]:
    section = README.read_text().split("## Notices", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"^\| `([a-z_]+)` \|", section, flags=re.MULTILINE)


def test_readme_lists_every_notice_kind_once():
    listed = _table_kinds()
    assert len(listed) == len(set(listed)), "a kind is listed twice"
    assert set(listed) == {kind.name for kind in registry.kinds()}


def test_readme_says_which_kinds_are_always_emailed():
    section = README.read_text().split("## Notices", 1)[1].split("\n## ", 1)[0]
    for kind in registry.kinds():
        row = re.search(rf"^\| `{kind.name}` \|.*\| (always|choice) \|$", section, re.MULTILINE)
        assert row, kind.name
        assert (row.group(1) == "always") == kind.always_emailed, kind.name
