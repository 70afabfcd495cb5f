"""Declared conflicts of interest: a team names an organisation it must not work for, and every
way of pairing the two (bids, recommendations, the proposal) respects it until it is taken back."""
from __future__ import annotations

from sqlmodel import select

from marketplace.services.recommend import problems_for_team, teams_for_problem
from models import AuditEvent, Bid, Invitation, Job, Notification, Team, TeamConflict
from tests import factories
from tests.test_bids import BID


def _setting(app, session):
    """A company with a published problem, a team that bid on it, and the team signed in."""
    company = factories.user(session, "company")
    problem = factories.problem(session, owner=company, title="螺絲外觀瑕疵自動檢測", tags=["defect_detection"])
    team_user = factories.user(session, "team")
    bid = factories.bid(session, problem, team_user)
    client = app.test_client()
    client.login(team_user.email)
    return client, company, problem, team_user, bid


def test_declaring_a_conflict_withdraws_open_bids_and_hides_the_pair_everywhere(app, session):
    client, company, problem, team_user, bid = _setting(app, session)
    page = client.get("/my/team/profile").get_data(as_text=True)
    assert f'<option value="{company.organisation_id}">' in page       # a company with a listed problem
    response = client.post_form("/my/team/conflicts", {"organisation": str(company.organisation_id),
                                                       "reason": "成員擔任該公司顧問"})
    assert response.status_code == 302 and response.location.endswith("#conflicts")
    assert "1 份進行中投標已撤回" in client.get("/my/team/profile").get_data(as_text=True)
    session.expire_all()
    assert session.get(TeamConflict, (team_user.team_id, company.organisation_id)).reason == "成員擔任該公司顧問"
    assert session.get(Bid, bid.id).status == "withdrawn"
    assert session.exec(select(Notification).where(Notification.user_id == company.id)).one().kind == "bid_withdrawn"
    assert set(session.exec(select(AuditEvent.action)).all()) == {"team.conflict_declared", "bid.withdrawn"}
    page = client.get("/my/team/profile").get_data(as_text=True)
    assert "成員擔任該公司顧問" in page and f'<option value="{company.organisation_id}">' not in page

    second = factories.problem(session, owner=company, title="扣件刮傷自動檢測", tags=["defect_detection"])
    refused = client.post_form(f"/problems/{second.id}/bids", BID)
    assert refused.status_code == 403 and "利益衝突" in refused.get_data(as_text=True)
    owner = app.test_client()
    owner.login(company.email)
    invited = owner.post_form(f"/problems/{second.id}/invite/{team_user.team_id}", {}, follow_redirects=True)
    assert "利益衝突" in invited.get_data(as_text=True)
    assert session.exec(select(Invitation)).first() is None
    with app.test_request_context():
        team = session.get(Team, team_user.team_id)
        assert team.id not in {r.obj.id for r in teams_for_problem(session=session, problem=second, limit=50)}
        assert second.id not in {r.obj.id for r in problems_for_team(session=session, team=team, limit=50)}

    staff = app.test_client()
    staff.login(factories.user(session, "staff").email)
    assert "成員擔任該公司顧問" in staff.get(f"/teams/{team.id}").get_data(as_text=True)
    audit = staff.get("/staff/audit").get_data(as_text=True)
    assert "因團隊申報利益衝突" in audit          # the withdrawal says why, in words
    assert "成員擔任該公司顧問" not in app.test_client().get(f"/teams/{team.id}").get_data(as_text=True)
    assert "成員擔任該公司顧問" not in client.get(f"/teams/{team.id}").get_data(as_text=True)     # staff only

    assert client.post_form(f"/my/team/conflicts/{company.organisation_id}/delete").status_code == 302
    assert session.get(TeamConflict, (team_user.team_id, company.organisation_id)) is None
    assert client.post_form(f"/problems/{second.id}/bids", BID).status_code == 302    # may bid again


def test_a_declaration_needs_a_listed_organisation_and_a_reason_and_writes_nothing_otherwise(app, session):
    client, company, _problem, team_user, bid = _setting(app, session)
    drafts_only = factories.user(session, "company")
    factories.problem(session, owner=drafts_only, status="draft")
    for form, message in (({"organisation": "", "reason": "顧問"}, "請選擇組織"),
                          ({"organisation": str(company.organisation_id), "reason": ""}, "請簡述原因"),
                          ({"organisation": str(drafts_only.organisation_id), "reason": "顧問"}, "不是有效的選擇"),
                          ({"organisation": "abc", "reason": "顧問"}, "不是有效的選擇")):
        response = client.post_form("/my/team/conflicts", form)
        page = response.get_data(as_text=True)
        assert response.status_code == 400 and message in page, form
        assert 'id="conflict-organisation-error"' in page or 'id="conflict-reason-error"' in page
    session.expire_all()
    assert session.exec(select(TeamConflict)).first() is None
    assert session.get(Bid, bid.id).status == "submitted"
    assert client.post_form("/my/team/conflicts/999999/delete").status_code == 404


def test_the_proposal_leaves_out_a_declared_pair_and_says_so(app, session):
    client, company, problem, team_user, _bid = _setting(app, session)
    client.post_form("/my/team/conflicts", {"organisation": str(company.organisation_id), "reason": "顧問"})
    other = factories.team(session, name="另一支檢測團隊")
    own = factories.team(session, name="企業自家團隊", organisation_id=company.organisation_id)
    staff = app.test_client()
    staff.login(factories.user(session, "staff").email)
    assert staff.post_form("/staff/assignment", {"candidates": "3"}).status_code == 302
    job = session.exec(select(Job)).one()
    session.refresh(job)
    assert job.status == "done", job.error
    assert all(p["team_id"] != team_user.team_id for p in job.result["pairs"] if p["problem_id"] == problem.id)
    assert [p["team_id"] for p in job.result["pairs"] if p["problem_id"] == problem.id] == [other.id]
    left_out = {team_id: kind for team_id, _fit, kind in job.result["left_out"][str(problem.id)]}
    assert left_out == {team_user.team_id: "declared", own.id: "own"}
    page = staff.get(f"/staff/assignment/{job.id}").get_data(as_text=True)
    note = page.split(f'id="left-out-{problem.id}">', 1)[1].split("</p>", 1)[0]
    assert note.startswith("因利益衝突未列入：") and "企業自家團隊（企業自家的團隊；適配分數 " in note
    assert f"{session.get(Team, team_user.team_id).name}（已申報利益衝突；適配分數 " in note
    staff.post_form("/lang/en")
    english = staff.get(f"/staff/assignment/{job.id}").get_data(as_text=True)
    assert "Left out for a conflict of interest: " in english and "(declared a conflict, fit " in english
