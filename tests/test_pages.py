"""Public pages in both languages, the htmx fragments and visibility of unpublished problems."""
from __future__ import annotations

from datetime import UTC, datetime
from html import escape

from models import Match, Solution
from tests import factories


def _verified_solution(session, when=datetime(2025, 5, 2, tzinfo=UTC)):
    problem = factories.problem(session, status="verified")
    team_user = factories.user(session, "team")
    match = Match(problem_id=problem.id, team_id=team_user.team_id, status="approved")
    session.add(match)
    session.commit()
    session.add(Solution(match_id=match.id, problem_id=problem.id, team_id=team_user.team_id,
                         summary="完成", verified_at=when, confirmed_at=when))
    session.commit()
    return problem


def test_landing_shows_live_progress_in_chinese_by_default(client, session):
    _verified_solution(session)
    factories.problem(session, sector="biomedicine")
    page = client.get("/").get_data(as_text=True)
    assert 'lang="zh-Hant-TW"' in page
    assert '<span class="goal-figure" id="verified-count">1</span>' in page
    assert "生醫產業" in page and "智慧機械" in page
    assert "2025Q2" in page or "25Q2" in page


def test_language_switch_to_english_and_back(client):
    response = client.post_form("/lang/en?next=/problems")
    assert response.status_code == 302 and response.headers["Location"] == "/problems"
    page = client.get("/").get_data(as_text=True)
    assert 'lang="en"' in page and "Verified AI solutions" in page and "Smart machinery" in page
    client.post_form("/lang/zh_TW")
    assert "已驗證" in client.get("/").get_data(as_text=True)


def test_problem_list_filters_by_sector_and_text(client, session):
    factories.problem(session, title="魚塭水質預測", sector="new_agriculture")
    factories.problem(session, title="CNC 刀具磨耗預測", sector="smart_machinery")
    factories.problem(session, title="草稿不應出現", status="draft")
    page = client.get("/problems").get_data(as_text=True)
    assert "魚塭水質預測" in page and "CNC 刀具磨耗預測" in page and "草稿不應出現" not in page
    page = client.get("/problems?sector=new_agriculture").get_data(as_text=True)
    assert "魚塭水質預測" in page and "CNC 刀具磨耗預測" not in page
    page = client.get("/problems?q=刀具").get_data(as_text=True)
    assert "CNC 刀具磨耗預測" in page and "魚塭水質預測" not in page


def test_problem_list_htmx_returns_only_the_rows(client, session):
    factories.problem(session, title="冷鏈溫度異常偵測")
    response = client.get("/problems?q=冷鏈", headers={"HX-Request": "true"})
    body = response.get_data(as_text=True)
    assert "冷鏈溫度異常偵測" in body and "<html" not in body
    assert "HX-Request" in response.headers["Vary"]
    full = client.get("/problems?q=冷鏈")
    assert "<html" in full.get_data(as_text=True) and "HX-Request" in full.headers["Vary"]


def test_problem_detail_shows_every_section(client, session):
    problem = factories.problem(session, on_premise=True)
    page = client.get(f"/problems/{problem.id}").get_data(as_text=True)
    for text in (problem.title, problem.context, problem.pain, problem.kpi, "NT$ 500,000", "影像"):
        assert escape(text) in page


def test_unpublished_problems_are_hidden_except_from_owner_and_staff(app, session):
    owner = factories.user(session, "company")
    draft = factories.problem(session, owner=owner, status="draft")
    url = f"/problems/{draft.id}"
    assert app.test_client().get(url).status_code == 404
    other = app.test_client()
    other.login(factories.user(session, "company").email)
    assert other.get(url).status_code == 404
    mine = app.test_client()
    mine.login(owner.email)
    assert mine.get(url).status_code == 200
    staff = app.test_client()
    staff.login(factories.user(session, "staff").email)
    assert staff.get(url).status_code == 200


def test_teams_list_and_profile(client, session):
    team = factories.team(session, name="智慧農業實驗室", sectors=["new_agriculture"])
    factories.team(session, name="Vision Lab", sectors=["smart_machinery"])
    page = client.get("/teams?sector=new_agriculture").get_data(as_text=True)
    assert "智慧農業實驗室" in page and "Vision Lab" not in page
    profile = client.get(f"/teams/{team.id}").get_data(as_text=True)
    assert "王小明" in profile and "高階" in profile and "瑕疵檢測" in profile and "PCB AOI" in profile


def test_unknown_pages_are_friendly_404s(client):
    response = client.get("/problems/999999")
    assert response.status_code == 404 and "<html" in response.get_data(as_text=True)
    assert client.get("/teams/424242").status_code == 404


def test_role_homes_list_their_own_content(app, session):
    owner = factories.user(session, "company")
    factories.problem(session, owner=owner, title="我的草稿問題", status="draft")
    factories.problem(session, title="別人的問題")
    company = app.test_client()
    company.login(owner.email)
    page = company.get("/my/problems").get_data(as_text=True)
    assert "我的草稿問題" in page and "別人的問題" not in page and "草稿" in page

    team_user = factories.user(session, "team")
    problem = factories.problem(session, title="投標過的問題")
    factories.bid(session, problem, team_user)
    team = app.test_client()
    team.login(team_user.email)
    page = team.get("/my/team").get_data(as_text=True)
    assert "投標過的問題" in page and "已投標" in page


def test_a_problem_published_once_still_counts_as_published_so_far(client, session):
    from datetime import UTC, datetime

    factories.problem(session, sector="defense", published_at=datetime(2026, 3, 1, tzinfo=UTC))
    factories.problem(session, sector="defense", status="withdrawn", published_at=datetime(2026, 3, 2, tzinfo=UTC))
    factories.problem(session, sector="defense", status="submitted")            # not yet published
    page = client.get("/").get_data(as_text=True)
    card = page.split("<h3>國防產業</h3>", 1)[1].split("</a>", 1)[0]
    assert "<strong>2</strong> / 20 個問題已刊登" in card
