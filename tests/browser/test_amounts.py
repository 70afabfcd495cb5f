"""Amounts of money stay on one line on a phone, and the page still fits the screen."""
from __future__ import annotations

import pytest
from playwright.sync_api import Browser

from tests import factories
from tests.browser.pages import PHONE, signed_in

pytestmark = pytest.mark.browser


def test_a_price_never_breaks_inside_itself_at_phone_width(browser: Browser, live_server: str, session):
    team_user = factories.user(session, "team")
    for n, price in enumerate((1_370_000, 2_750_000, 12_040_000)):
        problem = factories.problem(session, title=f"冷鏈物流溫度異常預警與自動派車排程最佳化第 {n} 期",
                                    budget_min=1_000_000, budget_max=15_000_000)
        factories.bid(session, problem, team_user, price=price)
    page = signed_in(browser, live_server, team_user.email)
    page.goto(f"{live_server}/my/team")
    amounts = page.locator("main .amount")
    assert amounts.count() >= 3
    # An inline box broken over two lines has two client rectangles.
    lines = amounts.evaluate_all("els => els.map(e => [e.textContent, e.getClientRects().length])")
    assert all(n == 1 for _text, n in lines), lines
    assert "NT$ 1,370,000" in [text for text, _n in lines]
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
