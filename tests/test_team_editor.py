"""The team profile editor: bilingual skills, members, portfolio; only for the team itself."""
from __future__ import annotations

from sqlmodel import select

from models import PortfolioProject, Team, TeamMember
from tests import factories

PROFILE = {"name": "智慧感測實驗室", "name_en": "Smart Sensing Lab", "affiliation_type": "university_lab",
           "affiliation": "國立清華大學", "region": "hsinchu_city", "language": "zh-TW",
           "description": "振動分析與預知保養。", "sectors": ["smart_machinery", "iot"],
           "skills": "預知保養, object detection, Unity 模擬", "capacity": "3"}


def _team(app, session):
    user = factories.user(session, "team")
    client = app.test_client()
    client.login(user.email)
    return client, user


def test_profile_save_resolves_skills_in_either_language(app, session):
    client, user = _team(app, session)
    assert client.post_form("/my/team/profile", PROFILE).status_code == 302
    team = session.get(Team, user.team_id)
    assert team.skills == ["predictive_maintenance", "object_detection"]
    assert team.extra_skills == ["Unity 模擬"]
    assert "不在技能清單中" in client.get("/my/team/profile").get_data(as_text=True)   # the * is explained
    assert team.sectors == ["smart_machinery", "iot"] and team.capacity == 3
    client.post_form("/lang/en")
    page = client.get("/my/team/profile").get_data(as_text=True)
    assert "Predictive Maintenance" in page


def test_a_skill_typed_by_an_alias_keeps_the_teams_own_word(app, session):
    client, user = _team(app, session)
    assert client.post_form("/my/team/profile", {**PROFILE, "skills": "YOLO, 物件偵測, AOI, Unity 模擬"}).status_code == 302
    team = session.get(Team, user.team_id)
    assert team.skills == ["object_detection", "aoi"]
    assert team.extra_skills == ["YOLO", "Unity 模擬"], "an alias stays as typed; a term's own name does not repeat"
    page = client.get(f"/teams/{team.id}").get_data(as_text=True)
    assert "物件偵測" in page and "YOLO" in page
    editor = client.get("/my/team/profile").get_data(as_text=True)
    assert "物件偵測, 自動光學檢測, YOLO, Unity 模擬" in editor
    again = {**PROFILE, "skills": "物件偵測, 自動光學檢測, YOLO, Unity 模擬"}
    assert client.post_form("/my/team/profile", again).status_code == 302
    session.refresh(team)
    assert (team.skills, team.extra_skills) == (["object_detection", "aoi"], ["YOLO", "Unity 模擬"]), \
        "saving again changes nothing"


def test_profile_bad_input_keeps_everything(app, session):
    client, user = _team(app, session)
    response = client.post_form("/my/team/profile", {**PROFILE, "sectors": [], "capacity": "0"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'value="智慧感測實驗室"' in page and "預知保養, object detection, Unity 模擬" in page
    assert page.count('class="field-error"') == 2
    assert "數字必須介於 1 和 20 之間" in page and "此欄位是必需的" not in page   # 0 was typed: a range, not "required"
    assert session.get(Team, user.team_id).name != "智慧感測實驗室"


def test_members_and_portfolio_rows(app, session):
    client, user = _team(app, session)
    bad = client.post_form("/my/team/members", {"name": "", "role": "PM", "cert_level": "basic"})
    assert bad.status_code == 400 and 'value="PM"' in bad.get_data(as_text=True)
    client.post_form("/my/team/members", {"name": "林雅婷", "role": "資料科學家", "cert_level": "intermediate"})
    member = session.exec(select(TeamMember).where(TeamMember.name == "林雅婷")).one()
    assert member.cert_level == "intermediate"
    client.post_form("/my/team/portfolio", {"title": "冷鏈溫度預測", "summary": "LSTM 預測，誤差 0.3 度。",
                                            "sector": "iot", "year": "2024"})
    project = session.exec(select(PortfolioProject).where(PortfolioProject.title == "冷鏈溫度預測")).one()
    again = client.post_form("/my/team/portfolio", {"title": " 冷鏈溫度預測 ", "summary": "另一份摘要。", "sector": "iot"})
    assert again.status_code in (400, 409) and "作品集中已有同名的專案" in again.get_data(as_text=True)
    assert len(session.exec(select(PortfolioProject).where(PortfolioProject.title == "冷鏈溫度預測")).all()) == 1
    member_id, project_id = member.id, project.id
    assert client.post_form(f"/my/team/members/{member_id}/delete",
                            {f"remove-member-{member_id}-confirm": "y"}).status_code == 302
    assert client.post_form(f"/my/team/portfolio/{project_id}/delete",
                            {f"remove-project-{project_id}-confirm": "y"}).status_code == 302
    session.expire_all()
    assert session.get(TeamMember, member_id) is None and session.get(PortfolioProject, project_id) is None


def test_removing_a_member_or_project_needs_the_box_ticked(app, session):
    client, user = _team(app, session)
    member = session.exec(select(TeamMember).where(TeamMember.team_id == user.team_id)).first()
    project = session.exec(select(PortfolioProject).where(PortfolioProject.team_id == user.team_id)).first()
    page = client.get("/my/team/profile").get_data(as_text=True)
    for url, name, label in (
            (f"/my/team/members/{member.id}/delete", f"remove-member-{member.id}-confirm",
             "我了解這位成員將從團隊簡介及列出其姓名的投標中移除。"),
            (f"/my/team/portfolio/{project.id}/delete", f"remove-project-{project.id}-confirm",
             "我了解這個專案將從作品集中移除，媒合也不再參考它。")):
        form = page[page.index(f'action="{url}"'):].split("</form>")[0]
        assert f'name="{name}"' in form and 'type="checkbox"' in form and "required" in form and label in form
        refused = client.post_form(url)
        body = refused.get_data(as_text=True)
        assert refused.status_code == 400 and "請勾選方框以確認；目前尚未移除任何內容。" in body
        box = body[body.index(f'action="{url}"'):].split("</form>")[0]
        assert 'aria-invalid="true"' in box and f'id="{name}-error"' in box, "the message sits at the row's own box"
        assert body.count('aria-invalid="true"') == 1
    session.expire_all()
    assert session.get(TeamMember, member.id) and session.get(PortfolioProject, project.id), "nothing removed"
    client.post_form("/lang/en")
    body = client.post_form(f"/my/team/members/{member.id}/delete").get_data(as_text=True)
    assert "Tick the box to confirm. Nothing has been removed." in body


def test_another_team_cannot_touch_the_profile(app, session):
    victim = factories.user(session, "team")
    member = session.exec(select(TeamMember).where(TeamMember.team_id == victim.team_id)).first()
    project = session.exec(select(PortfolioProject).where(PortfolioProject.team_id == victim.team_id)).first()
    client, _ = _team(app, session)
    assert client.post_form(f"/my/team/members/{member.id}/delete").status_code == 403
    assert client.post_form(f"/my/team/portfolio/{project.id}/delete").status_code == 403
    assert session.get(TeamMember, member.id) and session.get(PortfolioProject, project.id)


def test_companies_cannot_open_the_editor(app, session):
    client = app.test_client()
    client.login(factories.user(session, "company").email)
    assert client.get("/my/team/profile").status_code == 403


def test_optional_fields_may_stay_empty(app, session):
    client, user = _team(app, session)
    response = client.post_form("/my/team/profile", {**PROFILE, "name_en": "", "affiliation": "", "skills": ""})
    assert response.status_code == 302
    team = session.get(Team, user.team_id)
    assert (team.name_en, team.affiliation, team.skills) == ("", "", [])


def test_project_form_bad_input_keeps_what_was_typed(app, session):
    client, _ = _team(app, session)
    response = client.post_form("/my/team/portfolio", {"title": "", "summary": "用 LSTM 預測冷鏈溫度", "year": "1800"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "用 LSTM 預測冷鏈溫度" in page and 'value="1800"' in page
    assert page.count('class="field-error"') >= 2


def test_a_full_portfolio_refuses_one_more_and_keeps_what_was_typed(app, session):
    from marketplace.services.teams import MAX_PORTFOLIO

    client, user = _team(app, session)
    mine = select(PortfolioProject).where(PortfolioProject.team_id == user.team_id)
    for i in range(MAX_PORTFOLIO - len(session.exec(mine).all())):
        session.add(PortfolioProject(team_id=user.team_id, title=f"專案 {i}", summary="影像瑕疵檢測。"))
    session.commit()
    response = client.post_form("/my/team/portfolio", {"title": "第十三個專案", "summary": "溫度預測。",
                                                       "sector": "iot", "year": "2024"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'value="第十三個專案"' in page and "最多" in page
    session.expire_all()
    assert len(session.exec(mine).all()) == MAX_PORTFOLIO


def test_removing_a_member_named_in_an_open_bid_changes_the_bid_and_tells_the_company(app, session):
    from models import AuditEvent, Bid, Notification

    client, user = _team(app, session)
    owner = factories.user(session, "company")
    problem = factories.problem(session, owner=owner)
    member = session.exec(select(TeamMember).where(TeamMember.team_id == user.team_id)).first()
    bid = factories.bid(session, problem, user, member_ids=[member.id])
    assert client.post_form(f"/my/team/members/{member.id}/delete",
                            {f"remove-member-{member.id}-confirm": "y"}).status_code == 302
    session.expire_all()
    assert session.get(Bid, bid.id).member_ids == []
    event = session.exec(select(AuditEvent).where(AuditEvent.action == "bid.revised")).one()
    assert event.object_id == bid.id and event.detail["changed"] == ["member_ids"]
    assert session.exec(select(Notification.kind).where(Notification.user_id == owner.id)).all() == ["bid_revised"]
    company = app.test_client()
    company.login(owner.email)
    assert "團隊已變更" in company.get(f"/problems/{problem.id}/bids").get_data(as_text=True)
