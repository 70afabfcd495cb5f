"""Registration shows only the chosen role's own fields, in a real browser and without a script."""
from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect

pytestmark = pytest.mark.browser


def test_the_role_chosen_decides_which_fields_show(browser: Browser, live_server: str):
    page = browser.new_page(java_script_enabled=False)
    page.goto(f"{live_server}/register")
    sme, affiliation = page.locator("input[name=is_sme]"), page.locator("select[name=affiliation_type]")
    expect(sme).to_be_visible()
    expect(affiliation).to_be_hidden()
    page.locator("input[name=role][value=team]").check()
    expect(sme).to_be_hidden()
    expect(affiliation).to_be_visible()
    expect(page.locator("input[name=org_name]")).to_be_visible()
    page.close()
