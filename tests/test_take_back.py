"""The company takes back a selection before the promotion centre decides it, and only then."""
from __future__ import annotations

from sqlmodel import select

from models import AuditEvent, Bid, Match, Notification
from tests import factories
from tests.factories import picked


def _selected(app, session):
    """A company that selected one of two bids; returns (company client, problem, chosen, other, team user)."""
    owner = factories.user(session, "company")
    problem = factories.problem(session, owner=owner)
    team_user, other_user = factories.user(session, "team"), factories.user(session, "team")
    chosen, other = factories.bid(session, problem, team_user), factories.bid(session, problem, other_user)
    client = app.test_client()
    client.login(owner.email)
    assert client.post_form(f"/bids/{chosen.id}/select", picked(chosen)).status_code == 302
    return client, problem, chosen, other, team_user


def test_taking_back_a_selection_puts_the_bid_back_on_the_shortlist(app, session):
    client, problem, chosen, other, team_user = _selected(app, session)
    match_id = session.exec(select(Match.id)).one()
    page = client.get(f"/problems/{problem.id}/bids").get_data(as_text=True)
    assert f'action="/matches/{match_id}/take-back"' in page
    response = client.post_form(f"/matches/{match_id}/take-back")
    assert response.status_code == 302 and response.location.endswith(f"#bid-{chosen.id}")
    session.expire_all()
    assert session.exec(select(Match)).first() is None
    assert session.get(Bid, chosen.id).status == "shortlisted" and session.get(Bid, other.id).status == "submitted"
    assert "match.taken_back" in session.exec(select(AuditEvent.action)).all()
    told = session.exec(select(Notification.kind).where(Notification.user_id == team_user.id)).all()
    assert "selection_taken_back" in told
    # Nothing waits for staff any more, and the company can select anew (the other team, say).
    staff = app.test_client()
    staff.login(factories.user(session, "staff").email)
    assert f"/staff/matches/{match_id}/decide" not in staff.get("/staff/matches").get_data(as_text=True)
    stale = staff.post_form(f"/staff/matches/{match_id}/decide", {"decision": "approve"})   # a page opened before
    assert stale.status_code == 409 and "企業已撤回此選定" in stale.get_data(as_text=True)
    swapped = staff.post_form(f"/staff/matches/{match_id}/decide", {"decision": "approve"}, htmx=True)
    assert swapped.status_code == 409 and f'id="match-{match_id}"' in swapped.get_data(as_text=True)
    assert client.post_form(f"/bids/{other.id}/select", picked(other)).status_code == 302
    assert session.exec(select(Match.bid_id)).all() == [other.id]


def test_a_decided_selection_cannot_be_taken_back(app, session):
    client, problem, chosen, _other, _team = _selected(app, session)
    match = session.exec(select(Match)).one()
    staff = app.test_client()
    staff.login(factories.user(session, "staff").email)
    assert staff.post_form(f"/staff/matches/{match.id}/decide", {"decision": "approve"}).status_code in (200, 302)
    refused = client.post_form(f"/matches/{match.id}/take-back")
    assert refused.status_code == 409 and "已由" in refused.get_data(as_text=True)
    session.expire_all()
    assert session.get(Match, match.id).status == "approved" and session.get(Bid, chosen.id).status == "selected"


def test_only_the_problems_company_takes_back(app, session):
    _client, _problem, chosen, _other, team_user = _selected(app, session)
    match = session.exec(select(Match)).one()
    stranger = app.test_client()
    stranger.login(factories.user(session, "company").email)
    assert stranger.post_form(f"/matches/{match.id}/take-back").status_code == 403
    team = app.test_client()
    team.login(team_user.email)
    assert team.post_form(f"/matches/{match.id}/take-back").status_code == 403
    assert stranger.post_form("/matches/999999/take-back").status_code == 404
    session.expire_all()
    assert session.get(Match, match.id).status == "proposed"
