"""Shared browser steps: a signed-in page, at phone width unless told otherwise."""
from __future__ import annotations

import re

from playwright.sync_api import Browser, Page, expect

from tests import factories

PHONE = {"width": 390, "height": 844}


def signed_in(browser: Browser, base: str, email: str, **context) -> Page:
    """A new page signed in as `email` (context options such as java_script_enabled pass through)."""
    page = browser.new_context(**{"viewport": PHONE, **context}).new_page()
    page.goto(base + "/login")
    page.fill("#email", email)
    page.fill("#password", factories.PASSWORD)
    page.locator("main button[type=submit]").click()
    expect(page).not_to_have_url(re.compile(r"/login"))
    return page
