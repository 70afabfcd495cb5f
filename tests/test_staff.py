"""Staff queues: review (single and bulk), match approval (once, even under a race), verification."""
from __future__ import annotations

import re
import threading
from datetime import date, timedelta

from sqlmodel import select

from models import AuditEvent, Bid, Job, Match, Milestone, Notification, Organisation, Problem, ProgressPost, Solution, Team, User
from models.base import utcnow
from tests import factories


def _staff(app, session, **kw):
    user = factories.user(session, "staff", **kw)
    client = app.test_client()
    client.login(user.email)
    return client, user


def test_bulk_publish_and_reject_with_reason(app, session):
    owner = factories.user(session, "company")
    a, b, c = (factories.problem(session, owner=owner, status="submitted") for _ in range(3))
    client, staff = _staff(app, session)
    page = client.get("/staff/review").get_data(as_text=True)
    assert a.title in page and c.title in page
    response = client.post_form("/staff/review", {"problem_ids": [str(a.id), str(b.id)],
                                                  "decision": "publish"})
    assert response.status_code == 302
    no_reason = client.post_form("/staff/review", {"problem_ids": [str(c.id)], "decision": "reject"})
    assert no_reason.status_code == 400 and "field-error" in no_reason.get_data(as_text=True)
    client.post_form("/staff/review", {"problem_ids": [str(c.id)], "decision": "reject",
                                       "reason": "請補充資料量"})
    for problem, status in ((a, "published"), (b, "published"), (c, "rejected")):
        session.refresh(problem)
        assert problem.status == status
    assert c.rejection_reason == "請補充資料量"
    kinds = sorted(session.exec(select(Notification.kind).where(Notification.user_id == owner.id)).all())
    assert kinds == ["problem_published", "problem_published", "problem_rejected"]
    actors = set(session.exec(select(AuditEvent.actor_id).where(AuditEvent.action.startswith("problem."))).all())
    assert actors == {staff.id}


def test_review_with_nothing_ticked_is_a_clear_error(app, session):
    factories.problem(session, status="submitted")
    client, _ = _staff(app, session)
    response = client.post_form("/staff/review", {"decision": "publish"})
    assert response.status_code == 400 and "flash error" in response.get_data(as_text=True)


def _proposed(session):
    owner = factories.user(session, "company")
    team_user = factories.user(session, "team")
    problem = factories.problem(session, owner=owner)
    bid = factories.bid(session, problem, team_user, status="selected",
                        milestones=[{"title": "PoC", "due": "2027-02-01"}])
    loser = factories.bid(session, problem, factories.user(session, "team"))
    match = Match(problem_id=problem.id, team_id=team_user.team_id, bid_id=bid.id, status="proposed")
    session.add(match)
    session.commit()
    return match, problem, bid, loser, owner, team_user


def _two_for_one_slot(session):
    """Two proposed matches for one team whose capacity is 1: (the first, the later)."""
    first, *_ = _proposed(session)
    team = session.get(Team, first.team_id)
    team.capacity = 1
    session.add(team)
    later = Match(problem_id=factories.problem(session).id, team_id=team.id, status="proposed")
    session.add(later)
    session.commit()
    return first, later


def test_deciding_an_unknown_match_is_not_found(app, session):
    client, _ = _staff(app, session)
    assert client.post_form("/staff/matches/999999/decide", {"decision": "approve"}).status_code == 404
    assert client.post_form("/staff/matches/999999/decide", {"decision": "reject", "reason": "x"}).status_code == 404


def test_approving_a_match_starts_the_project(app, session):
    match, problem, bid, loser, owner, team_user = _proposed(session)
    client, staff = _staff(app, session)
    assert client.post_form(f"/staff/matches/{match.id}/decide", {"decision": "approve"}).status_code == 302
    session.refresh(match), session.refresh(problem), session.refresh(loser)
    assert (match.status, match.decided_by_id, problem.status, loser.status) == \
        ("approved", staff.id, "matched", "declined")
    assert [m.title for m in session.exec(select(Milestone)).all()] == ["PoC"]
    for user in (owner, team_user):
        assert "match_approved" in session.exec(select(Notification.kind).where(
            Notification.user_id == user.id)).all()


def test_rejecting_needs_a_reason_and_returns_the_choice_to_the_company(app, session):
    match, problem, bid, *_ = _proposed(session)
    client, _ = _staff(app, session)
    response = client.post_form(f"/staff/matches/{match.id}/decide", {"decision": "reject"})
    assert response.status_code == 400
    client.post_form(f"/staff/matches/{match.id}/decide", {"decision": "reject", "reason": "團隊產能已滿"})
    session.refresh(match), session.refresh(problem), session.refresh(bid)
    assert (match.status, match.decision_reason, problem.status, bid.status) == \
        ("rejected", "團隊產能已滿", "published", "shortlisted")


def test_a_decided_match_says_who_decided(app, session):
    match, *_ = _proposed(session)
    first, _ = _staff(app, session, display_name="林專員")
    second, _ = _staff(app, session, display_name="陳專員")
    assert first.post_form(f"/staff/matches/{match.id}/decide", {"decision": "approve"}).status_code == 302
    late = second.post_form(f"/staff/matches/{match.id}/decide", {"decision": "reject", "reason": "x"})
    assert late.status_code == 409 and "林專員" in late.get_data(as_text=True)


def test_two_staff_deciding_at_once_one_wins(app, session):
    """Runs on the configured database; CI points it at PostgreSQL."""
    match, problem, *_ = _proposed(session)
    clients = []
    for name in ("林專員", "陳專員"):
        client, _ = _staff(app, session, display_name=name)
        clients.append((client, client.csrf_token()))
    barrier = threading.Barrier(2)
    results = []

    def decide(client, token, decision):
        barrier.wait()
        response = client.post(f"/staff/matches/{match.id}/decide",
                               data={"csrf_token": token, "decision": decision, "reason": "race"})
        results.append((response.status_code, response.get_data(as_text=True)))

    threads = [threading.Thread(target=decide, args=(*clients[0], "approve")),
               threading.Thread(target=decide, args=(*clients[1], "reject"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    codes = sorted(code for code, _ in results)
    assert codes == [302, 409], codes
    loser_page = next(body for code, body in results if code == 409)
    session.refresh(match)
    winner = "林專員" if match.status == "approved" else "陳專員"
    assert winner in loser_page
    decisions = session.exec(select(AuditEvent).where(AuditEvent.action.in_(
        ("match.approved", "match.rejected")))).all()
    assert len(decisions) == 1


def test_verification_counts_toward_the_goal(app, session):
    match, problem, company, team_user = factories.approved_match(session, "delivered")
    solution = Solution(match_id=match.id, problem_id=problem.id, team_id=match.team_id,
                        summary="完成瑕疵檢測系統", confirmed_at=utcnow())
    session.add(solution)
    session.commit()
    before = app.test_client().get("/").get_data(as_text=True)
    assert 'id="verified-count">0<' in before
    client, staff = _staff(app, session)
    assert problem.title in client.get("/staff/verification").get_data(as_text=True)
    unticked = client.post_form(f"/staff/solutions/{solution.id}/verify", follow_redirects=True)
    assert "沒有驗證任何項目" in unticked.get_data(as_text=True)
    assert 'id="verified-count">0<' in app.test_client().get("/").get_data(as_text=True)
    assert client.post_form(f"/staff/solutions/{solution.id}/verify", {"checked": "1"}).status_code == 302
    after = app.test_client().get("/").get_data(as_text=True)
    assert 'id="verified-count">1<' in after
    session.refresh(solution)
    assert solution.verified_by_id == staff.id
    again = client.post_form(f"/staff/solutions/{solution.id}/verify", {"checked": "1"})
    assert again.status_code == 409 and "已於" in again.get_data(as_text=True)
    assert client.post_form("/staff/solutions/99999/verify", {"checked": "1"}).status_code == 404


def test_unconfirmed_solutions_cannot_be_verified(app, session):
    match, problem, *_ = factories.approved_match(session, "delivered")
    solution = Solution(match_id=match.id, problem_id=problem.id, team_id=match.team_id, summary="x")
    session.add(solution)
    session.commit()
    client, _ = _staff(app, session)
    assert client.post_form(f"/staff/solutions/{solution.id}/verify", {"checked": "1"}).status_code == 400
    session.refresh(problem)
    assert problem.status == "delivered"


def test_quiet_days_are_counted_in_taiwan_calendar_days():
    from datetime import UTC, datetime

    from marketplace.services.monitoring import _days_between
    # 15:00 UTC on 1 March is 23:00 there, 17:00 UTC is 01:00 on 2 March: two hours, but the page
    # shows two dates a day apart. 24-hour periods in UTC would say 0.
    assert _days_between(datetime(2026, 3, 1, 15, tzinfo=UTC), datetime(2026, 3, 1, 17, tzinfo=UTC)) == 1
    assert _days_between(datetime(2026, 3, 1, 17, tzinfo=UTC), datetime(2026, 3, 2, 15, tzinfo=UTC)) == 0


def test_stalled_projects_use_the_configured_days(app, session):
    quiet, problem, *_ = factories.approved_match(session, "in_progress", title="安靜的專案")
    busy, busy_problem, *_ = factories.approved_match(session, "in_progress", title="活躍的專案")
    session.add(ProgressPost(match_id=quiet.id, body="舊的", created_at=utcnow() - timedelta(days=30)))
    session.add(ProgressPost(match_id=busy.id, body="新的", created_at=utcnow() - timedelta(days=2)))
    session.commit()
    client, _ = _staff(app, session)
    page = client.get("/staff/stalled").get_data(as_text=True)
    assert "安靜的專案" in page and "活躍的專案" not in page
    assert "活躍的專案" in client.get("/staff/stalled?days=1").get_data(as_text=True)
    assert "安靜的專案" not in client.get("/staff/stalled?days=60").get_data(as_text=True)
    for bad in ("0", "400", "abc"):
        response = client.get(f"/staff/stalled?days={bad}")
        page = response.get_data(as_text=True)
        assert response.status_code == 400 and f"「{bad}」不是 1 到 365 之間的天數" in page and "安靜的專案" in page


def test_audit_log_filters(app, session):
    match, *_ = _proposed(session)
    client, staff = _staff(app, session, display_name="林專員")
    client.post_form(f"/staff/matches/{match.id}/decide", {"decision": "approve"})
    def rows(url):
        return client.get(url).get_data(as_text=True)

    approved, matched = 'title="match.approved"', 'title="problem.matched"'
    everything = rows("/staff/audit")
    assert approved in everything and matched in everything
    only = rows("/staff/audit?action=match.")
    assert approved in only and matched not in only
    for typed in ("核准媒合", "核准", "match APPROVED"):     # the readable name, in either language
        found = rows(f"/staff/audit?action={typed}")
        assert approved in found and matched not in found, typed
    assert approved not in rows("/staff/audit?action=撤回")
    assert approved in rows("/staff/audit?actor=林")
    assert approved not in rows("/staff/audit?actor=nobody")
    assert approved not in rows("/staff/audit?since=2099-01-01")
    bad = client.get("/staff/audit?since=not-a-date")
    assert bad.status_code == 400 and "field-error" in bad.get_data(as_text=True)
    reversed_range = client.get("/staff/audit?since=2026-03-01&until=2026-01-01")
    assert reversed_range.status_code == 400 and "早於" in reversed_range.get_data(as_text=True)
    assert approved in rows("/staff/audit?until=9999-12-31"), "the last possible day is a date like any other"
    assert approved in rows("/staff/audit?since=0001-01-01"), "and so is the first"
    fragment = client.get("/staff/audit?action=match.", headers={"HX-Request": "true"})
    assert "<html" not in fragment.get_data(as_text=True)


def test_audit_days_are_taiwan_days(app, session):
    from datetime import UTC, datetime

    from marketplace.services.staffqueues import AuditFilters, audit_log
    # 23:30 UTC on 31 January is 07:30 on 1 February in Taipei.
    event = AuditEvent(action="problem.published", object_type="problem", object_id=1,
                       created_at=datetime(2026, 1, 31, 23, 30, tzinfo=UTC))
    session.add(event)
    session.commit()

    def found(**days):
        return [e.id for e, _ in audit_log(session=session, filters=AuditFilters(**days)).items]
    assert found(since=date(2026, 2, 1), until=date(2026, 2, 1)) == [event.id]
    assert found(until=date(2026, 1, 31)) == []


def test_dashboard_breaks_down_each_sector(app, session):
    for status in ("submitted", "published", "matched", "in_progress", "verified", "draft"):
        factories.problem(session, status=status, sector="biomedicine")
    client, _ = _staff(app, session)
    page = client.get("/staff/").get_data(as_text=True)
    assert "5 / 20" in page   # posted (everything but the draft) against the quota
    row = page.split("生醫產業</th>")[-1].split("</tr>")[0]
    # posted, published (open now), matched, in progress, delivered, verified
    assert re.findall(r"<td>([^<]*)</td>", row) == ["5 / 20", "1", "1", "1", "0", "1"]
    assert session.exec(select(Problem)).all()
    assert session.exec(select(Bid)).first() is None


def test_a_match_decided_with_htmx_swaps_only_its_card(app, session):
    match, *_ = _proposed(session)
    client, _ = _staff(app, session)
    missing = client.post_form(f"/staff/matches/{match.id}/decide", {"decision": "reject"}, htmx=True)
    body = missing.get_data(as_text=True)
    assert missing.status_code == 400 and "<html" not in body and f'id="match-{match.id}"' in body
    assert "請說明不核准媒合的原因" in body and 'aria-invalid="true"' in body
    done = client.post_form(f"/staff/matches/{match.id}/decide", {"decision": "approve"}, htmx=True)
    body = done.get_data(as_text=True)
    assert done.status_code == 200 and "<html" not in body and "已核准" in body and "<form" not in body
    session.refresh(match)
    assert match.status == "approved"


def test_ticked_matches_are_approved_together_within_each_teams_capacity(app, session):
    first, third = _two_for_one_slot(session)      # the first match's team has one free slot
    second, *_ = _proposed(session)
    client, staff = _staff(app, session)
    page = client.get("/staff/matches").get_data(as_text=True)
    assert page.count('name="match_ids"') == 3
    response = client.post_form("/staff/matches/approve", {"match_ids": [str(first.id), str(second.id), str(third.id)]},
                                follow_redirects=True)
    body = response.get_data(as_text=True)
    assert "已核准 2 組媒合" in body and "flash error" in body
    for m in (first, second, third):
        session.refresh(m)
    assert (first.status, second.status, third.status) == ("approved", "approved", "proposed")
    audited = session.exec(select(AuditEvent).where(AuditEvent.action == "match.approved")).all()
    assert len(audited) == 2
    nothing = client.post_form("/staff/matches/approve", {}, follow_redirects=True)
    assert "flash error" in nothing.get_data(as_text=True)


def test_dashboard_names_the_indexes_and_shows_local_build_times(app, session):
    from datetime import UTC, datetime

    from marketplace.recommender.engine import get_engine
    from models import IndexVersion

    factories.problem(session)
    factories.team(session)
    with app.app_context():
        from marketplace.db import get_session

        for name in ("problems", "teams"):
            get_engine().publish(get_session(), name)
    for version in session.exec(select(IndexVersion)).all():
        version.built_at = datetime(2026, 11, 27, 17, 28, tzinfo=UTC)
        session.add(version)
    session.commit()
    client, _ = _staff(app, session)
    page = client.get("/staff/").get_data(as_text=True)
    section = page[page.index('id="index-heading"'):]
    assert "問題索引" in section and "團隊索引" in section
    assert "<code>problems</code>" not in section and "2026-11-27T17:28" not in section
    assert "2026/11/28" in section           # 17:28 UTC is 01:28 the next day in Taipei
    client.post_form("/lang/en")
    section = client.get("/staff/").get_data(as_text=True).split('id="index-heading"')[1]
    assert "Problem index" in section and "Team index" in section


def test_every_recorded_audit_action_has_a_readable_label():
    import re
    from pathlib import Path

    from marketplace.services.audit import ACTION_LABELS
    from marketplace.services.jobs import _handlers
    from marketplace.services.lifecycle import TRANSITIONS

    root = Path(__file__).resolve().parents[1] / "marketplace"
    literal = {name for path in root.rglob("*.py") for line in path.read_text().splitlines()
               if "action=" in line
               for name in re.findall(r'"([a-z_]+(?:\.[a-z_]+)+)"', line)}
    assert {"match.approved", "bid.unshortlisted", "organisation.updated"} <= literal
    dynamic = {f"problem.{s.value}" for targets in TRANSITIONS.values() for s in targets} \
        | {"match.approved", "match.rejected", "team.teammember_removed", "team.portfolioproject_removed"} \
        | {f"job.{kind}.started" for kind in _handlers() if kind != "publish"}
    assert (literal | dynamic) - set(ACTION_LABELS) == set()


def test_audit_log_shows_readable_actions_links_and_details(app, session):
    from marketplace.services.audit import record

    problem = factories.problem(session, title="魚塭溶氧預測")
    team = factories.team(session, name="海洋數據團隊")
    client, staff = _staff(app, session)
    record(session=session, actor=staff, action="match.approved", obj_type="match", obj_id=113,
           problem_id=problem.id, team_id=team.id, via="assignment", score=0.236742)
    record(session=session, actor=staff, action="problem.matched", obj_type="problem", obj_id=problem.id,
           previous="published")
    record(session=session, actor=None, action="widget.spun", obj_type="widget", obj_id=5, colour="blue")
    session.commit()
    page = client.get("/staff/audit").get_data(as_text=True)
    assert "核准媒合" in page and 'title="match.approved"' in page and "問題完成媒合" in page
    assert "媒合 #113" in page and "match #113" not in page
    assert f'<a href="/problems/{problem.id}">魚塭溶氧預測</a>' in page
    assert f'<a href="/teams/{team.id}">海洋數據團隊</a>' in page
    assert "0.24" in page and "0.2367" not in page and "經由媒合建議" in page
    assert "先前狀態：已刊登" in page and "previous=published" not in page
    assert "widget.spun" in page and "colour=blue" in page     # unknown ones stay as recorded
    client.post_form("/lang/en")
    page = client.get("/staff/audit").get_data(as_text=True)
    assert "Match approved" in page and "Previous status: Published" in page and "Match #113" in page


def _assignment_page(app, session, candidates="3"):
    client, _ = _staff(app, session)
    client.post_form("/staff/assignment", {"candidates": candidates})
    job = session.exec(select(Job)).one()
    session.refresh(job)
    assert job.status == "done", job.error
    return client, job, client.get(f"/staff/assignment/{job.id}").get_data(as_text=True)


def test_a_proposed_pair_that_would_decline_open_bids_is_opt_in(app, session):
    from tests.test_recommendations import _farm_team

    bidding = factories.problem(session, title="螺絲瑕疵檢測", tags=["defect_detection"])
    quiet = factories.problem(session, title="魚塭溶氧預測", sector="new_agriculture", tags=["aquaculture"])
    _farm_team(session)
    bids = [factories.bid(session, bidding, factories.user(session, "team")) for _ in range(2)]
    factories.bid(session, bidding, factories.user(session, "team"), status="withdrawn")
    client, job, page = _assignment_page(app, session)
    assert {p["problem_id"] for p in job.result["pairs"]} == {bidding.id, quiet.id}
    boxes = {pid: "checked" in attrs
             for pid, attrs in re.findall(r'<input type="checkbox" name="keep-(\d+)"([^>]*)>', page)}
    assert boxes == {str(bidding.id): False, str(quiet.id): True}
    assert "2 筆進行中的投標——核准這組配對會婉拒這些投標（選定團隊自己的投標除外）。" in page
    client.post_form("/lang/en")
    assert "2 open bids — approving this pair declines them, except the chosen team's own." in \
        client.get(f"/staff/assignment/{job.id}").get_data(as_text=True)
    # What the browser sends as the page stands: only the ticked pair.
    form = {f"keep-{pid}": "1" for pid, ticked in boxes.items() if ticked}
    form |= {f"team-{p['problem_id']}": str(p["team_id"]) for p in job.result["pairs"]}
    assert client.post_form(f"/staff/assignment/{job.id}/approve", form).status_code == 302
    assert [m.problem_id for m in session.exec(select(Match)).all()] == [quiet.id]
    for bid in bids:
        session.refresh(bid)
        assert bid.status == "submitted"


def test_each_proposed_pair_says_how_its_team_ranks_among_the_candidates(app, session):
    from tests.test_recommendations import _farm_team, _vision_team

    for i in range(2):
        factories.problem(session, title=f"瑕疵檢測 {i}", tags=["defect_detection"])
    vision = _vision_team(session, capacity=1)
    farm = _farm_team(session)
    client, job, page = _assignment_page(app, session)
    assert sorted(p["team_id"] for p in job.result["pairs"]) == sorted([vision.id, farm.id])
    for pair in job.result["pairs"]:
        ranked = sorted(job.result["candidates"][str(pair["problem_id"])], key=lambda c: -c[1])
        assert [t for t, _ in ranked][:2] == [vision.id, farm.id]
    shown = re.findall(r'id="rank-\d+">([^<]*)<', page)      # the visible rank under each fit
    assert sorted(shown) == ["2 個候選中最適合", "2 個候選中第 2 名"]
    total = job.result["total"]
    assert f"總適配分數 {total:.2f}。" in page and str(total) not in page.replace(f"{total:.2f}", "")
    client.post_form("/lang/en")
    page = client.get(f"/staff/assignment/{job.id}").get_data(as_text=True)
    assert "best of 2 candidates" in page and "#2 of 2 candidates" in page


def test_a_single_approval_past_the_teams_capacity_is_refused(app, session):
    first, later = _two_for_one_slot(session)
    client, _ = _staff(app, session)
    assert client.post_form(f"/staff/matches/{first.id}/decide", {"decision": "approve"}).status_code == 302
    refused = client.post_form(f"/staff/matches/{later.id}/decide", {"decision": "approve"}, htmx=True)
    assert refused.status_code == 400 and "已無可承接名額" in refused.get_data(as_text=True)
    session.refresh(later)
    assert later.status == "proposed"


def test_approving_in_place_refreshes_the_teams_other_waiting_cards(app, session):
    first, later = _two_for_one_slot(session)
    other, *_ = _proposed(session)                 # another team: left alone
    client, _ = _staff(app, session)
    body = client.post_form(f"/staff/matches/{first.id}/decide", {"decision": "approve"}, htmx=True) \
        .get_data(as_text=True)
    oob = body[body.index(f'id="match-{later.id}"'):]
    assert 'hx-swap-oob="true"' in oob.split(">")[0] and "已無可承接名額" in oob
    assert 'disabled' in oob[oob.index('name="match_ids"') - 200:oob.index('name="match_ids"') + 200]
    assert f'id="match-{other.id}"' not in body


def test_deciding_in_place_refreshes_the_count_of_waiting_matches(app, session):
    first, later = _two_for_one_slot(session)
    client, _ = _staff(app, session)
    assert "2 組媒合待核准" in client.get("/staff/matches").get_data(as_text=True)
    body = client.post_form(f"/staff/matches/{first.id}/decide", {"decision": "approve"}, htmx=True) \
        .get_data(as_text=True)
    summary = body[body.index('id="bulk-approve"'):]
    assert 'hx-swap-oob="true"' in summary.split(">")[0] and "1 組媒合待核准" in summary
    body = client.post_form(f"/staff/matches/{later.id}/decide", {"decision": "reject", "reason": "名額已滿"},
                            htmx=True).get_data(as_text=True)
    summary = body[body.index('id="bulk-approve"'):]
    assert 'hx-swap-oob="true"' in summary.split(">")[0] and "沒有待核准的媒合" in summary


def test_declined_bidders_are_told_and_each_decline_is_audited(app, session):
    match, problem, _bid, loser, _owner, _team_user = _proposed(session)
    loser_user = session.exec(select(User).where(User.team_id == loser.team_id)).one()
    client, _ = _staff(app, session)
    assert client.post_form(f"/staff/matches/{match.id}/decide", {"decision": "approve"}).status_code == 302
    session.refresh(loser)
    assert loser.status == "declined"
    told = session.exec(select(Notification).where(Notification.user_id == loser_user.id)).all()
    assert [n.kind for n in told] == ["bid_declined"]
    audited = session.exec(select(AuditEvent).where(AuditEvent.action == "bid.declined")).all()
    assert [(e.object_id, e.detail["problem_id"]) for e in audited] == [(loser.id, problem.id)]


def test_an_assigned_team_works_on_its_own_open_bid(app, session):
    from marketplace.services.matches import approve_direct

    problem = factories.problem(session)
    team_user, other_user = factories.user(session, "team"), factories.user(session, "team")
    own = factories.bid(session, problem, team_user, milestones=[{"title": "PoC", "due": "2027-02-01"}])
    other = factories.bid(session, problem, other_user)
    staff = factories.user(session, "staff")
    with app.test_request_context():          # notifications render in the reader's language
        match = approve_direct(session=session, problem=problem, team=session.get(Team, team_user.team_id),
                               actor=staff, score=0.5, swapped_from=other_user.team_id)
    session.refresh(own), session.refresh(other)
    assert (match.bid_id, own.status, other.status) == (own.id, "selected", "declined")
    assert [m.title for m in session.exec(select(Milestone).where(Milestone.match_id == match.id)).all()] == ["PoC"]
    event = session.exec(select(AuditEvent).where(AuditEvent.action == "match.approved")).one()
    assert event.detail["swapped_from"] == other_user.team_id


def test_a_late_decision_in_place_says_who_decided_first(app, session):
    match, *_ = _proposed(session)
    first, _ = _staff(app, session, display_name="林專員")
    second, _ = _staff(app, session, display_name="陳專員")
    first.post_form(f"/staff/matches/{match.id}/decide", {"decision": "reject", "reason": "重複"}, htmx=True)
    late = second.post_form(f"/staff/matches/{match.id}/decide", {"decision": "reject", "reason": "dup"}, htmx=True)
    body = late.get_data(as_text=True)
    assert late.status_code == 409 and "林專員" in body and "重複" in body and "<html" not in body


def test_a_signed_out_or_expired_htmx_action_reloads_the_page_instead_of_nesting_one(app, session):
    match, *_ = _proposed(session)
    client, _ = _staff(app, session)
    token = client.csrf_token()
    client.post_form("/logout")
    gone = client.post(f"/staff/matches/{match.id}/decide", data={"decision": "approve"},
                       headers={"HX-Request": "true", "X-CSRFToken": token,
                                "HX-Current-URL": "http://localhost/staff/matches"})
    assert gone.status_code == 204 and gone.headers["HX-Redirect"] == "/login?next=%2Fstaff%2Fmatches"
    client.login(factories.user(session, "staff").email)
    expired = client.post(f"/staff/matches/{match.id}/decide", data={"decision": "approve"},
                          headers={"HX-Request": "true", "X-CSRFToken": "not-a-token"})
    assert expired.status_code == 400 and expired.headers["HX-Refresh"] == "true" and not expired.data
    assert "表單已逾時" in client.get("/staff/matches").get_data(as_text=True)      # said on the reloaded page
    session.refresh(match)
    assert match.status == "proposed"


def test_a_withdrawn_draft_is_not_counted_as_posted(app, session):
    from marketplace.services.problems import withdraw_problem
    from marketplace.services.progress import sector_breakdown

    owner = factories.user(session, "company")
    factories.problem(session, owner=owner, status="submitted", sector="iot")
    draft = factories.problem(session, owner=owner, status="draft", sector="iot")
    withdraw_problem(session=session, problem=draft, actor=owner)
    posted = {row.sector.value: row.posted for row in sector_breakdown(session=session, settings=app.config["SETTINGS"])}
    assert posted["iot"] == 1


def test_publishing_again_says_the_problem_was_already_reviewed(app, session):
    problem = factories.problem(session, status="submitted")
    client, _ = _staff(app, session)
    client.post_form("/staff/review", {"problem_ids": [str(problem.id)], "decision": "publish"})
    again = client.post_form("/staff/review", {"problem_ids": [str(problem.id)], "decision": "publish"},
                             follow_redirects=True).get_data(as_text=True)
    assert f"{problem.title}：已審查過，目前狀態為「已刊登」。" in again


def test_a_job_page_speaks_the_readers_language(app, session):
    client, _ = _staff(app, session)
    page = client.post_form("/staff/indexes/rebuild", follow_redirects=True).get_data(as_text=True)
    job = session.exec(select(Job).where(Job.kind == "rebuild")).one()
    session.refresh(job)
    assert "重建索引" in page and "<code>rebuild</code>" not in page
    assert f"團隊索引第 {job.result['teams']} 版、問題索引第 {job.result['problems']} 版" in page
    job.status = "queued"
    session.add(job)
    session.commit()
    assert "排隊中" in client.get(f"/staff/jobs/{job.id}").get_data(as_text=True)


def test_staff_see_deliveries_awaiting_the_company_and_remind_it_once_a_day(app, session):
    match, problem, company, team_user = factories.approved_match(session, "delivered", title="冷鏈溫度異常預警")
    solution = Solution(match_id=match.id, problem_id=problem.id, team_id=match.team_id, summary="模型已上線",
                        delivered_at=utcnow() - timedelta(days=9))
    confirmed_match, confirmed_problem, *_ = factories.approved_match(session, "delivered", title="已確認的交付")
    session.add_all([solution, Solution(match_id=confirmed_match.id, problem_id=confirmed_problem.id,
                                        team_id=confirmed_match.team_id, summary="x", confirmed_at=utcnow())])
    session.commit()
    client, staff = _staff(app, session)
    dashboard = client.get("/staff/").get_data(as_text=True)
    tile = dashboard[dashboard.index("等待企業確認的交付"):]
    assert re.search(r'goal-figure">1<', tile[:300])
    page = client.get("/staff/stalled").get_data(as_text=True)
    row = page[page.index(f'id="delivery-{solution.id}"'):].split("</tr>")[0]
    assert "冷鏈溫度異常預警" in row and "<td>9</td>" in row and "已確認的交付" not in page[page.index('id="awaiting"'):]
    assert client.post_form(f"/staff/deliveries/{solution.id}/remind").status_code == 302
    kinds = session.exec(select(Notification.kind).where(Notification.user_id == company.id)).all()
    assert kinds.count("delivery_reminder") == 1
    from marketplace.services.quarters import local_date
    day = local_date(solution.delivered_at)
    company_client = app.test_client()
    company_client.login(company.email)
    assert f"已於 {day.year}年{day.month}月{day.day}日 交付" in company_client.get("/notifications").get_data(as_text=True)
    row = client.get("/staff/stalled").get_data(as_text=True).split(f'id="delivery-{solution.id}"')[1].split("</tr>")[0]
    assert "disabled" in row and "不到一天前已提醒" in row
    again = client.post_form(f"/staff/deliveries/{solution.id}/remind")
    assert again.status_code == 409 and "不到一天前" in again.get_data(as_text=True)
    assert session.exec(select(Notification.kind).where(Notification.user_id == company.id)).all().count(
        "delivery_reminder") == 1
    assert client.post_form(f"/staff/deliveries/{confirmed_match.id + 999}/remind").status_code == 404
    assert "solution.reminded" in session.exec(select(AuditEvent.action)).all()
    company.is_active = False        # the company's last person deleted their account
    session.add(company)
    session.add(AuditEvent(action="x.y", object_type="solution", object_id=0))
    session.commit()
    other_match, other_problem, other_company, _ = factories.approved_match(session, "delivered")
    other_company.is_active = False
    orphan = Solution(match_id=other_match.id, problem_id=other_problem.id, team_id=other_match.team_id, summary="y")
    session.add_all([other_company, orphan])
    session.commit()
    nobody = client.post_form(f"/staff/deliveries/{orphan.id}/remind")
    assert nobody.status_code == 409 and "請直接與企業聯絡" in nobody.get_data(as_text=True)
    assert team_user.id


def test_two_staff_reminding_at_once_send_one_reminder(app, session, monkeypatch):
    """Runs on the configured database; CI points it at PostgreSQL."""
    from marketplace.services import monitoring

    match, problem, company, _ = factories.approved_match(session, "delivered")
    solution = Solution(match_id=match.id, problem_id=problem.id, team_id=match.team_id, summary="模型已上線",
                        delivered_at=utcnow() - timedelta(days=9))
    session.add(solution)
    session.commit()
    clients = []
    for name in ("林專員", "陳專員"):
        client, _ = _staff(app, session, display_name=name)
        clients.append((client, client.csrf_token()))
    start, checked = threading.Barrier(2), threading.Barrier(2, timeout=2)
    looked_up = monitoring.company_users

    def after_the_check(*args):
        # Both wait here, past the once-a-day check, until the other arrives too (or 2 s pass):
        # without a lock both arrive and both send; with one the second is still waiting for it.
        try:
            checked.wait()
        except threading.BrokenBarrierError:
            pass
        return looked_up(*args)
    monkeypatch.setattr(monitoring, "company_users", after_the_check)
    results = []

    def remind(client, token):
        start.wait()
        response = client.post(f"/staff/deliveries/{solution.id}/remind", data={"csrf_token": token})
        results.append((response.status_code, response.get_data(as_text=True)))

    threads = [threading.Thread(target=remind, args=pair) for pair in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    codes = sorted(code for code, _ in results)
    assert codes == [302, 409], codes
    assert "不到一天前" in next(body for code, body in results if code == 409)
    session.expire_all()
    kinds = session.exec(select(Notification.kind).where(Notification.user_id == company.id)).all()
    assert kinds.count("delivery_reminder") == 1
    assert len(session.exec(select(AuditEvent).where(AuditEvent.action == "solution.reminded")).all()) == 1


def test_a_match_for_a_team_that_closed_is_not_approved(app, session):
    match, problem, bid, loser, owner, team_user = _proposed(session)
    team = session.get(Team, team_user.team_id)
    team.closed_at = utcnow()
    session.add(team)
    session.commit()
    client, _ = _staff(app, session)
    card = client.get("/staff/matches").get_data(as_text=True).split(f'id="match-{match.id}"')[1].split("</article>")[0]
    assert "團隊已關閉帳號" in card and 'form="bulk-approve" disabled' in card
    response = client.post_form(f"/staff/matches/{match.id}/decide", {"decision": "approve"}, follow_redirects=True)
    assert "已關閉帳號，不再承接新工作" in response.get_data(as_text=True)
    session.refresh(match)
    assert match.status == "proposed", "left for staff to reject with a reason"


def test_a_match_card_shows_the_companys_terms_and_flags_a_bid_past_them(app, session):
    match, problem, bid, *_ = _proposed(session)          # budget NT$ 500,000–1,200,000, 6 months
    client, _ = _staff(app, session)
    card = client.get("/staff/matches").get_data(as_text=True).split(f'id="match-{match.id}"', 1)[1]
    company = session.get(Organisation, problem.organisation_id)
    assert company.name in card and "NT$ 500,000" in card and "1,200,000" in card and "6 個月" in card
    assert "超出企業預算" not in card and "長於企業時程" not in card
    bid.price, bid.timeline_months = 1_500_000, 9
    session.add(bid)
    session.commit()
    card = client.get("/staff/matches").get_data(as_text=True).split(f'id="match-{match.id}"', 1)[1]
    assert "超出企業預算" in card and "長於企業時程" in card
    swapped = client.post_form(f"/staff/matches/{match.id}/decide", {"decision": "reject"}, htmx=True)
    assert company.name in swapped.get_data(as_text=True)         # the card re-rendered in place says it too
    owner = app.test_client()
    owner.login(session.exec(select(User).where(User.organisation_id == company.id)).first().email)
    compare = owner.get(f"/problems/{problem.id}/bids").get_data(as_text=True)
    assert "超出您的預算" in compare and "長於您的時程" in compare


def test_the_review_queue_shows_the_sectors_quota_and_a_resubmissions_earlier_reason(app, session):
    first = factories.problem(session, sector="defense", status="submitted")
    again = factories.problem(session, sector="defense", status="submitted", rejection_reason="請補上資料量")
    factories.problem(session, sector="defense", status="draft")                 # never submitted: not counted
    client, _ = _staff(app, session)
    page = client.get("/staff/review").get_data(as_text=True)
    quota = page.split(f'id="quota-{first.id}">', 1)[1].split("</span>", 1)[0]
    assert quota == "本領域已收 2／20 件問題"
    assert f'id="resubmitted-{first.id}"' not in page
    assert "重新送審。上次退回原因：請補上資料量" in page.split(f'id="resubmitted-{again.id}">', 1)[1].split("</p>", 1)[0]


def test_staff_decide_a_problem_on_its_own_page(app, session):
    problem = factories.problem(session, status="submitted", title="魚塭溶氧預測")
    other = factories.problem(session, status="submitted", title="溫室番茄產量預測")
    client, staff = _staff(app, session)
    page = client.get(f"/problems/{problem.id}").get_data(as_text=True)
    assert 'id="review-heading"' in page and f'name="problem_ids" value="{problem.id}"' in page
    refused = client.post_form("/staff/review", {"problem_ids": str(problem.id), "from_problem": "1",
                                                 "decision": "reject", "reason": " "})
    assert refused.status_code == 302 and refused.location.endswith(f"/problems/{problem.id}#review-heading")
    assert "請說明退回問題的原因" in client.get(refused.location).get_data(as_text=True)
    session.refresh(problem)
    assert problem.status == "submitted"
    done = client.post_form("/staff/review", {"problem_ids": str(problem.id), "from_problem": "1",
                                              "decision": "reject", "reason": "請補上溶氧資料的取樣頻率"})
    assert done.location.endswith("/staff/review")             # on to the next one in the queue
    session.refresh(problem), session.refresh(other)
    assert (problem.status, problem.rejection_reason, other.status) == ("rejected", "請補上溶氧資料的取樣頻率", "submitted")
    assert 'id="review-heading"' not in client.get(f"/problems/{problem.id}").get_data(as_text=True)
    owner = app.test_client()
    owner.login(session.exec(select(User).where(User.organisation_id == other.organisation_id)).first().email)
    assert 'id="review-heading"' not in owner.get(f"/problems/{other.id}").get_data(as_text=True)   # staff only
