"""Approving many matches at once: one box ticks every match that can be approved."""
from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect

from models import Match, Team
from tests import factories
from tests.browser.pages import signed_in

pytestmark = pytest.mark.browser
DESKTOP = {"width": 1366, "height": 900}


def _proposed(session, full: bool = False) -> Match:
    team_user = factories.user(session, "team")
    team = session.get(Team, team_user.team_id)
    if full:
        # Its one slot is taken by a running project.
        team.capacity = 1
        session.add(Match(problem_id=factories.problem(session, status="matched").id, team_id=team.id,
                          status="approved"))
    problem = factories.problem(session)
    bid = factories.bid(session, problem, team_user, status="selected")
    match = Match(problem_id=problem.id, team_id=team.id, bid_id=bid.id, status="proposed")
    session.add(match)
    session.commit()
    return match


def test_tick_all_approves_every_approvable_match_and_skips_a_full_team(browser: Browser, live_server: str,
                                                                          session):
    ready = [_proposed(session) for _ in range(4)]
    full = _proposed(session, full=True)
    staff = factories.user(session, "staff")
    page = signed_in(browser, live_server, staff.email, viewport=DESKTOP)
    page.goto(live_server + "/staff/matches")
    counter = page.locator("[data-ticked=match_ids]")
    expect(counter).to_have_text("0")
    page.get_by_label("全選可核准的媒合").check()
    expect(counter).to_have_text("4")
    expect(page.locator(f"#pick-{full.id}")).not_to_be_checked()
    page.locator(f"#pick-{ready[0].id}").uncheck()
    expect(counter).to_have_text("3")
    expect(page.get_by_label("全選可核准的媒合")).not_to_be_checked()
    # The approval button stays in view at the bottom of a long list.
    page.locator(f"#match-{full.id}").scroll_into_view_if_needed()
    expect(page.locator("#bulk-approve button[type=submit]")).to_be_in_viewport()
    page.locator("#bulk-approve button[type=submit]").click()
    expect(page.locator(".flash").first).to_be_visible()
    for match in ready + [full]:
        session.refresh(match)
    assert [m.status for m in ready] == ["proposed", "approved", "approved", "approved"]
    assert full.status == "proposed"


def test_without_javascript_the_tick_all_box_is_not_offered(browser: Browser, live_server: str, session):
    _proposed(session)
    staff = factories.user(session, "staff")
    page = signed_in(browser, live_server, staff.email, viewport=DESKTOP, java_script_enabled=False)
    page.goto(live_server + "/staff/matches")
    expect(page.locator("[data-tick-all]")).to_be_hidden()
    expect(page.locator("input[name=match_ids]")).to_have_count(1)


def test_tick_all_on_the_review_queue_publishes_every_problem(browser: Browser, live_server: str, session):
    problems = [factories.problem(session, status="submitted") for _ in range(3)]
    staff = factories.user(session, "staff")
    page = signed_in(browser, live_server, staff.email, viewport=DESKTOP)
    page.goto(live_server + "/staff/review")
    page.get_by_label("全選").check()
    expect(page.locator("[data-ticked=problem_ids]")).to_have_text("3")
    page.locator("button[name=decision][value=publish]").click()
    expect(page.locator(".flash").first).to_be_visible()
    for problem in problems:
        session.refresh(problem)
    assert {p.status for p in problems} == {"published"}
