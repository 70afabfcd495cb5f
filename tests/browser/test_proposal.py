"""The proposal table in a real browser: the Fit and Why columns follow the team chosen in a swap, and on a
phone each pair is a card whose team dropdown has the whole width."""
from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect
from sqlmodel import select

from models import Job
from tests import factories
from tests.browser.pages import signed_in
from tests.test_recommendations import _farm_team, _vision_team

pytestmark = pytest.mark.browser


def test_the_fit_column_follows_a_swap(browser: Browser, live_server: str, session):
    problem = factories.problem(session, title="螺絲瑕疵檢測", tags=["defect_detection"])
    vision, farm = _vision_team(session), _farm_team(session)
    staff = factories.user(session, "staff")
    page = signed_in(browser, live_server, staff.email)
    page.goto(live_server + "/staff/assignment")
    page.locator("main form button[type=submit]").first.click()
    expect(page.locator("#proposal-heading")).to_be_visible(timeout=60_000)
    job = session.exec(select(Job)).one()
    session.refresh(job)
    fits = dict(map(tuple, job.result["candidates"][str(problem.id)]))
    assert job.result["pairs"][0]["team_id"] == vision.id and fits[vision.id] != fits[farm.id]
    expect(page.locator(f"#fit-{problem.id}")).to_have_text(f"{fits[vision.id]:.2f}")
    why = page.locator(f'[data-why-for="{problem.id}"]:visible')
    expect(why).to_have_count(1)
    expect(why).to_have_attribute("data-team", str(vision.id))
    expect(why).to_contain_text("瑕疵檢測")                               # the vision team's shared skill
    first = why.inner_text()
    page.select_option(f"#team-{problem.id}", str(farm.id))
    expect(page.locator(f"#fit-{problem.id}")).to_have_text(f"{fits[farm.id]:.2f}")
    expect(page.locator(f"#rank-{problem.id}")).to_have_text("2 個候選中第 2 名")
    expect(why).to_have_attribute("data-team", str(farm.id))           # the Why column follows the swap
    expect(why).not_to_have_text(first)
    # On a phone the row is a card: the dropdown spans it, and nothing scrolls sideways.
    width = page.locator(f"#team-{problem.id}").bounding_box()["width"]
    assert width > 300, width
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    expect(page.locator(f"#team-{problem.id}").locator("xpath=ancestor::td")).to_have_attribute("data-label", "團隊")
