"""Removing a team member asks for a ticked confirmation in a real browser, even without JavaScript."""
from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect
from sqlmodel import select

from models import TeamMember
from tests import factories
from tests.browser.pages import signed_in

pytestmark = pytest.mark.browser


def test_a_member_is_removed_only_after_ticking_the_box(browser: Browser, live_server: str, session):
    team_user = factories.user(session, "team")
    member_id = session.exec(select(TeamMember.id).where(TeamMember.team_id == team_user.team_id)).first()
    page = signed_in(browser, live_server, team_user.email, java_script_enabled=False)
    page.goto(f"{live_server}/my/team/profile")
    remove = page.locator(f"form[action$='/my/team/members/{member_id}/delete']")
    remove.locator("button").click()      # unticked: the browser keeps the form (required box)
    expect(remove.locator(f"input[name='remove-member-{member_id}-confirm']")).to_be_visible()
    session.expire_all()
    assert session.get(TeamMember, member_id) is not None
    remove.get_by_label("我了解這位成員將從團隊簡介及列出其姓名的投標中移除。").check()
    remove.locator("button").click()
    expect(page.locator(".flash").first).to_be_visible()
    expect(page.locator(f"form[action$='/my/team/members/{member_id}/delete']")).to_have_count(0)
    session.expire_all()
    assert session.get(TeamMember, member_id) is None
