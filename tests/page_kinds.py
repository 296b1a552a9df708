"""The pages a person reaches by links from home, one per kind of URL (ids stand for any id): the
crawl of tests/test_crawl.py, following links from the first page of each kind only, so that a
check of every page (valid HTML, axe-core, a phone's width) costs one visit per template."""

import re
from collections import deque
from urllib.parse import urldefrag

from tests.test_crawl import HREF, SKIP

KIND = re.compile(r"/\d+(?=/|\.|$)")
NOT_PAGES = re.compile(r"\.(ics|csv|pdf|txt|zip)$|/download/")


def pages_by_kind(client) -> dict[str, bytes]:
    """{url: HTML} for each kind of HTML page that answers 200 to `client`'s person."""
    kinds: dict[str, str] = {}
    pages: dict[str, bytes] = {}
    queue = deque(["/"])
    while queue:
        url = queue.popleft()
        kind = KIND.sub("/N", url.split("?")[0])
        if kind in kinds or NOT_PAGES.search(url.split("?")[0]):
            continue
        kinds[kind] = url
        response = client.get(url)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        pages[url] = response.content
        for href in HREF.findall(response.content.decode()):
            href = urldefrag(href.replace("&amp;", "&"))[0]
            if href.startswith("/") and not href.startswith("//") and not SKIP.match(href):
                queue.append(href)
    return pages
