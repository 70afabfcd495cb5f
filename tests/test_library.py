"""The public library shows verified solutions that owners agreed to share, by sector."""
from __future__ import annotations

from models import Solution
from models.base import utcnow
from tests import factories


def _solution(session, title, sector, shareable, verified=True, approved=True, **texts):
    match, problem, *_ = factories.approved_match(session, "verified" if verified else "delivered",
                                                  title=title, sector=sector, **texts)
    session.add(Solution(match_id=match.id, problem_id=problem.id, team_id=match.team_id,
                         summary=f"{title} 的成果", shareable=shareable, share_approved=approved,
                         confirmed_at=utcnow(),
                         verified_at=utcnow() if verified else None))
    session.commit()


def test_library_lists_only_shared_verified_solutions(client, session):
    _solution(session, "公開的成果", "iot", True)
    _solution(session, "不公開的成果", "iot", False)
    _solution(session, "尚未驗證", "iot", True, verified=False)
    _solution(session, "農業成果", "new_agriculture", True)
    _solution(session, "企業未同意公開", "iot", True, approved=False)
    page = client.get("/library").get_data(as_text=True)
    assert "公開的成果" in page and "農業成果" in page
    assert "不公開的成果" not in page and "尚未驗證" not in page and "企業未同意公開" not in page
    page = client.get("/library?sector=new_agriculture").get_data(as_text=True)
    assert "農業成果" in page and "公開的成果" not in page


def test_library_search_needs_every_word_and_keeps_the_sector(client, session):
    _solution(session, "冷凍庫溫度異常預警", "iot", True)
    _solution(session, "產線瑕疵檢測", "smart_machinery", True)
    _solution(session, "溫室溫度預測", "new_agriculture", True)
    page = client.get("/library?q=溫度").get_data(as_text=True)
    assert "冷凍庫溫度異常預警" in page and "溫室溫度預測" in page and "產線瑕疵檢測" not in page
    page = client.get("/library?q=溫度+異常").get_data(as_text=True)
    assert "冷凍庫溫度異常預警" in page and "溫室溫度預測" not in page
    page = client.get("/library?q=溫度&sector=new_agriculture").get_data(as_text=True)
    assert "溫室溫度預測" in page and "冷凍庫溫度異常預警" not in page
    empty = client.get("/library?q=100%25_").get_data(as_text=True)
    assert "沒有公開的解決方案含有「100%_」" in empty and "冷凍庫" not in empty, "LIKE wildcards are literal"


def test_library_search_reads_only_what_the_library_shows(client, session):
    match, problem, *_ = factories.approved_match(session, "verified", title="產線排程最佳化")
    session.add(Solution(match_id=match.id, problem_id=problem.id, team_id=match.team_id, summary="排程系統上線",
                         results="內部毛利率提升 4.2%", shareable=True, share_approved=True,
                         confirmed_at=utcnow(), verified_at=utcnow()))
    session.commit()
    assert "產線排程最佳化" in client.get("/library?q=排程").get_data(as_text=True)
    assert "產線排程最佳化" not in client.get("/library?q=毛利率").get_data(as_text=True), "results stay private"


def test_library_search_reads_both_languages_and_skills(client, session):
    _solution(session, "螺絲表面瑕疵自動判讀", "smart_machinery", True)
    _solution(session, "溫室作物產量預測", "new_agriculture", True, context="三棟溫室種植番茄。",
              pain="採收量每週波動，人力與通路難以安排。", data_kinds=["time_series"], data_volume="三年每日產量",
              outcome="提前兩週預估每週產量", kpi="誤差 < 10%", data_format="CSV", constraints="")
    for q in ("瑕疵檢測", "defect detection"):      # the skill, not the words of the title
        page = client.get("/library", query_string={"q": q}).get_data(as_text=True)
        assert "螺絲表面瑕疵自動判讀" in page and "溫室作物產量預測" not in page, q
    page = client.get("/library", query_string={"q": "forecasting"}).get_data(as_text=True)
    assert "溫室作物產量預測" in page and "螺絲表面瑕疵自動判讀" not in page
