"""Staff close a project that will not be delivered: a reason, a ticked box, both sides told."""
from __future__ import annotations

import pytest
from sqlmodel import select

from marketplace.recommender.data import team_load
from models import AuditEvent, Notification, ProgressPost
from tests import factories

REASON = "企業因預算凍結中止合作，雙方同意結案。"


def _client(app, user):
    client = app.test_client()
    client.login(user.email)
    return client


def test_staff_close_a_running_project_with_a_reason_both_sides_read(app, session):
    match, problem, company, team_user = factories.approved_match(session, problem_status="in_progress")
    assert team_load(session)[team_user.team_id] == 1
    staff = _client(app, factories.user(session, "staff"))
    page = staff.get(f"/projects/{match.id}").get_data(as_text=True)
    assert 'id="close-heading"' in page
    for form, message in (({"reason": REASON}, "請勾選確認"), ({"reason": "", "confirm": "y"}, "請說明結案原因")):
        refused = staff.post_form(f"/projects/{match.id}/close", form)
        assert refused.status_code == 400 and message in refused.get_data(as_text=True), form
        session.refresh(problem)
        assert problem.status == "in_progress", "nothing closed on a refusal"
    response = staff.post_form(f"/projects/{match.id}/close", {"reason": REASON, "confirm": "y"})
    assert response.status_code == 302
    session.refresh(problem)
    assert problem.status == "closed" and problem.closed_at is not None
    assert session.exec(select(ProgressPost.body).where(ProgressPost.match_id == match.id)).all() == [REASON]
    told = set(session.exec(select(Notification.user_id).where(Notification.kind == "project_closed")).all())
    assert told == {company.id, team_user.id}
    event = session.exec(select(AuditEvent).where(AuditEvent.action == "problem.closed")).one()
    assert event.detail["reason"] == REASON and event.detail["previous"] == "in_progress"
    team_page = _client(app, team_user).get(f"/projects/{match.id}").get_data(as_text=True)
    assert REASON in team_page and 'id="post-heading"' not in team_page and 'id="close-heading"' not in team_page
    assert team_load(session).get(team_user.team_id, 0) == 0       # the team's place is free again


@pytest.mark.parametrize("role", ["company", "team"])
def test_only_staff_close_a_project(app, session, role):
    match, problem, company, team_user = factories.approved_match(session, problem_status="in_progress")
    client = _client(app, company if role == "company" else team_user)
    assert 'id="close-heading"' not in client.get(f"/projects/{match.id}").get_data(as_text=True)
    assert client.post_form(f"/projects/{match.id}/close", {"reason": REASON, "confirm": "y"}).status_code == 403
    session.refresh(problem)
    assert problem.status == "in_progress"


def test_a_verified_solution_cannot_be_closed(app, session):
    match, problem, _company, _team = factories.approved_match(session, problem_status="verified")
    staff = _client(app, factories.user(session, "staff"))
    assert 'id="close-heading"' not in staff.get(f"/projects/{match.id}").get_data(as_text=True)
    refused = staff.post_form(f"/projects/{match.id}/close", {"reason": REASON, "confirm": "y"})
    assert refused.status_code == 400 and "只有已媒合、進行中或已交付的專案可以結案" in refused.get_data(as_text=True)
    session.refresh(problem)
    assert problem.status == "verified"
