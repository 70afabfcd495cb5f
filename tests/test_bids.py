"""Bids: one per team and problem, also when ten requests race on PostgreSQL."""
from __future__ import annotations

import re
import threading
from datetime import date, timedelta

import sqlalchemy as sa
from sqlmodel import select

from models import AuditEvent, Bid
from tests import factories
from tests.conftest import Client


def ahead(days: int) -> str:
    """A date `days` from today (milestones may not be due in the past)."""
    return (date.today() + timedelta(days=days)).isoformat()


BID = {"approach": "以 YOLO 物件偵測建立瑕疵檢測模型，於現場驗證後導入。", "price": "850000",
       "timeline_months": "6", "milestones-0-title": "資料盤點", "milestones-0-due": ahead(50)}


def test_team_bids_once_and_the_second_bid_is_a_clear_conflict(client, session):
    problem = factories.problem(session)
    user = factories.user(session, "team")
    client.login(user.email)
    assert client.post_form(f"/problems/{problem.id}/bids", BID).status_code == 302
    again = client.post_form(f"/problems/{problem.id}/bids", BID)
    assert again.status_code == 409
    assert "已對此問題投標" in again.get_data(as_text=True)
    assert session.exec(select(sa.func.count()).select_from(Bid)).one() == 1
    assert session.exec(select(AuditEvent.action)).all() == ["bid.submitted"]


def test_bid_form_errors_keep_the_input(client, session):
    problem = factories.problem(session)
    client.login(factories.user(session, "team").email)
    response = client.post_form(f"/problems/{problem.id}/bids",
                                {"approach": "太短", "price": "-5", "timeline_months": "6",
                                 **{f"milestones-{i}-{k}": "" for i in range(4) for k in ("title", "due")},
                                 "milestones-0-title": "沒有日期的里程碑"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "太短" in page and 'value="-5"' in page
    assert 'value="沒有日期的里程碑"' in page
    assert page.count('class="field-error"') == 3
    # Each milestone row's labels name its number; the row's missing date is tied to its box.
    assert '<label for="milestones-0-title">里程碑 1</label>' in page and '>里程碑 2</label>' in page
    assert re.search(r'id="milestones-0-due"[^>]*aria-describedby="milestones-0-due-error"|'
                     r'aria-describedby="milestones-0-due-error"[^>]*id="milestones-0-due"', page)
    assert "長度" in page and "长度" not in page, "WTForms messages in Traditional Chinese"


def test_htmx_bid_returns_the_panel_fragment(client, session):
    problem = factories.problem(session)
    client.login(factories.user(session, "team").email)
    response = client.post_form(f"/problems/{problem.id}/bids", {"approach": "x"}, htmx=True)
    body = response.get_data(as_text=True)
    assert response.status_code == 400 and "<html" not in body and "field-error" in body


def test_only_published_problems_take_bids(client, session):
    hidden = factories.problem(session, status="submitted")
    taken = factories.problem(session, status="matched")
    client.login(factories.user(session, "team").email)
    assert client.post_form(f"/problems/{hidden.id}/bids", BID).status_code == 404   # not visible to teams
    assert client.post_form(f"/problems/{taken.id}/bids", BID).status_code == 400
    assert session.exec(select(Bid)).first() is None


def test_companies_cannot_bid(client, session):
    problem = factories.problem(session)
    client.login(factories.user(session, "company").email)
    assert client.post_form(f"/problems/{problem.id}/bids", BID).status_code == 403


def test_ten_simultaneous_bids_make_one_row_and_nine_clean_answers(app, session):
    """Runs on the configured database; CI points it at PostgreSQL."""
    problem = factories.problem(session)
    user = factories.user(session, "team")
    clients = []
    for _ in range(10):
        c = app.test_client()
        c.login(user.email)
        clients.append((c, c.csrf_token()))
    barrier = threading.Barrier(10)
    codes: list[int] = []
    bodies: list[str] = []

    def post(c: Client, token: str) -> None:
        barrier.wait()
        response = c.post(f"/problems/{problem.id}/bids", data={**BID, "csrf_token": token})
        codes.append(response.status_code)
        bodies.append(response.get_data(as_text=True))

    threads = [threading.Thread(target=post, args=pair) for pair in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(codes) == [302] + [409] * 9, codes
    assert sum("已對此問題投標" in b for b in bodies) == 9
    assert session.exec(select(sa.func.count()).select_from(Bid)).one() == 1


def test_a_typed_zero_gets_a_range_and_an_empty_price_is_required(client, session):
    problem = factories.problem(session)
    client.login(factories.user(session, "team").email)
    page = client.post_form(f"/problems/{problem.id}/bids", {**BID, "timeline_months": "0", "price": ""}) \
        .get_data(as_text=True)
    assert "數字必須介於 1 和 60 之間" in page and page.count("此欄位是必需的") == 1    # the empty price only
    assert session.exec(select(Bid)).first() is None


def test_bid_milestones_are_named_dated_ahead_within_the_timeline_and_kept_in_date_order(client, session):
    problem = factories.problem(session)
    client.login(factories.user(session, "team").email)
    empty = {f"milestones-{i}-{k}": "" for i in range(4) for k in ("title", "due")}
    cases = [({"milestones-0-due": "2020-01-01"}, "里程碑的到期日不能早於今天"),
             ({"milestones-1-due": ahead(65)}, "請填寫里程碑名稱，或清除其日期"),
             ({"timeline_months": "2", "milestones-1-title": "上線", "milestones-1-due": ahead(1200)}, "超出 2 個月的執行期程")]
    for change, message in cases:
        response = client.post_form(f"/problems/{problem.id}/bids", {**BID, **empty, "milestones-0-title": "資料盤點",
                                                                     "milestones-0-due": ahead(50), **change})
        assert response.status_code == 400 and message in response.get_data(as_text=True), message
    late = date.today() + timedelta(days=1200)
    response = client.post_form(f"/problems/{problem.id}/bids", {
        **BID, **empty, "timeline_months": "2", "milestones-0-title": "上線", "milestones-0-due": late.isoformat()})
    assert f"{late.year}年{late.month}月{late.day}日" in response.get_data(as_text=True), "dates as the reader writes them"
    assert client.post_form(f"/problems/{problem.id}/bids", {
        **BID, **empty, "milestones-0-title": "模型", "milestones-0-due": ahead(95),
        "milestones-1-title": "資料盤點", "milestones-1-due": ahead(45)}).status_code == 302
    bid = session.exec(select(Bid)).one()
    assert [m["title"] for m in bid.milestones] == ["資料盤點", "模型"]
    first = date.fromisoformat(bid.milestones[0]["due"])
    page = client.get(f"/problems/{problem.id}").get_data(as_text=True)
    assert f"資料盤點 — {first.year}年{first.month}月{first.day}日" in page


def test_a_bid_without_milestones_says_so(client, session):
    problem = factories.problem(session)
    client.login(factories.user(session, "team").email)
    empty = {f"milestones-{i}-{k}": "" for i in range(4) for k in ("title", "due")}
    response = client.post_form(f"/problems/{problem.id}/bids", {**BID, **empty})
    assert response.status_code == 400 and "請至少規劃一個里程碑" in response.get_data(as_text=True)
    assert session.exec(select(Bid)).first() is None
