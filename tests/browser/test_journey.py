"""The whole marketplace journey in a real browser, once in zh-TW and once in English.

company posts → staff publishes → team bids → company selects → staff approves the match →
team posts progress and delivers → company confirms → staff verifies → the landing counter rises.
"""
from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import Browser, Page, expect

from tests import factories

pytestmark = pytest.mark.browser

TEXT = {
    "zh_TW": {"review": "待審核問題", "matches": "媒合核准", "bid": "投標這個問題", "landing": "已驗證 AI 解決方案"},
    "en": {"review": "Review queue", "matches": "Match approval", "bid": "Bid on this problem",
           "landing": "Verified AI solutions"},
}


def _login(browser: Browser, base: str, email: str, locale: str) -> Page:
    page = browser.new_context(viewport={"width": 420, "height": 900}).new_page()
    page.goto(base + "/login")
    if locale == "en":
        page.locator("form.lang-switch button").click()
        expect(page.locator("html")).to_have_attribute("lang", "en")
    page.fill("#email", email)
    page.fill("#password", factories.PASSWORD)
    page.locator("main button[type=submit]").click()
    expect(page).not_to_have_url(re.compile(r"/login"))
    return page


def _verified_count(browser: Browser, base: str) -> int:
    page = browser.new_page()
    page.goto(base + "/")
    count = int(page.locator("#verified-count").inner_text())
    page.close()
    return count


@pytest.mark.parametrize("locale", ["zh_TW", "en"])
def test_full_journey(browser: Browser, live_server: str, session, locale: str):
    base, text = live_server, TEXT[locale]
    company_user = factories.user(session, "company")
    team_user = factories.user(session, "team")
    staff_user = factories.user(session, "staff")
    before = _verified_count(browser, base)

    company = _login(browser, base, company_user.email, locale)
    company.goto(base + "/problems/new")
    company.select_option("#sector", "smart_machinery")
    title = f"螺絲外觀瑕疵檢測 {locale}"
    company.fill("#title", title)
    company.fill("#context", "中部螺絲廠，每日出貨 20 噸，三條產線。")
    company.fill("#pain", "人工目檢漏檢率約 3%，每年客訴退貨損失約 200 萬元。")
    company.check("input[name=data_kinds][value=image]")
    company.fill("#data_volume", "瑕疵影像約 5,000 張")
    company.fill("#data_format", "JPG 1920x1080")
    company.fill("#outcome", "產線上即時判別瑕疵並剔除")
    company.fill("#kpi", "漏檢率低於 0.5%")
    company.fill("#budget_min", "600000")
    company.fill("#budget_max", "1200000")
    company.fill("#timeline_months", "6")
    company.locator("button[name=action][value=submit]").click()
    expect(company).to_have_url(re.compile(r"/problems/\d+$"))
    problem_id = int(company.url.rsplit("/", 1)[1])

    staff = _login(browser, base, staff_user.email, locale)
    staff.goto(base + "/staff/review")
    expect(staff.locator("h1")).to_have_text(text["review"])
    staff.check(f"input[name=problem_ids][value='{problem_id}']")
    staff.locator("button[name=decision][value=publish]").click()
    expect(staff.locator("main")).not_to_contain_text(title)

    team = _login(browser, base, team_user.email, locale)
    team.goto(base + "/problems")
    team.fill("#q", "螺絲")   # htmx live search swaps the rows in
    expect(team.locator("#problem-rows")).to_contain_text(title)
    team.locator("#problem-rows").get_by_role("link", name=title).click()
    expect(team.locator("#bid-heading")).to_have_text(text["bid"])
    team.fill("#approach", "以 YOLO 物件偵測搭配主動學習建立瑕疵模型，六週完成 PoC，再到現場驗證導入。")
    team.fill("#milestones-0-title", "資料盤點與標註")
    team.fill("#milestones-0-due", (date.today() + timedelta(days=65)).isoformat())
    team.fill("#price", "900000")
    team.fill("#timeline_months", "5")
    team.locator("#bid-panel button[type=submit]").click()
    expect(team.locator("#my-bid")).to_be_visible()

    company.goto(f"{base}/problems/{problem_id}/bids")
    choose = company.locator("form[action$='/select']")
    choose.locator("button").click()        # unticked: the browser keeps the form (required box)
    expect(company.locator(".badge.status-proposed")).to_have_count(0)
    choose.locator("input[type=checkbox]").check()
    choose.locator("button").click()
    expect(company.locator(".badge.status-proposed")).to_be_visible()

    staff.goto(base + "/staff/matches")
    expect(staff.locator("h1")).to_have_text(text["matches"])
    staff.locator("button[name=decision][value=approve]").click()
    card = staff.locator("main article", has_text=title)   # htmx swaps the decided card in place
    expect(card.locator(".badge.status-approved")).to_be_visible()
    expect(card.locator("form")).to_have_count(0)
    staff.reload()
    expect(staff.locator("main")).not_to_contain_text(title)

    team.goto(base + "/my/team")
    team.locator("main table").first.get_by_role("link", name=title).click()
    team.fill("#body", "資料盤點完成，共標註 5,200 張影像。")
    team.locator("form[action$='/progress'] button[type=submit]").click()
    team.fill("#summary", "完成瑕疵檢測模型並部署於三條產線，含操作訓練與維護文件。")
    team.fill("#results", "漏檢率由 3% 降至 0.4%")
    team.fill("#kpi_reached", "漏檢率 0.4%，每件 0.8 秒")
    team.fill("#assets", "標註資料集 5,200 張、推論模型、API 文件")
    team.check("#shareable")
    team.locator("form[action$='/deliver'] button[type=submit]").click()
    expect(team.locator("#sol-heading")).to_be_visible()

    company.goto(base + "/my/problems")
    company.get_by_role("link", name=re.compile("追蹤專案|Follow the project")).click()
    company.locator("button[name=decision][value=accept]").click()
    expect(company.locator(".flash.success")).to_be_visible()

    staff.goto(base + "/staff/verification")
    staff.locator("form[action$='/verify'] input[name=checked]").check()
    staff.locator("form[action$='/verify'] button").click()
    expect(staff.locator("main")).not_to_contain_text(title)

    company.goto(base + "/")
    expect(company.locator("#verified-count")).to_have_text(str(before + 1))
    expect(company.locator("#goal-heading")).to_have_text(text["landing"])
