"""The problem editor on a phone: a form sent back with errors brings its first marked field into focus."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, expect

from tests import factories
from tests.browser.pages import signed_in

pytestmark = pytest.mark.browser


def test_the_first_field_to_fix_gets_the_focus(browser: Browser, live_server: str, session):
    owner = factories.user(session, "company")
    page = signed_in(browser, live_server, owner.email)
    page.goto(live_server + "/problems/new")
    page.select_option("#sector", "smart_machinery")
    page.fill("#title", "烘焙連鎖門市每日麵包需求預測")
    page.fill("#context", "台中 12 間門市。")
    page.locator("button[value=submit]").click()              # pain and the rest still empty
    expect(page.locator("#pain")).to_be_focused()
    expect(page.locator("#title")).to_have_value("烘焙連鎖門市每日麵包需求預測")
    assert page.evaluate("document.getElementById('pain').getBoundingClientRect().top") < 844   # in view


def test_an_unticked_data_kind_gets_the_focus_when_it_is_first(browser: Browser, live_server: str, session):
    owner = factories.user(session, "company")
    page = signed_in(browser, live_server, owner.email)
    page.goto(live_server + "/problems/new")
    page.select_option("#sector", "smart_machinery")
    for name, value in (("title", "烘焙需求預測"), ("context", "台中 12 間門市。"), ("pain", "每天報廢兩成麵包。")):
        page.fill(f"#{name}", value)
    page.locator("button[value=submit]").click()              # no data kind ticked: the first to fix
    expect(page.locator("input[name=data_kinds]").first).to_be_focused()


def test_back_then_save_again_saves_into_the_same_draft(browser: Browser, live_server: str, session):
    from sqlmodel import select

    from models import Problem

    owner = factories.user(session, "company")
    page = signed_in(browser, live_server, owner.email)
    page.goto(live_server + "/problems/new")
    page.select_option("#sector", "smart_machinery")
    page.fill("#title", "冷鏈倉儲溫度異常預警")
    page.locator("button[name=action][value=draft]").click()
    page.wait_for_url(re.compile(r"/problems/\d+$"))
    page.go_back()                              # the browser fetches the form again and refills it
    expect(page.locator("#title")).to_have_value("冷鏈倉儲溫度異常預警")
    page.fill("#title", "冷鏈倉儲溫度異常預警（修訂）")
    page.locator("button[name=action][value=draft]").click()
    page.wait_for_url(re.compile(r"/problems/\d+$"))
    session.expire_all()
    titles = session.exec(select(Problem.title).where(Problem.created_by_id == owner.id)).all()
    assert titles == ["冷鏈倉儲溫度異常預警（修訂）"]
    page.goto(live_server + "/problems/new")     # a new visit, not Back: a new problem
    page.fill("#title", "第二個問題")
    page.locator("button[name=action][value=draft]").click()
    page.wait_for_url(re.compile(r"/problems/\d+$"))
    session.expire_all()
    assert len(session.exec(select(Problem).where(Problem.created_by_id == owner.id)).all()) == 2


def test_switching_language_keeps_what_was_typed(browser: Browser, live_server: str, session):
    owner = factories.user(session, "company")
    page = signed_in(browser, live_server, owner.email)
    page.goto(live_server + "/problems/new")
    page.select_option("#sector", "smart_machinery")
    page.fill("#title", "烘焙連鎖門市每日麵包需求預測")
    page.fill("#pain", "每天報廢兩成麵包。")
    page.locator("input[name=data_kinds]").first.check()
    page.locator("form.lang-switch button").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("#title")).to_have_value("烘焙連鎖門市每日麵包需求預測")
    expect(page.locator("#pain")).to_have_value("每天報廢兩成麵包。")
    expect(page.locator("input[name=data_kinds]").first).to_be_checked()
    page.reload()                                   # kept for that one switch only
    expect(page.locator("#title")).to_have_value("")
    # After a form error the page answered a POST; the switch goes back to the form and still keeps it.
    page.fill("#title", "Cold-chain alarms")
    page.locator("button[value=submit]").click()
    expect(page.locator(".flash.error").first).to_be_visible()
    page.fill("#context", "Twelve warehouses.")
    page.locator("form.lang-switch button").click()
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hant-TW")
    expect(page.locator("#title")).to_have_value("Cold-chain alarms")
    expect(page.locator("#context")).to_have_value("Twelve warehouses.")


def test_a_long_text_box_counts_characters_and_says_when_a_paste_was_cut(browser: Browser, live_server: str,
                                                                        session):
    owner = factories.user(session, "company")
    page = signed_in(browser, live_server, owner.email)
    page.goto(live_server + "/problems/new")
    count = page.locator("#context-count")
    expect(count).to_have_text("已輸入 0／5,000 字")
    page.fill("#context", "台中 12 間門市。")
    expect(count).to_have_text("已輸入 10／5,000 字")
    page.fill("#context", "麵包" * 2600)                    # 5,200 characters: the browser keeps 5,000
    assert len(page.input_value("#context")) == 5000
    expect(count).to_contain_text("已達 5,000 字上限")
    expect(count).to_have_attribute("role", "status")
