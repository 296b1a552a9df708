"""Templates show what the viewer may do; they do not decide it by comparing status strings.

Which controls a page shows comes from the apps' rules (`<app>/rules.py`), handed to the template as
an `actions` set or as booleans; for styling, a template asks a model property (`meeting.is_cancelled`,
`dyad.is_open`). E-mail templates are another matter and are not checked here.
"""

import re
from pathlib import Path

from django.conf import settings

STATUS_COMPARISON = re.compile(r"""\.status\s*(==|!=)|status\s*(==|!=)\s*['"]""")
NOT_CHECKED = ("emails",)


def status_comparisons(root: Path) -> list[str]:
    """Every `file:line: text` under `root` (e-mail templates aside) that compares a status."""
    found = []
    for path in sorted(root.rglob("*.html")):
        if path.relative_to(root).parts[0] in NOT_CHECKED:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if STATUS_COMPARISON.search(line):
                found.append(f"{path.relative_to(root)}:{number}: {line.strip()}")
    return found


def test_no_template_compares_a_status():
    root = Path(settings.BASE_DIR) / "templates"
    assert root.is_dir()
    assert status_comparisons(root) == [], (
        "Decide in a rule (<app>/rules.py) and hand the page an `actions` set or a model property"
    )


def test_the_check_catches_a_comparison(tmp_path):
    (tmp_path / "meetings").mkdir()
    (tmp_path / "emails").mkdir()
    (tmp_path / "meetings" / "page.html").write_text(
        "{% if meeting.status == 'scheduled' %}<a>Move</a>{% endif %}\n"
        '{% if dyad.status != "ended" %}x{% endif %}\n'
        "{% if status == 'open' %}y{% endif %}\n"
        "{% if 'cancel' in actions %}z{% endif %}\n"
    )
    (tmp_path / "emails" / "mail.html").write_text("{% if meeting.status == 'held' %}{% endif %}")
    assert [line.split(":")[1] for line in status_comparisons(tmp_path)] == ["1", "2", "3"]
