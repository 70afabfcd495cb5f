"""Bids from the team's side and the company's: milestones, members, withdraw, compare, select."""
from __future__ import annotations

import re
from datetime import date, timedelta

import sqlalchemy as sa
from sqlmodel import select

from models import AuditEvent, Bid, Match, Notification, TeamMember, User
from tests import factories
from tests.factories import picked

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
    owners = session.exec(select(User).where(User.organisation_id == problem.organisation_id)).all()
    assert [session.exec(select(Notification.kind).where(Notification.user_id == u.id)).all() for u in owners] == \
        [["bid_withdrawn"]], "the company hears of the withdrawal"


def test_team_changes_its_open_bid_and_the_company_is_told_what_changed(app, session):
    owner = factories.user(session, "company")
    problem = factories.problem(session, owner=owner)
    client, team_user = _team_client(app, session)
    bid = factories.bid(session, problem, team_user, status="shortlisted", price=900_000,
                        milestones=[{"title": "資料盤點", "due": (date.today() + timedelta(days=30)).isoformat()}])
    page = client.get(f"/problems/{problem.id}").get_data(as_text=True)
    form = page[page.index(f'action="/bids/{bid.id}"'):].split("</form>")[0]
    assert 'value="900000"' in form and "資料盤點" in form and bid.approach in form, "filled from the bid"
    assert client.post_form(f"/bids/{bid.id}", {**BID, "price": "750000"}).status_code == 302
    session.refresh(bid)
    assert (bid.price, bid.status, bid.timeline_months) == (750_000, "shortlisted", 5), "the shortlisting stands"
    assert [m["title"] for m in bid.milestones] == ["資料盤點", "PoC 驗證"]
    event = session.exec(select(AuditEvent).where(AuditEvent.action == "bid.revised")).one()
    assert set(event.detail["changed"]) == {"approach", "milestones", "price", "timeline_months"}
    assert session.exec(select(Notification.kind).where(Notification.user_id == owner.id)).all() == ["bid_revised"]
    assert session.exec(select(sa.func.count()).select_from(Bid)).one() == 1


def test_a_bad_change_keeps_the_bid_and_shows_the_error_in_place(app, session):
    problem = factories.problem(session)
    client, team_user = _team_client(app, session)
    bid = factories.bid(session, problem, team_user, price=900_000)
    response = client.post_form(f"/bids/{bid.id}", {**BID, "price": "0"}, htmx=True)
    body = response.get_data(as_text=True)
    assert response.status_code == 400 and "field-error" in body and "<details open" in body
    session.refresh(bid)
    assert bid.price == 900_000


def test_a_bid_cannot_change_once_selected_or_by_another_team(app, session):
    problem = factories.problem(session)
    client, team_user = _team_client(app, session)
    bid = factories.bid(session, problem, team_user, status="selected", price=900_000)
    refused = client.post_form(f"/bids/{bid.id}", BID)
    assert refused.status_code == 409 and "此投標已無法變更" in refused.get_data(as_text=True)
    other_client, _ = _team_client(app, session)
    assert other_client.post_form(f"/bids/{bid.id}", BID).status_code == 403
    session.refresh(bid)
    assert (bid.price, bid.status) == (900_000, "selected")


def test_a_withdrawn_bid_can_be_submitted_again_while_the_problem_is_open(app, session):
    owner = factories.user(session, "company")
    problem = factories.problem(session, owner=owner)
    client, team_user = _team_client(app, session)
    bid = factories.bid(session, problem, team_user, status="withdrawn")
    page = client.get(f"/problems/{problem.id}").get_data(as_text=True)
    assert "再次投標" in page and bid.approach in page[page.index("再次投標"):]
    assert client.post_form(f"/bids/{bid.id}", BID).status_code == 302
    session.refresh(bid)
    assert bid.status == "submitted" and bid.price == 880_000
    assert "bid.resubmitted" in session.exec(select(AuditEvent.action)).all()
    note = session.exec(select(Notification).where(Notification.user_id == owner.id)).one()
    assert note.kind == "bid_resubmitted" and note.params["price"] == "NT$880,000"
    closed = factories.problem(session, status="matched")
    old = factories.bid(session, closed, team_user, status="withdrawn")
    assert "再次投標" not in client.get(f"/problems/{closed.id}").get_data(as_text=True)
    assert client.post_form(f"/bids/{old.id}", BID).status_code == 400
    session.refresh(old)
    assert old.status == "withdrawn"


def test_withdrawing_a_bid_needs_the_box_ticked(app, session):
    problem = factories.problem(session)
    client, team_user = _team_client(app, session)
    bid = factories.bid(session, problem, team_user)
    page = client.get(f"/problems/{problem.id}").get_data(as_text=True)
    form = page[page.index(f'action="/bids/{bid.id}/withdraw"'):].split("</form>")[0]
    assert 'type="checkbox"' in form and "required" in form and "我了解企業將不再看到此投標，且其候選名單位置將會失去；問題仍開放時，本團隊可以再次投標。" in form
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
    assert client.post_form(f"/bids/{dear.id}/select", picked(dear)).status_code == 302
    match = session.exec(select(Match)).one()
    assert (match.status, match.bid_id, match.team_id) == ("proposed", dear.id, dear.team_id)
    assert session.exec(select(Notification.kind).where(Notification.user_id == staff.id)).all() \
        == ["match_proposed"]
    # A second selection while one awaits approval is refused.
    assert client.post_form(f"/bids/{cheap.id}/select", picked(cheap)).status_code == 409
    assert len(session.exec(select(Match)).all()) == 1


def test_selecting_asks_for_a_ticked_box_and_shortlisting_says_what_it_did(app, session):
    owner = factories.user(session, "company")
    problem = factories.problem(session, owner=owner)
    team_user = factories.user(session, "team")
    bid = factories.bid(session, problem, team_user)
    other = factories.bid(session, problem, factories.user(session, "team"))
    company = app.test_client()
    company.login(owner.email)
    page = company.get(f"/problems/{problem.id}/bids").get_data(as_text=True)
    assert f'name="select-{bid.id}-confirm"' in page and f'name="select-{other.id}-confirm"' in page
    refused = company.post_form(f"/bids/{bid.id}/select", {"terms": "x"})
    body = refused.get_data(as_text=True)
    assert refused.status_code == 400 and "請勾選確認。尚未選定任何團隊。" in body
    assert f'id="select-{bid.id}-confirm-error"' in body, "the message sits at the bid's own box"
    assert session.exec(select(Match)).first() is None
    session.refresh(bid)
    assert bid.status == "submitted"
    done = company.post_form(f"/bids/{bid.id}/shortlist", {"on": "1"})
    assert done.headers["Location"].endswith(f"/problems/{problem.id}/bids#bid-{bid.id}")
    assert "已列入候選名單" in company.get(done.headers["Location"]).get_data(as_text=True)


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


def test_the_company_selects_the_terms_it_saw_not_ones_changed_since(app, session):
    owner = factories.user(session, "company")
    problem = factories.problem(session, owner=owner)
    client, team_user = _team_client(app, session)
    bid = factories.bid(session, problem, team_user, status="shortlisted", price=1_000_000)
    company = app.test_client()
    company.login(owner.email)
    page = company.get(f"/problems/{problem.id}/bids").get_data(as_text=True)
    seen = re.search(r'name="terms" value="(\w+)"', page).group(1)
    assert client.post_form(f"/bids/{bid.id}", {**BID, "price": "3000000"}).status_code == 302
    note = session.exec(select(Notification).where(Notification.user_id == owner.id)).one()
    assert note.params["price"] == "NT$3,000,000"
    stale = company.post_form(f"/bids/{bid.id}/select", {"terms": seen, **picked(bid)})
    body = stale.get_data(as_text=True)
    assert stale.status_code == 409 and "團隊在您開啟此頁後變更了投標" in body
    assert "NT$ 3,000,000" in body and 'name="terms"' in body, "back on the comparison, showing the new terms"
    assert session.exec(select(Match)).first() is None
    fresh_page = company.get(f"/problems/{problem.id}/bids").get_data(as_text=True)
    assert "團隊已變更" in fresh_page, "the comparison marks a changed bid"
    fresh = re.search(r'name="terms" value="(\w+)"', fresh_page)
    assert company.post_form(f"/bids/{bid.id}/select", {"terms": fresh.group(1), **picked(bid)}).status_code == 302
    assert session.exec(select(Match)).one().bid_id == bid.id


def test_a_closed_teams_bid_is_neither_selected_nor_shortlisted_again(app, session):
    from models import Team
    from models.base import utcnow

    owner = factories.user(session, "company")
    problem = factories.problem(session, owner=owner)
    team_user = factories.user(session, "team")
    bid = factories.bid(session, problem, team_user, status="shortlisted")
    team = session.get(Team, team_user.team_id)
    team.closed_at = utcnow()
    session.add(team)
    session.commit()
    company = app.test_client()
    company.login(owner.email)
    refused = company.post_form(f"/bids/{bid.id}/select", picked(bid))
    assert refused.status_code == 400 and "已關閉帳號" in refused.get_data(as_text=True)
    match = Match(problem_id=problem.id, team_id=team.id, bid_id=bid.id, status="proposed")
    bid.status = "selected"
    session.add_all([match, bid])
    session.commit()
    staff = app.test_client()
    staff.login(factories.user(session, "staff").email)
    staff.post_form(f"/staff/matches/{match.id}/decide", {"decision": "reject", "reason": "團隊已關閉帳號"})
    session.refresh(bid)
    assert bid.status == "withdrawn", "not back on the shortlist"


def test_a_team_whose_capacity_is_full_is_warned_and_cannot_be_selected(app, session):
    from models import Team

    _running, _p, _company, team_user = factories.approved_match(session)     # one project running
    team = session.get(Team, team_user.team_id)
    team.capacity = 1
    session.add(team)
    session.commit()
    owner = factories.user(session, "company")
    problem = factories.problem(session, owner=owner)
    bidder = app.test_client()
    bidder.login(team_user.email)
    warning = bidder.get(f"/problems/{problem.id}").get_data(as_text=True)
    assert 'id="team-full"' in warning and "（1／1 件）" in warning
    assert bidder.post_form(f"/problems/{problem.id}/bids", BID).status_code == 302      # a bid is still allowed
    bid = session.exec(select(Bid).where(Bid.problem_id == problem.id)).one()

    company = app.test_client()
    company.login(owner.email)
    page = company.get(f"/problems/{problem.id}/bids").get_data(as_text=True)
    assert "執行中 1 件、承接上限 1 件" in page and f'id="full-{bid.id}"' in page
    assert f'name="select-{bid.id}-confirm"' not in page            # no selection form for it
    refused = company.post_form(f"/bids/{bid.id}/select", picked(bid))
    assert refused.status_code == 400 and "已無可承接名額（執行中 1 件，上限 1 件）" in refused.get_data(as_text=True)
    assert session.exec(select(Match).where(Match.problem_id == problem.id)).first() is None
    session.refresh(bid)
    assert bid.status == "submitted"
    assert company.post_form(f"/bids/{bid.id}/shortlist", {"on": "1"}).status_code == 302    # shortlisting still works
