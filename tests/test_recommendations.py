"""Matching in the app: explained recommendations both ways, search, freshness, assignment."""
from __future__ import annotations

import re
from datetime import timedelta

from dateutil.relativedelta import relativedelta
from sqlmodel import select

from marketplace.recommender.engine import get_engine
from marketplace.services.quarters import programme_today
from models import Embedding, IndexVersion, Job, Match, Milestone, PortfolioProject
from models.base import utcnow
from tests import factories


def _company_with_problem(app, session, **kw):
    owner = factories.user(session, "company")
    problem = factories.problem(session, owner=owner, **kw)
    client = app.test_client()
    client.login(owner.email)
    return client, owner, problem


def _vision_team(session, **kw):
    team = factories.team(session, name="Precision Vision Lab", language="en", sectors=["smart_machinery"],
                          skills=["defect_detection", "object_detection"],
                          description="Automated optical inspection of metal parts.", **kw)
    session.add(PortfolioProject(team_id=team.id, title="Fastener scratch inspection",
                                 summary="Scratch and burr detection on a screw line; escapes fell from 3% to 0.4%."))
    session.commit()
    return team


def _farm_team(session):
    return factories.team(session, name="魚塭智慧養殖團隊", name_en="Fish Farm AI", sectors=["new_agriculture"],
                          skills=["aquaculture", "time_series_forecasting"],
                          description="魚塭水質預測與投餌最佳化。")


def test_recommended_teams_come_with_reasons_in_the_readers_language(app, session):
    _vision_team(session)
    _farm_team(session)
    client, _, problem = _company_with_problem(
        app, session, title="螺絲外觀瑕疵自動檢測", pain="人工目檢漏檢率高，刮傷與毛邊常被漏掉。",
        tags=["defect_detection"])
    page = client.get(f"/problems/{problem.id}").get_data(as_text=True)
    panel = page[page.index('id="rec-heading"'):]
    assert panel.index("Precision Vision Lab") < panel.index("魚塭智慧養殖團隊")
    reasons = panel[:panel.index("魚塭智慧養殖團隊")]
    assert "瑕疵檢測" in reasons and ("Fastener scratch inspection" in reasons or "PCB AOI" in reasons)
    client.post_form("/lang/en")
    panel = client.get(f"/problems/{problem.id}").get_data(as_text=True)
    assert "Defect Detection" in panel[panel.index('id="rec-heading"'):]
    assert "(Fish Farm AI)" in panel[panel.index('id="rec-heading"'):]      # a team's English name, in English


def test_for_you_recommends_problems_to_a_team(app, session):
    team = _vision_team(session)
    team_user = factories.user(session, "team", team_id=team.id)
    factories.problem(session, title="扣件刮傷自動檢測", tags=["defect_detection"])
    factories.problem(session, title="魚塭溶氧預測", sector="new_agriculture", tags=["aquaculture"],
                      pain="石斑魚池缺氧。", context="屏東養殖場。")
    factories.problem(session, title="草稿不推薦", status="draft", tags=["defect_detection"])
    already = factories.problem(session, title="螺帽毛邊檢測", tags=["defect_detection"])
    factories.bid(session, already, team_user)
    client = app.test_client()
    client.login(team_user.email)
    page = client.get("/my/team").get_data(as_text=True)
    start = page.index("為您推薦")
    section = page[start:page.find("<h2", start)]
    assert section.index("扣件刮傷自動檢測") < section.index("魚塭溶氧預測")
    assert "草稿不推薦" not in section
    assert "螺帽毛邊檢測" not in section and "螺帽毛邊檢測" in page            # bid on already: nothing to discover


def test_for_you_names_the_teams_own_nearest_project(app, session):
    team = _vision_team(session)
    session.add(PortfolioProject(team_id=team.id, title="Grouper pond oxygen forecasting",
                                 summary="Dissolved oxygen forecasts for fish ponds from water sensors."))
    session.commit()
    team_user = factories.user(session, "team", team_id=team.id)
    factories.problem(session, title="扣件刮傷自動檢測", tags=["defect_detection"])
    factories.problem(session, title="魚塭溶氧預測", sector="new_agriculture", tags=["aquaculture"],
                      pain="石斑魚池缺氧。", context="屏東養殖場。", data_volume="溶氧感測資料兩年",
                      outcome="提前預警魚池缺氧", kpi="魚隻死亡率下降 30%")
    client = app.test_client()
    client.login(team_user.email)
    page = client.get("/my/team").get_data(as_text=True)
    chunks = page[page.index("為您推薦"):].split('<div class="rec">')[1:]
    reasons = {c.split("</a>")[0].rsplit(">", 1)[-1]: c.split('<span class="badge">')[0] for c in chunks}
    # Each problem's reason names the team's own project on its subject, not the problem itself.
    # (the factory's team also holds "PCB AOI 瑕疵檢測", another inspection project)
    assert ("類似貴團隊的專案：Fastener scratch inspection" in reasons["扣件刮傷自動檢測"]
            or "類似貴團隊的專案：PCB AOI 瑕疵檢測" in reasons["扣件刮傷自動檢測"])
    assert "類似貴團隊的專案：Grouper pond oxygen forecasting" in reasons["魚塭溶氧預測"]


def test_search_box_uses_the_hybrid_ranking(client, session):
    factories.problem(session, title="CNC 主軸異常振動預警", pain="主軸無預警故障，停機損失大。",
                      tags=["predictive_maintenance"])
    factories.problem(session, title="門市人流計數", pain="想知道顧客動線。", sector="iot", tags=["counting"])
    page = client.get("/problems?q=預知保養").get_data(as_text=True)      # a word the text never uses
    assert "CNC 主軸異常振動預警" in page and "門市人流計數" not in page
    page = client.get("/problems?q=predictive maintenance").get_data(as_text=True)   # English query
    assert "CNC 主軸異常振動預警" in page and "門市人流計數" not in page


def test_similar_problems_on_a_problem_page(client, session):
    a = factories.problem(session, title="鋁壓鑄件表面瑕疵檢測", tags=["defect_detection"])
    factories.problem(session, title="螺帽外觀瑕疵檢測", tags=["defect_detection"])
    factories.problem(session, title="溫室番茄產量預測", sector="new_agriculture", tags=["yield_prediction"],
                      pain="產量波動大。", context="彰化溫室。")
    page = client.get(f"/problems/{a.id}").get_data(as_text=True)
    similar = page[page.index('id="similar-heading"'):]
    assert similar.index("螺帽外觀瑕疵檢測") < similar.index("溫室番茄產量預測")
    assert "鋁壓鑄件表面瑕疵檢測" not in similar


def test_for_you_names_no_project_that_is_not_near(app, session):
    team = _vision_team(session)
    team_user = factories.user(session, "team", team_id=team.id)
    factories.problem(session, title="溫室番茄產量預測", sector="new_agriculture", tags=["yield_prediction"],
                      pain="產量波動大，採收人力難排。", context="彰化溫室。", data_volume="三年產量紀錄",
                      outcome="提前兩週預估產量", kpi="誤差 < 10%", constraints="雲端可")
    factories.problem(session, title="溫室番茄病害影像辨識", sector="new_agriculture", tags=["defect_detection"],
                      pain="葉片病斑難以及早發現。", context="彰化溫室。")
    client = app.test_client()
    client.login(team_user.email)
    page = client.get("/my/team").get_data(as_text=True)
    section = page[page.index("為您推薦"):]
    # Screw inspection is no reason to grow tomatoes: with no other reason either, it is not offered,
    # while a tomato problem that shares a skill is, with that reason.
    assert "溫室番茄產量預測" not in section
    chunk = section[section.index("溫室番茄病害影像辨識"):].split('<div class="rec">')[0]
    assert "相符技術" in chunk


def test_the_index_follows_the_data(app, session):
    client, owner, problem = _company_with_problem(app, session, tags=["defect_detection"])
    with app.app_context():
        from marketplace.db import get_session

        engine = get_engine()
        before = engine.current_version(get_session(), "teams")
    team_user = factories.user(session, "team")
    editor = app.test_client()
    editor.login(team_user.email)
    editor.post_form("/my/team/profile", {
        "name": "新加入的檢測團隊", "affiliation_type": "startup", "region": "taichung", "language": "zh-TW",
        "description": "金屬零件外觀瑕疵檢測。", "sectors": ["smart_machinery"], "skills": "瑕疵檢測, AOI",
        "capacity": "2"})
    versions = session.exec(select(IndexVersion.version).where(IndexVersion.name == "teams")).all()
    assert max(versions) > before, "editing a profile published a new teams index"
    page = client.get(f"/problems/{problem.id}").get_data(as_text=True)
    assert "新加入的檢測團隊" in page[page.index('id="rec-heading"'):]


def test_a_problem_in_review_says_when_teams_can_be_invited(app, session):
    _vision_team(session)
    client, _, problem = _company_with_problem(app, session, status="submitted", tags=["defect_detection"])
    panel = client.get(f"/problems/{problem.id}").get_data(as_text=True).split('id="rec-heading"')[1]
    assert "Precision Vision Lab" in panel and "推動中心刊登此問題後，即可邀請團隊" in panel
    assert "/invite/" not in panel


def test_a_closed_team_leaves_the_recommendations(app, session):
    team = _vision_team(session)
    _farm_team(session)
    team_user = factories.user(session, "team", team_id=team.id)
    client, _, problem = _company_with_problem(app, session, title="螺絲外觀瑕疵自動檢測", tags=["defect_detection"])
    page = client.get(f"/problems/{problem.id}").get_data(as_text=True)
    assert "Precision Vision Lab" in page[page.index('id="rec-heading"'):]
    leaving = app.test_client()
    leaving.login(team_user.email)
    assert leaving.post_form("/account/delete", {"confirm": team_user.email}).status_code == 302
    page = client.get(f"/problems/{problem.id}").get_data(as_text=True)
    assert "魚塭智慧養殖團隊" in page and "Precision Vision Lab" not in page


def test_propose_assignment_runs_as_a_job_and_approves_in_one_action(app, session):
    owner_a = factories.user(session, "company")
    p1 = factories.problem(session, owner=owner_a, title="螺絲瑕疵檢測", tags=["defect_detection"])
    p2 = factories.problem(session, title="魚塭溶氧預測", sector="new_agriculture", tags=["aquaculture"])
    vision, farm = _vision_team(session, capacity=1), _farm_team(session)
    # The vision team belongs to p1's organisation: a conflict of interest.
    vision.organisation_id = owner_a.organisation_id
    session.add(vision)
    session.commit()
    staff = app.test_client()
    staff.login(factories.user(session, "staff").email)
    response = staff.post_form("/staff/assignment", {"candidates": "3"})
    assert response.status_code == 302
    job = session.exec(select(Job)).one()
    session.refresh(job)
    assert job.status == "done", job.error      # eager mode: ran in-process after the commit
    pairs = {p["problem_id"]: p["team_id"] for p in job.result["pairs"]}
    assert pairs.get(p1.id) != vision.id and pairs.get(p2.id) == farm.id
    page = staff.get(f"/staff/assignment/{job.id}").get_data(as_text=True)
    assert "魚塭溶氧預測" in page and 'name="keep-' in page
    staff.post_form("/lang/en")
    assert "魚塭智慧養殖團隊 (Fish Farm AI)" in staff.get(f"/staff/assignment/{job.id}").get_data(as_text=True)
    staff.post_form("/lang/zh_TW")
    form = {f"keep-{pid}": "1" for pid in pairs} | {f"team-{pid}": str(tid) for pid, tid in pairs.items()}
    form.pop(f"keep-{p1.id}", None)             # staff drop one pair
    assert staff.post_form(f"/staff/assignment/{job.id}/approve", form).status_code == 302
    approved = session.exec(select(Match).where(Match.status == "approved")).all()
    assert [(m.problem_id, m.team_id) for m in approved] == [(p2.id, farm.id)]
    # No bid, so no milestones of the team's: one delivery milestone, due when the company's timeline ends.
    milestones = session.exec(select(Milestone).where(Milestone.match_id == approved[0].id)).all()
    assert [m.due_date for m in milestones] == [programme_today() + relativedelta(months=p2.timeline_months)]
    # Back on the proposal, the dropped pair is unticked: submitting the page as shown approves nothing.
    page = staff.get(f"/staff/assignment/{job.id}").get_data(as_text=True)
    if f'id="keep-{p1.id}"' in page:
        at = page.index(f'id="keep-{p1.id}"')
        box = page[:at].rsplit("<input", 1)[1] + page[at:].split(">", 1)[0]      # the whole tag
        assert "checked" not in box
    staff.post_form(f"/staff/assignment/{job.id}/approve", {f"team-{pid}": str(tid) for pid, tid in pairs.items()})
    assert len(session.exec(select(Match)).all()) == 1
    session.refresh(p2)
    assert p2.status == "matched"


def test_bad_assignment_parameters_are_refused(app, session):
    staff = app.test_client()
    staff.login(factories.user(session, "staff").email)
    for bad in ("0", "abc", "21", "-3"):
        response = staff.post_form("/staff/assignment", {"candidates": bad}, follow_redirects=True)
        assert "flash error" in response.get_data(as_text=True), bad
    assert session.exec(select(Job)).first() is None


def test_a_swap_keeps_the_chosen_teams_fit_and_each_pair_is_approved_once(app, session):
    p1 = factories.problem(session, title="螺絲瑕疵檢測", tags=["defect_detection"])
    p2 = factories.problem(session, title="扣件毛邊檢測", tags=["defect_detection"])
    vision, farm = _vision_team(session, capacity=1), _farm_team(session)
    staff = app.test_client()
    staff.login(factories.user(session, "staff").email)
    staff.post_form("/staff/assignment", {"candidates": "3"})
    job = session.exec(select(Job)).one()
    session.refresh(job)
    fit = {(int(p), t): s for p, cands in job.result["candidates"].items() for t, s in cands}
    assert fit[(p1.id, vision.id)] != fit[(p1.id, farm.id)]
    proposed = {p["problem_id"]: p["team_id"] for p in job.result["pairs"]}
    assert sorted(proposed.values()) == sorted([vision.id, farm.id])
    # Staff swap the two teams.
    swapped = {pid: (farm.id if tid == vision.id else vision.id) for pid, tid in proposed.items()}
    form = {f"keep-{pid}": "1" for pid in swapped} | {f"team-{pid}": str(tid) for pid, tid in swapped.items()}
    assert staff.post_form(f"/staff/assignment/{job.id}/approve", form).status_code == 302
    approved = {m.problem_id: m for m in session.exec(select(Match)).all()}
    for pid, tid in swapped.items():
        assert approved[pid].team_id == tid and approved[pid].score == fit[(pid, tid)]
    # Posting the same form again approves nothing twice.
    again = staff.post_form(f"/staff/assignment/{job.id}/approve", form, follow_redirects=True)
    assert "flash error" in again.get_data(as_text=True) and len(session.exec(select(Match)).all()) == 2
    page = staff.get(f"/staff/assignment/{job.id}").get_data(as_text=True)
    assert 'name="keep-' not in page


def test_a_swap_past_a_teams_capacity_is_refused(app, session):
    problems = [factories.problem(session, title=f"瑕疵檢測 {i}", tags=["defect_detection"]) for i in range(2)]
    vision = _vision_team(session, capacity=1)
    _farm_team(session)
    staff = app.test_client()
    staff.login(factories.user(session, "staff").email)
    staff.post_form("/staff/assignment", {"candidates": "3"})
    job = session.exec(select(Job)).one()
    session.refresh(job)
    form = {f"keep-{p.id}": "1" for p in problems} | {f"team-{p.id}": str(vision.id) for p in problems}
    page = staff.post_form(f"/staff/assignment/{job.id}/approve", form, follow_redirects=True).get_data(as_text=True)
    matches = session.exec(select(Match)).all()
    assert [m.team_id for m in matches] == [vision.id]
    assert "Precision Vision Lab" in page and "flash error" in page
    # The refused pair waits on the proposal, unticked; staff give it to the other team.
    refused = next(p for p in problems if p.id != matches[0].problem_id)
    at = page.index(f'id="keep-{refused.id}"')
    box = page[:at].rsplit("<input", 1)[1] + page[at:].split(">", 1)[0]          # the whole tag
    assert "checked" not in box and f'id="keep-{matches[0].problem_id}"' not in page
    farm_id = next(t for t, _ in job.result["candidates"][str(refused.id)] if t != vision.id)
    staff.post_form(f"/staff/assignment/{job.id}/approve", {f"keep-{refused.id}": "1", f"team-{refused.id}": str(farm_id)})
    assert sorted(m.team_id for m in session.exec(select(Match)).all()) == sorted([vision.id, farm_id])


def test_a_word_of_skill_names_finds_problems_in_either_language(client, session):
    # Its text names no forecasting term: only the word 預測, and the skill it was tagged with.
    factories.problem(session, title="每週蔬果進貨量預測", pain="常缺貨或報廢。", sector="iot", tags=["demand_forecasting"])
    factories.problem(session, title="扣件外觀瑕疵", pain="人工目檢漏檢率高。", tags=["defect_detection"])
    # Shares only 需求 (in the name of 需求預測 / Demand Forecasting) and 品質 (品質預測): no reason.
    factories.problem(session, title="客戶需求訪談紀錄整理", pain="品質會議紀錄散落各處。", sector="iot",
                      tags=["knowledge_management"])
    page = client.get("/problems?q=forecasting").get_data(as_text=True)
    assert "每週蔬果進貨量預測" in page and "扣件外觀瑕疵" not in page and "客戶需求訪談紀錄整理" not in page


def test_search_finds_the_skills_below_the_one_typed_and_ranks_title_words_first(client, session):
    factories.problem(session, title="維修手冊查詢助理", pain="技術員找不到正確程序。", tags=["document_qa"])
    factories.problem(session, title="扣件外觀瑕疵", pain="人工目檢漏檢率高。", tags=["defect_detection"])
    factories.problem(session, title="冷藏車廂溫度異常", pain="希望預測哪台壓縮機快壞，先預測再保養。",
                      tags=["cold_chain"])
    factories.problem(session, title="門市來客數預測", pain="排班常常不準。", tags=["retail"])
    page = client.get("/problems?q=LLM").get_data(as_text=True)          # Document Q&A is under RAG, under LLM
    assert "維修手冊查詢助理" in page and "扣件外觀瑕疵" not in page
    page = client.get("/problems?q=forecasting").get_data(as_text=True)
    assert page.index("門市來客數預測") < page.index("冷藏車廂溫度異常")      # in its title, so first


def test_search_results_sort_by_best_match_or_as_chosen(client, session):
    older = factories.problem(session, title="門市來客數預測", pain="排班常常不準。", tags=["retail"])
    newer = factories.problem(session, title="冷藏車廂溫度異常", pain="希望預測壓縮機故障。", tags=["cold_chain"])
    newer.published_at = utcnow()
    older.published_at = newer.published_at - timedelta(days=3)
    session.add(newer)
    session.add(older)
    session.commit()
    page = client.get("/problems?q=forecasting").get_data(as_text=True)
    assert page.index("門市來客數預測") < page.index("冷藏車廂溫度異常")
    assert re.search(r'<option value=""\s+selected>最相關（未搜尋時依最新）</option>', page)
    page = client.get("/problems?q=forecasting&sort=newest").get_data(as_text=True)
    assert page.index("冷藏車廂溫度異常") < page.index("門市來客數預測")


def test_an_empty_search_says_what_was_searched_and_how_to_clear_it(client, session):
    factories.problem(session, title="扣件外觀瑕疵", pain="人工目檢漏檢率高。", tags=["defect_detection"])
    page = client.get("/problems?q=量子退火&sector=iot").get_data(as_text=True)
    assert "沒有符合「量子退火」的問題" in page
    assert 'href="/problems?sector=iot"' in page                     # clears the words, keeps the filter


def test_a_misspelt_search_suggests_the_skill_it_meant(client, session):
    factories.problem(session, title="門市來客數預測", pain="排班常常不準。", tags=["demand_forecasting"])
    page = client.get("/problems?q=forcasting&sector=smart_machinery").get_data(as_text=True)
    assert '您是不是要找 <a href="/problems?sector=smart_machinery&amp;q=forecasting">forecasting</a>？' in page


def test_a_page_past_the_end_shows_the_last_page(client, session):
    for i in range(3):
        factories.problem(session, title=f"瑕疵檢測 {i}", tags=["defect_detection"])
    page = client.get("/problems?page=9").get_data(as_text=True)
    assert "瑕疵檢測 0" in page and "沒有符合條件的問題" not in page


def test_retagging_follows_the_current_taxonomy(app, session):
    problem = factories.problem(session, title="螺絲外觀瑕疵檢測", pain="人工目檢漏檢率高。", tags=["warehouse_logistics"])
    result = app.test_cli_runner().invoke(args=["match", "retag"])
    assert result.exit_code == 0 and "1 problems tagged anew" in result.output, result.output
    session.refresh(problem)
    assert "defect_detection" in problem.tags and "warehouse_logistics" not in problem.tags


def test_an_english_skill_name_finds_chinese_problems_that_spell_it_out(client, session):
    factories.problem(session, title="冰水主機感測器數值異常，希望自動偵測", pain="數值漂移沒人發現。", tags=["smart_building"])
    factories.problem(session, title="偵測門市人流", pain="想知道顧客動線。", sector="iot", tags=["counting"])
    page = client.get("/problems?q=anomaly detection").get_data(as_text=True)
    assert "冰水主機感測器數值異常，希望自動偵測" in page and "偵測門市人流" not in page   # 異常…偵測, not 偵測 alone


def test_search_needs_both_of_two_typed_words(client, session):
    factories.problem(session, title="Route planning for refrigerated trucks", pain="Late deliveries.",
                      tags=["route_planning"])
    factories.problem(session, title="Capacity planning for a paint shop", pain="Overtime every month.",
                      tags=["production_scheduling"])
    page = client.get("/problems?q=route planning").get_data(as_text=True)
    assert "Route planning for refrigerated trucks" in page and "Capacity planning for a paint shop" not in page


def test_a_problem_page_works_before_any_team_has_joined(app, session):
    client, _, problem = _company_with_problem(app, session, title="尚無團隊時的問題")
    response = client.get(f"/problems/{problem.id}")
    assert response.status_code == 200 and "尚無團隊時的問題" in response.get_data(as_text=True)


def test_prune_deletes_only_other_models_vectors(app, session):
    _vision_team(session)
    client, _, problem = _company_with_problem(app, session, tags=["defect_detection"])
    client.get(f"/problems/{problem.id}")                     # builds both indexes: current vectors
    current = session.exec(select(Embedding)).all()
    assert current
    session.add(Embedding(owner_type="team_item", owner_id=1, item_key="old", model="some-old-model#w0",
                          text_hash="x", dim=2, vector=b"\0" * 8))
    session.commit()
    result = app.test_cli_runner().invoke(args=["match", "prune"])
    assert result.exit_code == 0 and result.output.startswith("1 vectors of other models deleted"), result.output
    session.expire_all()
    assert sorted(e.id for e in session.exec(select(Embedding)).all()) == sorted(e.id for e in current)


def test_search_words_meet_their_translation(client, session):
    factories.problem(session, title="焊接煙塵與粉塵濃度預警", pain="作業員常吸入粉塵。", tags=["occupational_safety"])
    factories.problem(session, title="門市來客數預測", pain="排班常常不準。", tags=["retail"])
    factories.problem(session, title="Certificates of recycled content", pain="Checking certificates by hand.",
                      language="en", tags=["recycling"])
    page = client.get("/problems?q=dust").get_data(as_text=True)               # 粉塵 in the dictionary
    assert "焊接煙塵與粉塵濃度預警" in page and "門市來客數預測" not in page
    page = client.get("/problems?q=證書").get_data(as_text=True)               # certificate
    assert "Certificates of recycled content" in page and "門市來客數預測" not in page


def test_approving_nothing_keeps_the_officers_unticked_boxes_and_chosen_teams(app, session):
    problems = [factories.problem(session, title=f"瑕疵檢測 {i}", tags=["defect_detection"]) for i in range(2)]
    _vision_team(session, capacity=3)
    _farm_team(session)
    staff = app.test_client()
    staff.login(factories.user(session, "staff").email)
    staff.post_form("/staff/assignment", {"candidates": "3"})
    job = session.exec(select(Job)).one()
    page = staff.get(f"/staff/assignment/{job.id}").get_data(as_text=True)
    assert all(re.search(rf'id="keep-{p.id}" value="1" checked', page) for p in problems), "ticked by default"
    session.refresh(job)
    other = next(t for t, _ in job.result["candidates"][str(problems[0].id)]
                 if t != next(p["team_id"] for p in job.result["pairs"] if p["problem_id"] == problems[0].id))
    response = staff.post_form(f"/staff/assignment/{job.id}/approve", {f"team-{problems[0].id}": str(other)})
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "請至少保留一組媒合再核准" in page
    assert not any(re.search(rf'id="keep-{p.id}" value="1"[^>]*checked', page) for p in problems)
    row = page.split(f'id="team-{problems[0].id}"')[1]
    other_fit = dict(job.result["candidates"][str(problems[0].id)])[other]
    assert re.search(rf'<option value="{other}" selected', row) and f">{other_fit:.2f}</span>" in row, "Fit follows"
    assert session.exec(select(Match)).first() is None


def test_team_search_reads_both_languages_skills_and_extra_skills(client, session):
    _vision_team(session)
    farm = _farm_team(session)
    yolo = factories.team(session, name="產線視覺小組", name_en="Line Vision Crew", sectors=["smart_machinery"],
                          skills=["object_detection"], extra_skills=["YOLOv8"], description="產線影像辨識。")
    for team in (farm, yolo):       # without the factory's defect-detection project
        for project in session.exec(select(PortfolioProject).where(PortfolioProject.team_id == team.id)):
            session.delete(project)
    session.commit()

    def found(q: str) -> str:
        return client.get("/teams", query_string={"q": q}).get_data(as_text=True)

    page = found("defect detection")            # a skill, typed in English
    assert "Precision Vision Lab" in page and "魚塭智慧養殖團隊" not in page
    page = found("瑕疵檢測")                        # the same skill in Chinese, held by an English team
    assert "Precision Vision Lab" in page and "魚塭智慧養殖團隊" not in page
    page = found("水質預測")
    assert "魚塭智慧養殖團隊" in page and "Precision Vision Lab" not in page
    assert yolo.name in found("YOLOv8") and "魚塭智慧養殖團隊" not in found("YOLOv8")
    assert "魚塭智慧養殖團隊" in found("Fish Farm")     # a team's English name
    filtered = client.get("/teams", query_string={"q": "defect detection", "sector": "new_agriculture"})
    assert "Precision Vision Lab" not in filtered.get_data(as_text=True)


def test_a_place_typed_in_the_search_filters_by_region_and_台_reads_as_臺(client, session):
    taichung = factories.user(session, "company", organisation_id=factories.organisation(session, region="taichung").id)
    tainan = factories.user(session, "company", organisation_id=factories.organisation(session, region="tainan").id)
    factories.problem(session, owner=taichung, title="鋁壓鑄件表面瑕疵檢測", tags=["defect_detection"])
    factories.problem(session, owner=tainan, title="螺帽外觀瑕疵檢測", tags=["defect_detection"])
    factories.problem(session, owner=tainan, title="台中港貨櫃堆場排程", pain="臺中港的貨櫃堆放靠人工排定。",
                      sector="iot", tags=["scheduling"])

    def found(q: str) -> str:
        return client.get("/problems", query_string={"q": q}).get_data(as_text=True)

    for q in ("臺中", "台中", "Taichung"):                        # the region, in any spelling
        page = found(q)
        assert "鋁壓鑄件表面瑕疵檢測" in page and "螺帽外觀瑕疵檢測" not in page, q
        assert 'id="places"' in page and "臺中市" in page.split('id="places"', 1)[1].split("</span>", 1)[0]
    page = found("台南 瑕疵檢測")                                  # a place and words: both apply
    assert "螺帽外觀瑕疵檢測" in page and "鋁壓鑄件表面瑕疵檢測" not in page
    page = found("臺中港")                          # inside a word it is a word: 台 and 臺 meet in the text
    assert "台中港貨櫃堆場排程" in page and 'id="places"' not in page
    assert "台中港貨櫃堆場排程" in found("台中港") and "台中港貨櫃堆場排程" in found("台中港 貨櫃")

    factories.team(session, name="中部視覺實驗室", region="taichung")
    factories.team(session, name="南部視覺實驗室", region="tainan")
    teams = client.get("/teams", query_string={"q": "台中"}).get_data(as_text=True)
    assert "中部視覺實驗室" in teams and "南部視覺實驗室" not in teams and 'id="places"' in teams


def test_a_weak_pair_is_marked_and_not_ticked_for_the_officer(app, session):
    strong = factories.problem(session, title="螺絲瑕疵檢測", tags=["defect_detection"])
    weak = factories.problem(session, title="舊衣二次分級", pain="回收舊衣靠人工分級，想估算碳足跡。",
                             context="舊衣回收站，每月收 40 噸。", outcome="估算每批舊衣的碳足跡",
                             kpi="分級人力減半", data_volume="過磅紀錄兩年", data_kinds=["tabular"],
                             sector="circular_economy", tags=["textile_recycling", "carbon_footprint"])
    vision = _vision_team(session, capacity=2)
    staff = app.test_client()
    staff.login(factories.user(session, "staff").email)
    staff.post_form("/staff/assignment", {"candidates": "1"})
    job = session.exec(select(Job)).one()
    session.refresh(job)
    pairs = {p["problem_id"]: p for p in job.result["pairs"]}
    assert pairs[strong.id]["team_id"] == pairs[weak.id]["team_id"] == vision.id
    assert pairs[strong.id]["tags"] and not pairs[weak.id]["tags"] and not pairs[weak.id]["item"]
    page = staff.get(f"/staff/assignment/{job.id}").get_data(as_text=True)

    def box(problem_id: int) -> str:
        at = page.index(f'id="keep-{problem_id}"')
        return page[:at].rsplit("<input", 1)[1] + page[at:].split(">", 1)[0]

    def why(problem_id: int) -> str:
        return page.split(f'data-why-for="{problem_id}"', 1)[1].split("</div>", 1)[0]

    assert "checked" in box(strong.id) and "checked" not in box(weak.id)
    assert "適配度低" in why(weak.id) and "適配度低" not in why(strong.id)
