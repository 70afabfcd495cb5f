"""The problem editor on a phone: a form sent back with errors brings its first marked field into focus."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, expect

from tests import factories

pytestmark = pytest.mark.browser


def test_the_first_field_to_fix_gets_the_focus(browser: Browser, live_server: str, session):
    owner = factories.user(session, "company")
    page = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    page.goto(live_server + "/login")
    page.fill("#email", owner.email)
    page.fill("#password", factories.PASSWORD)
    page.press("#password", "Enter")
    expect(page).not_to_have_url(re.compile(r"/login"))
    page.goto(live_server + "/problems/new")
    page.fill("#title", "烘焙連鎖門市每日麵包需求預測")
    page.fill("#context", "台中 12 間門市。")
    page.locator("button[value=submit]").click()              # pain and the rest still empty
    expect(page.locator("#pain")).to_be_focused()
    expect(page.locator("#title")).to_have_value("烘焙連鎖門市每日麵包需求預測")
    assert page.evaluate("document.getElementById('pain').getBoundingClientRect().top") < 844   # in view


def test_an_unticked_data_kind_gets_the_focus_when_it_is_first(browser: Browser, live_server: str, session):
    owner = factories.user(session, "company")
    page = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    page.goto(live_server + "/login")
    page.fill("#email", owner.email)
    page.fill("#password", factories.PASSWORD)
    page.press("#password", "Enter")
    expect(page).not_to_have_url(re.compile(r"/login"))
    page.goto(live_server + "/problems/new")
    for name, value in (("title", "烘焙需求預測"), ("context", "台中 12 間門市。"), ("pain", "每天報廢兩成麵包。")):
        page.fill(f"#{name}", value)
    page.locator("button[value=submit]").click()              # no data kind ticked: the first to fix
    expect(page.locator("input[name=data_kinds]").first).to_be_focused()
