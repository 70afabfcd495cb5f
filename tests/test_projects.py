"""Running a project: the team posts progress and delivers, the company confirms or sends back."""
from __future__ import annotations

from sqlmodel import select

from models import Milestone, Notification, Organisation, Problem, ProgressPost, Solution
from tests import factories

DELIVERY = {"summary": "完成扣件瑕疵檢測系統並部署於兩條產線，含操作訓練。", "results": "漏檢率 0.4%",
            "kpi_reached": "漏檢率 < 0.5% 達成", "assets": "標註資料集 6,000 張", "shareable": "y"}


def _client(app, user):
    client = app.test_client()
    client.login(user.email)
    return client


def test_first_progress_post_starts_the_project_and_closes_a_milestone(app, session):
    match, problem, company, team_user = factories.approved_match(session)
    client = _client(app, team_user)
    milestone = session.exec(select(Milestone).where(Milestone.match_id == match.id)).first()
    response = client.post_form(f"/projects/{match.id}/progress",
                                {"body": "資料盤點完成，缺漏 3%。", "milestone_id": str(milestone.id),
                                 "milestone_done": "y"})
    assert response.status_code == 302
    session.refresh(problem), session.refresh(milestone)
    assert problem.status == "in_progress" and milestone.done_at is not None
    page = _client(app, company).get(f"/projects/{match.id}").get_data(as_text=True)
    assert "資料盤點完成" in page


def test_empty_progress_post_keeps_the_page_and_says_why(app, session):
    match, _, _, team_user = factories.approved_match(session)
    response = _client(app, team_user).post_form(f"/projects/{match.id}/progress", {"body": ""})
    assert response.status_code == 400 and "field-error" in response.get_data(as_text=True)
    assert session.exec(select(ProgressPost)).first() is None


def test_other_teams_and_companies_get_403(app, session):
    match, problem, _, _ = factories.approved_match(session, "in_progress")
    other_match, _, _, _ = factories.approved_match(session)
    other_team = factories.user(session, "team")
    other_company = factories.user(session, "company")
    outsider = _client(app, other_team)
    assert outsider.get(f"/projects/{match.id}").status_code == 403
    assert outsider.post_form(f"/projects/{match.id}/progress", {"body": "入侵"}).status_code == 403
    assert outsider.post_form(f"/projects/{match.id}/deliver", DELIVERY).status_code == 403
    company = _client(app, other_company)
    assert company.get(f"/projects/{match.id}").status_code == 403
    assert company.post_form(f"/projects/{match.id}/confirm", {"decision": "accept"}).status_code == 403
    # A milestone of another project cannot be ticked from this one.
    foreign = session.exec(select(Milestone).where(Milestone.match_id == other_match.id)).first()
    team_user = session.exec(select(factories.User).where(factories.User.team_id == match.team_id)).first()
    response = _client(app, team_user).post_form(
        f"/projects/{match.id}/progress", {"body": "試試看", "milestone_id": str(foreign.id)})
    assert response.status_code in (400, 403)
    session.refresh(foreign)
    assert foreign.done_at is None


def test_deliver_confirm_and_send_back(app, session):
    match, problem, company, team_user = factories.approved_match(session, "in_progress")
    team = _client(app, team_user)
    bad = team.post_form(f"/projects/{match.id}/deliver", {**DELIVERY, "summary": "短"})
    assert bad.status_code == 400 and "漏檢率 0.4%" in bad.get_data(as_text=True)
    assert team.post_form(f"/projects/{match.id}/deliver", DELIVERY).status_code == 302
    session.refresh(problem)
    assert problem.status == "delivered"
    assert "solution_delivered" in session.exec(select(Notification.kind).where(
        Notification.user_id == company.id)).all()
    owner = _client(app, company)
    no_reason = owner.post_form(f"/projects/{match.id}/confirm", {"decision": "reject"})
    assert no_reason.status_code == 400
    owner.post_form(f"/projects/{match.id}/confirm", {"decision": "reject", "reason": "缺少操作手冊"})
    session.refresh(problem)
    assert problem.status == "in_progress"
    assert team.post_form(f"/projects/{match.id}/deliver", DELIVERY).status_code == 302
    assert owner.post_form(f"/projects/{match.id}/confirm", {"decision": "accept"}).status_code == 302
    solution = session.exec(select(Solution)).one()
    assert solution.confirmed_at is not None and solution.shareable
    assert not solution.share_approved, "the team's offer to share needs the company's consent"
    session.refresh(problem)
    assert problem.status == "delivered"
    told = session.exec(select(Notification).where(Notification.user_id == team_user.id)
                        .order_by(Notification.id)).all()
    assert [(n.kind, n.params.get("reason")) for n in told] == [("delivery_returned", "缺少操作手冊"),
                                                                ("delivery_confirmed", "")]


def test_project_page_is_reachable_from_both_homes(app, session):
    match, problem, company, team_user = factories.approved_match(session, "in_progress")
    assert f"/projects/{match.id}" in _client(app, company).get("/my/problems").get_data(as_text=True)
    assert f"/projects/{match.id}" in _client(app, team_user).get("/my/team").get_data(as_text=True)
    assert session.get(Problem, problem.id).status == "in_progress"


def test_overdue_milestones_are_reminded_once(app, session):
    from datetime import date, timedelta

    from marketplace.services.monitoring import remind_overdue_milestones

    match, problem, company, team_user = factories.approved_match(session, "in_progress")
    late = session.exec(select(Milestone).where(Milestone.match_id == match.id)).first()
    late.due_date = date.today() - timedelta(days=3)
    session.add(late)
    session.commit()
    with app.test_request_context():
        from marketplace.db import get_session

        assert remind_overdue_milestones(session=get_session()) == 1
        assert remind_overdue_milestones(session=get_session()) == 0
    kinds = session.exec(select(Notification.kind).where(Notification.kind == "milestone_overdue")).all()
    assert len(kinds) == 2   # the team and the company


def test_the_company_decides_whether_results_go_public(app, session):
    match, problem, company, team_user = factories.approved_match(session, "in_progress")
    _client(app, team_user).post_form(f"/projects/{match.id}/deliver", DELIVERY)
    page = _client(app, company).get(f"/projects/{match.id}").get_data(as_text=True)
    assert 'name="share"' in page
    _client(app, company).post_form(f"/projects/{match.id}/confirm", {"decision": "accept", "share": "y"})
    assert session.exec(select(Solution)).one().share_approved


def test_ticking_done_without_a_milestone_is_refused_with_a_reason(app, session):
    match, _problem, _company, team_user = factories.approved_match(session, "in_progress")
    team = _client(app, team_user)
    response = team.post_form(f"/projects/{match.id}/progress", {"body": "完成資料清理", "milestone_id": "0",
                                                                  "milestone_done": "y"})
    assert response.status_code == 400 and "請選擇已完成的里程碑" in response.get_data(as_text=True)
    assert not session.exec(select(ProgressPost)).all()


def test_the_delivery_form_names_the_milestones_still_open(app, session):
    match, _problem, _company, team_user = factories.approved_match(session, "in_progress")
    team = _client(app, team_user)
    page = team.get(f"/projects/{match.id}").get_data(as_text=True)
    assert "里程碑 資料盤點和模型驗證 尚未標示完成" in page
    for milestone in session.exec(select(Milestone).where(Milestone.match_id == match.id)).all():
        team.post_form(f"/projects/{match.id}/progress", {"body": "完成這個階段", "milestone_id": str(milestone.id),
                                                          "milestone_done": "y"})
    assert "尚未標示完成" not in team.get(f"/projects/{match.id}").get_data(as_text=True)


def test_the_company_writes_on_the_timeline_and_each_side_is_told_of_the_other(app, session):
    match, problem, company, team_user = factories.approved_match(session)
    team_client, company_client = _client(app, team_user), _client(app, company)
    assert team_client.post_form(f"/projects/{match.id}/progress", {"body": "資料盤點完成，缺漏 3%。"}).status_code == 302
    assert session.exec(select(Notification.kind).where(Notification.user_id == company.id)).all() == \
        ["progress_posted"]
    empty = company_client.post_form(f"/projects/{match.id}/message", {"body": ""})
    assert empty.status_code == 400 and "field-error" in empty.get_data(as_text=True)
    assert company_client.post_form(f"/projects/{match.id}/message",
                                    {"body": "已補上 2025 年的瑕疵影像，請查收。"}).status_code == 302
    session.refresh(problem)
    assert problem.status == "in_progress", "a message changes no status"
    assert "project_message" in session.exec(select(Notification.kind)
                                             .where(Notification.user_id == team_user.id)).all()
    page = team_client.get(f"/projects/{match.id}").get_data(as_text=True)
    org = session.get(Organisation, problem.organisation_id)
    assert "已補上 2025 年的瑕疵影像" in page and f"({org.name})" in page
    assert 'action="/projects/%d/message"' % match.id not in page, "the team posts progress, not messages"
    assert team_client.post_form(f"/projects/{match.id}/message", {"body": "冒名留言"}).status_code == 403
    stranger = _client(app, factories.user(session, "company"))
    assert stranger.post_form(f"/projects/{match.id}/message", {"body": "陌生人留言"}).status_code == 403
    assert len(session.exec(select(ProgressPost)).all()) == 2


def test_company_messages_do_not_hide_a_quiet_team_from_the_stalled_list(app, session):
    from datetime import timedelta

    from marketplace.services.monitoring import stalled_projects
    from models.base import utcnow

    match, problem, company, team_user = factories.approved_match(session, "in_progress")
    session.add(ProgressPost(match_id=match.id, author_id=team_user.id, body="資料盤點完成。",
                             created_at=utcnow() - timedelta(days=30)))
    session.commit()
    assert _client(app, company).post_form(f"/projects/{match.id}/message", {"body": "請問進度如何？"}).status_code == 302
    stalled = stalled_projects(session=session, days=14)
    assert [s.match.id for s in stalled] == [match.id] and stalled[0].days_quiet == 30
