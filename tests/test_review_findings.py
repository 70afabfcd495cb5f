"""Regression tests for defects found in review: leaks, redirects, consent, mail, races, limits."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from models import Bid, Job, Match, Notification, OutboxEmail, Team, TeamConflict
from models.base import utcnow
from tests import factories
from tests.factories import picked


def _login(app, user):
    client = app.test_client()
    client.login(user.email)
    return client


def test_a_team_cannot_read_a_hidden_problem_through_the_bid_form(app, session):
    draft = factories.problem(session, status="draft", title="機密草稿問題", pain="不可外流的細節")
    response = _login(app, factories.user(session, "team")).post_form(f"/problems/{draft.id}/bids", {})
    body = response.get_data(as_text=True)
    assert response.status_code == 404 and "不可外流的細節" not in body and "機密草稿問題" not in body


@pytest.mark.parametrize("target", ["/%09/evil.example", "//evil.example", "/\\evil.example",
                                    "https://evil.example", "/%0d%0a/evil.example"])
def test_login_never_redirects_off_site(client, session, target):
    user = factories.user(session)
    response = client.post_form(f"/login?next={target}", {"email": user.email, "password": factories.PASSWORD})
    assert response.status_code == 302 and response.headers["Location"] == "/me"


def test_line_breaks_never_reach_an_email_subject(app, session):
    owner = factories.user(session, "company")
    problem = factories.problem(session, owner=owner, status="submitted", title="第一行\r\nBcc: x@evil.example")
    staff = _login(app, factories.user(session, "staff"))
    staff.post_form("/staff/review", {"problem_ids": str(problem.id), "decision": "publish"})
    email = session.exec(select(OutboxEmail)).one()
    assert "\n" not in email.subject and "\r" not in email.subject


def test_a_refused_email_is_marked_failed_and_not_retried(app, session, smtp_server):
    from marketplace.services.mailer import deliver

    seen = []

    class Refusing:
        async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
            seen.append(address)
            return "550 no such user"

    smtp_server(Refusing())
    email = OutboxEmail(to_address="nobody@example.tw", subject="s", body="b")
    session.add(email)
    session.commit()
    with app.app_context():
        from marketplace.db import get_session

        assert deliver(session=get_session(), email_id=email.id) is False
        assert deliver(session=get_session(), email_id=email.id) is False
    session.refresh(email)
    assert email.failed_at is not None and email.sent_at is None and email.attempts == 1
    assert seen == ["nobody@example.tw"]


def test_a_job_whose_worker_died_is_picked_up_by_the_sweep(app, session):
    from workers.tasks import sweep

    owner = factories.user(session, "company")
    factories.problem(session, owner=owner)
    job = Job(kind="publish", params={"name": "problems"}, status="running",
              started_at=utcnow() - timedelta(hours=5), created_at=utcnow() - timedelta(hours=5))
    session.add(job)
    session.commit()
    with app.app_context():
        assert sweep(0)["jobs"] == 1
    session.refresh(job)
    assert job.status == "done"


def test_withdrawing_closes_the_pending_match_and_bids(app, session):
    owner = factories.user(session, "company")
    problem = factories.problem(session, owner=owner)
    bidder = factories.user(session, "team")
    bid = factories.bid(session, problem, bidder)
    company = _login(app, owner)
    compare = company.get(f"/problems/{problem.id}/bids").get_data(as_text=True)
    assert f'/bids/{bid.id}/select"' in compare
    company.post_form(f"/bids/{bid.id}/select", picked(bid))
    compare = company.get(f"/problems/{problem.id}/bids").get_data(as_text=True)
    assert "/select" not in compare and "正等待推動中心核准" in compare      # no second choice offered
    assert "選定的團隊待推動中心核准" in company.get("/my/problems").get_data(as_text=True)
    assert company.post_form(f"/problems/{problem.id}/withdraw", {"confirm": "y"}).status_code == 302
    match = session.exec(select(Match)).one()
    session.refresh(bid)
    assert match.status == "rejected" and bid.status == "declined"
    assert match.decided_by_id == owner.id and "The company withdrew the problem" in match.decision_reason
    kinds = session.exec(select(Notification.kind).where(Notification.user_id == bidder.id)
                         .order_by(Notification.id)).all()
    assert kinds == ["match_proposed", "problem_withdrawn"]      # told of the selection, then of the end
    queue = _login(app, factories.user(session, "staff")).get("/staff/matches").get_data(as_text=True)
    assert problem.title not in queue


def test_a_selected_bid_can_no_longer_be_withdrawn(app, session):
    owner = factories.user(session, "company")
    problem = factories.problem(session, owner=owner)
    team_user = factories.user(session, "team")
    bid = factories.bid(session, problem, team_user)
    _login(app, owner).post_form(f"/bids/{bid.id}/select", picked(bid))
    assert _login(app, team_user).post_form(f"/bids/{bid.id}/withdraw", {"confirm": "y"}).status_code == 400
    session.refresh(bid)
    assert bid.status == "selected"


def test_conflicted_teams_cannot_bid_or_be_selected(app, session):
    owner = factories.user(session, "company")
    problem = factories.problem(session, owner=owner)
    in_house = factories.user(session, "team")
    team = session.get(Team, in_house.team_id)
    team.organisation_id = owner.organisation_id
    session.add(team)
    declared = factories.user(session, "team")
    session.add(TeamConflict(team_id=declared.team_id, organisation_id=owner.organisation_id, reason="前同事"))
    session.commit()
    data = {"approach": "以影像辨識建立扣件瑕疵檢測模型，並於產線現場驗證導入。", "price": "500000",
            "timeline_months": "4",
            "milestones-0-title": "PoC", "milestones-0-due": "2027-03-01"}
    for user in (in_house, declared):
        assert _login(app, user).post_form(f"/problems/{problem.id}/bids", data).status_code == 403
    assert session.exec(select(Bid)).first() is None


def test_out_of_range_numbers_are_404s_not_500s(client, session):
    assert client.get("/problems/99999999999999999999999").status_code == 404
    assert client.get("/teams/99999999999999999999999").status_code == 404
    assert client.get("/problems?page=99999999999999999999").status_code == 200
