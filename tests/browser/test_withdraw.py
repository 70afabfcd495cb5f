"""Withdrawing a bid asks for a ticked confirmation in a real browser, even without JavaScript."""
from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect

from tests import factories
from tests.browser.pages import signed_in

pytestmark = pytest.mark.browser


def test_a_bid_is_withdrawn_only_after_ticking_the_box(browser: Browser, live_server: str, session):
    problem = factories.problem(session)
    team_user = factories.user(session, "team")
    bid = factories.bid(session, problem, team_user)
    page = signed_in(browser, live_server, team_user.email, java_script_enabled=False)
    page.goto(f"{live_server}/problems/{problem.id}")
    withdraw = page.locator(f"form[action$='/bids/{bid.id}/withdraw']")
    withdraw.locator("button").click()      # unticked: the browser keeps the form (required box)
    expect(withdraw.locator("input[name=confirm]")).to_be_visible()
    session.refresh(bid)
    assert bid.status == "submitted"
    withdraw.get_by_label("我了解企業將不再看到此投標，且其候選名單位置將會失去；問題仍開放時，本團隊可以再次投標。").check()
    withdraw.locator("button").click()
    expect(page.locator(".flash").first).to_be_visible()
    expect(page.locator(f"form[action$='/bids/{bid.id}/withdraw']")).to_have_count(0)
    session.refresh(bid)
    assert bid.status == "withdrawn"
