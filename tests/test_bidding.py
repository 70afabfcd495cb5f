"""Bids from the team's side and the company's: milestones, members, withdraw, compare, select."""
from __future__ import annotations

from datetime import date, timedelta

from sqlmodel import select

from models import Bid, Match, Notification, TeamMember
from tests import factories

BID = {"approach": "以 YOLO 物件偵測與主動學習建立瑕疵模型，現場驗證後導入。", "price": "880000",
       "timeline_months": "5",
       "milestones-0-title": "資料盤點", "milestones-0-due": (date.today() + timedelta(days=45)).isoformat(),
       "milestones-1-title": "PoC 驗證", "milestones-1-due": (date.today() + timedelta(days=95)).isoformat()}


def _team_client(app, session):
    team_user = factories.user(session, "team")
    client = app.test_client()
    client.login(team_user.email)
    return client, team_user


def test_bid_with_milestones_and_members_notifies_the_company(app, session):
    owner = factories.user(session, "company")
    problem = factories.problem(session, owner=owner)
    client, team_user = _team_client(app, session)
    member = session.exec(select(TeamMember).where(TeamMember.team_id == team_user.team_id)).first()
    response = client.post_form(f"/problems/{problem.id}/bids", {**BID, "member_ids": str(member.id)})
    assert response.status_code == 302
    bid = session.exec(select(Bid)).one()
    assert [m["title"] for m in bid.milestones] == ["資料盤點", "PoC 驗證"]
    assert bid.member_ids == [member.id]
    assert session.exec(select(Notification.kind).where(Notification.user_id == owner.id)).all() == ["new_bid"]


def test_members_of_another_team_cannot_be_assigned(app, session):
    problem = factories.problem(session)
    other = factories.user(session, "team")
    stranger = session.exec(select(TeamMember).where(TeamMember.team_id == other.team_id)).first()
    client, _ = _team_client(app, session)
    response = client.post_form(f"/problems/{problem.id}/bids", {**BID, "member_ids": str(stranger.id)})
    assert response.status_code == 400   # not one of the offered choices
    assert session.exec(select(Bid)).first() is None


def test_withdraw_own_bid_but_not_another_teams(app, session):
    problem = factories.problem(session)
    client, team_user = _team_client(app, session)
    bid = factories.bid(session, problem, team_user)
    other_client, other = _team_client(app, session)
    assert other_client.post_form(f"/bids/{bid.id}/withdraw", {"confirm": "y"}).status_code == 403
    assert client.post_form(f"/bids/{bid.id}/withdraw", {"confirm": "y"}).status_code == 302
    session.refresh(bid)
    assert bid.status == "withdrawn"


def test_withdrawing_a_bid_needs_the_box_ticked(app, session):
    problem = factories.problem(session)
    client, team_user = _team_client(app, session)
    bid = factories.bid(session, problem, team_user)
    page = client.get(f"/problems/{problem.id}").get_data(as_text=True)
    form = page[page.index(f'action="/bids/{bid.id}/withdraw"'):].split("</form>")[0]
    assert 'type="checkbox"' in form and "required" in form and "我了解撤回的投標無法再恢復，本團隊也不能再對此問題投標。" in form
    refused = client.post_form(f"/bids/{bid.id}/withdraw")
    body = refused.get_data(as_text=True)
    assert refused.status_code == 400 and "請勾選方框以確認；目前尚未撤回任何內容。" in body
    assert 'aria-invalid="true"' in body and problem.title in body and bid.approach in body
    session.refresh(bid)
    assert bid.status == "submitted"
    client.post_form("/lang/en")
    body = client.post_form(f"/bids/{bid.id}/withdraw").get_data(as_text=True)
    assert "Tick the box to confirm. Nothing has been withdrawn." in body


def test_company_compares_shortlists_and_selects(app, session):
    owner = factories.user(session, "company")
    problem = factories.problem(session, owner=owner)
    cheap = factories.bid(session, problem, factories.user(session, "team"), price=500_000)
    dear = factories.bid(session, problem, factories.user(session, "team"), price=990_000)
    staff = factories.user(session, "staff")
    client = app.test_client()
    client.login(owner.email)
    page = client.get(f"/problems/{problem.id}/bids").get_data(as_text=True)
    assert "NT$ 500,000" in page and "NT$ 990,000" in page
    assert client.post_form(f"/bids/{dear.id}/shortlist", {"on": "1"}).status_code == 302
    session.refresh(dear)
    assert dear.status == "shortlisted"
    assert client.post_form(f"/bids/{dear.id}/select").status_code == 302
    match = session.exec(select(Match)).one()
    assert (match.status, match.bid_id, match.team_id) == ("proposed", dear.id, dear.team_id)
    assert session.exec(select(Notification.kind).where(Notification.user_id == staff.id)).all() \
        == ["match_proposed"]
    # A second selection while one awaits approval is refused.
    assert client.post_form(f"/bids/{cheap.id}/select").status_code == 409
    assert len(session.exec(select(Match)).all()) == 1


def test_another_company_cannot_shortlist_or_select(app, session):
    problem = factories.problem(session)
    bid = factories.bid(session, problem, factories.user(session, "team"))
    client = app.test_client()
    client.login(factories.user(session, "company").email)
    assert client.post_form(f"/bids/{bid.id}/shortlist").status_code == 403
    assert client.post_form(f"/bids/{bid.id}/select").status_code == 403
    session.refresh(bid)
    assert bid.status == "submitted"
    assert session.exec(select(Match)).first() is None


def test_teams_see_other_bids_only_through_the_company(app, session):
    problem = factories.problem(session)
    factories.bid(session, problem, factories.user(session, "team"))
    client, _ = _team_client(app, session)
    assert client.get(f"/problems/{problem.id}/bids").status_code == 403
