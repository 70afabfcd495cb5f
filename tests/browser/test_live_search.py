"""Search-as-you-type with an input method: no search on half-typed 注音, none again on leaving."""
from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect

from tests import factories

pytestmark = pytest.mark.browser


def test_live_search_waits_for_the_committed_word(browser: Browser, live_server: str, session):
    factories.problem(session, title="螺絲外觀瑕疵檢測")
    factories.problem(session, title="魚塭溶氧預測", sector="new_agriculture", pain="溶氧不足造成魚群死亡。")
    page = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    page.goto(live_server + "/problems")
    searches: list[str] = []
    page.on("request", lambda r: searches.append(r.url) if "q=" in r.url else None)
    page.focus("#q")
    # Chromium's own IME path, as a 注音 keyboard drives it: composing, then committing the word.
    cdp = page.context.new_cdp_session(page)
    cdp.send("Input.imeSetComposition", {"text": "ㄌㄨㄛˊ", "selectionStart": 4, "selectionEnd": 4})
    page.wait_for_timeout(900)                 # longer than the search's 400 ms pause
    assert searches == []
    # The first search of a fresh process loads the model: allow it time.
    with page.expect_response(lambda r: "q=" in r.url, timeout=60_000):
        cdp.send("Input.insertText", {"text": "螺絲"})
    expect(page.locator("#problem-rows article").first).to_contain_text("螺絲外觀瑕疵檢測")
    assert len(searches) == 1 and "%E8%9E%BA%E7%B5%B2" in searches[0]
    assert "sector=" not in searches[0] and "sector=" not in page.url     # empty fields stay out
    page.keyboard.press("Enter")               # nor pressing Enter on the same words
    page.keyboard.press("Tab")                 # nor leaving the box
    page.wait_for_timeout(900)
    assert len(searches) == 1
    page.fill("#q", "魚塭")                    # new words search again
    expect(page.locator("#problem-rows article").first).to_contain_text("魚塭溶氧預測")
    assert len(searches) == 2
