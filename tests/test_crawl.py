"""Follow every link the demo people can see: nothing answers 500, everything linked answers 200,
and the object pages one program's people reach answer 403/404 to a person of the other program.

This is the contract of ../shared/CONTRACTS.md checked on the demo world, as a person would meet it.
"""

import io
import re
from collections import deque
from urllib.parse import urldefrag, urlparse

import pytest
from django.core.management import call_command

from mentoring.models import User

HREF = re.compile(r'href="([^"]+)"')
# Pages that only sign out, or that belong to Django's admin site (tested by Django).
SKIP = re.compile(r"^/(accounts/logout|admin/|static/)")
MAX_PAGES = 250
REAUTHENTICATE = "/accounts/reauthenticate/"
# A path with an id or a program slug in it shows one object: outsiders must not see it.
OBJECT_PAGE = re.compile(r"/\d+(/|\.|$)|/(pediatrics|residency-research)(/|$)")


def _crawl(client, on_response=None) -> dict[str, int]:
    """Every page reachable from home by links, with its status; `on_response(url, response)` sees
    each answer (HTML, .ics, CSV alike)."""
    seen: dict[str, int] = {}
    queue = deque(["/"])
    while queue and len(seen) < MAX_PAGES:
        url = queue.popleft()
        if url in seen:
            continue
        response = client.get(url)
        seen[url] = response.status_code
        if response.status_code == 302 and response["Location"].startswith(REAUTHENTICATE):
            # Asks for the password again first (setting up a second factor): that page answers.
            seen[url] = 200
            queue.append(response["Location"])
            continue
        if on_response is not None:
            on_response(url, response)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        for href in HREF.findall(response.content.decode()):
            href = urldefrag(href.replace("&amp;", "&"))[0]
            parsed = urlparse(href)
            if parsed.scheme or parsed.netloc or not href.startswith("/") or SKIP.match(href):
                continue
            if href not in seen:
                queue.append(href)
    return seen


@pytest.fixture
def demo(db):
    call_command("seed_demo", stdout=io.StringIO())
    return {u.email: u for u in User.objects.all()}


# Each demo person, and a person of the other program who must not open their object pages.
PEOPLE = [
    ("admin@example.com", "mentee4@example.com"),
    ("mentor@example.com", "mentor3@example.com"),
    ("mentee@example.com", "admin2@example.com"),
    ("mentor2@example.com", "mentee4@example.com"),
    ("mentee2@example.com", "mentor3@example.com"),
    ("mentee3@example.com", "admin2@example.com"),
    ("admin2@example.com", "mentee@example.com"),
    ("mentee4@example.com", "admin@example.com"),
    ("mentor3@example.com", "mentor@example.com"),
]


@pytest.mark.parametrize(("email", "outsider"), PEOPLE)
def test_linked_pages_answer_200_and_stay_closed_to_the_other_program(
    client, demo, email, outsider
):
    client.force_login(demo[email])
    seen = _crawl(client)
    broken = {url: status for url, status in seen.items() if status != 200}
    assert not broken, f"{email} follows links to pages that answer: {broken}"
    assert len(seen) > 5

    object_pages = [url for url in seen if OBJECT_PAGE.search(url)]
    assert object_pages
    client.force_login(demo[outsider])
    leaked = {
        url: status
        for url in object_pages
        if (status := client.get(url).status_code) not in (403, 404)
    }
    assert not leaked, f"{outsider} can open pages of {email}'s program: {leaked}"
