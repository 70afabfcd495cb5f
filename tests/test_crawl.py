"""Crawl the seeded demo as each role, following links: no page fails, every page has a title."""
from __future__ import annotations

import re
from collections import deque
from datetime import date

import pytest

from marketplace.seed.demo import seed_demo
from tests import a11y

LINK = re.compile(r'href="(/[^"#]*)"')


def _crawl(client, start: str, limit: int) -> dict[str, int]:
    seen: dict[str, int] = {}
    queue = deque([start])
    while queue and len(seen) < limit:
        url = queue.popleft()
        if url in seen or url.startswith("/static/"):
            continue
        response = client.get(url)
        seen[url] = response.status_code
        if response.status_code in (301, 302, 303) and response.location.startswith("/"):
            queue.append(response.location)
        if response.status_code == 200 and response.mimetype == "text/html":
            page = response.get_data(as_text=True)
            assert "<title>" in page, url
            assert not a11y.problems(page), (url, a11y.problems(page))
            for link in LINK.findall(page):
                link = link.replace("&amp;", "&")
                if link not in seen:
                    queue.append(link)
    return seen


@pytest.mark.slow
@pytest.mark.parametrize("email", [None, "company@demo.example", "team@demo.example",
                                   "staff@demo.example"])
def test_every_reachable_page_renders(app, session, email):
    seed_demo(session=session, today=date(2026, 11, 27))
    client = app.test_client()
    if email:
        client.login(email, "demo-password")
    seen = _crawl(client, "/me" if email else "/", limit=120)
    failures = {url: code for url, code in seen.items() if code >= 500}
    assert not failures
    assert len(seen) > 20
