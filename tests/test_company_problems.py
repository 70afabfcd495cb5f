"""A company writes, edits, submits and withdraws its problems; other companies cannot."""
from __future__ import annotations

import re

from sqlmodel import select

from models import AuditEvent, Invitation, Notification, Organisation, Problem
from tests import factories

FULL = {
    "title": "扣件外觀瑕疵自動檢測", "sector": "smart_machinery", "language": "zh-TW",
    "context": "中部扣件廠，月產 600 噸。", "pain": "人工目檢漏檢率 3%，客訴退貨每年 200 萬元。",
    "data_kinds": ["image", "tabular"], "data_volume": "瑕疵影像 5,000 張", "data_format": "JPG",
    "data_sensitivity": "internal", "outcome": "產線上即時判別瑕疵", "kpi": "漏檢率 < 0.5%",
    "constraints": "影像不可離開廠區", "on_premise": "y", "budget_min": "600000",
    "budget_max": "1500000", "timeline_months": "6",
}


def _company(app, session):
    owner = factories.user(session, "company")
    client = app.test_client()
    client.login(owner.email)
    return client, owner


def test_a_draft_needs_only_a_title(app, session):
    client, owner = _company(app, session)
    response = client.post_form("/problems/new", {"title": "想用 AI 預測訂單", "action": "draft",
                                                  "sector": "iot", "language": "zh-TW",
                                                  "data_sensitivity": "internal"})
    assert response.status_code == 302
    problem = session.exec(select(Problem)).one()
    assert (problem.status, problem.organisation_id) == ("draft", owner.organisation_id)
    page = client.get(f"/problems/{problem.id}").get_data(as_text=True)
    assert "預算未定" in page and "NT$ 0" not in page       # no budget yet is not a budget of 0


def test_the_sector_starts_unchosen_and_even_a_draft_must_choose_one(app, session):
    client, _ = _company(app, session)
    form = client.get("/problems/new").get_data(as_text=True)
    assert re.search(r'<select[^>]*name="sector"[^>]*>\s*<option[^>]*value=""[^>]*>請選擇<', form)
    response = client.post_form("/problems/new", {"title": "想用 AI 預測訂單", "action": "draft", "sector": "",
                                                  "language": "zh-TW", "data_sensitivity": "internal"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "想用 AI 預測訂單" in page        # the title typed is kept
    sector = page[page.index('id="sector"') - 400:page.index('id="sector"') + 2500]
    assert "field-error" in sector and "請選擇問題所屬的產業別" in sector
    assert session.exec(select(Problem)).first() is None


def test_submitting_an_incomplete_problem_shows_each_missing_field_and_keeps_the_input(app, session):
    client, _ = _company(app, session)
    data = {**FULL, "pain": "", "kpi": "", "budget_min": "900000", "budget_max": "100", "action": "submit"}
    response = client.post_form("/problems/new", data)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "扣件外觀瑕疵自動檢測" in page and "中部扣件廠" in page and 'value="900000"' in page
    assert page.count('class="field-error"') >= 3   # pain, kpi, budget order
    assert session.exec(select(Problem)).first() is None


def test_submit_then_edit_is_refused_until_rejected(app, session):
    client, _ = _company(app, session)
    assert client.post_form("/problems/new", {**FULL, "action": "submit"}).status_code == 302
    problem = session.exec(select(Problem)).one()
    assert problem.status == "submitted" and "defect_detection" in problem.tags
    response = client.post_form(f"/problems/{problem.id}/edit", {**FULL, "title": "改", "action": "draft"})
    assert response.status_code == 400
    session.refresh(problem)
    assert problem.title == FULL["title"]


def test_opening_the_editor_of_a_published_problem_goes_back_saying_why(app, session):
    client, owner = _company(app, session)
    problem = factories.problem(session, owner=owner)
    response = client.get(f"/problems/{problem.id}/edit")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/problems/{problem.id}")
    assert "只有草稿與被退回的問題可以修改" in client.get(f"/problems/{problem.id}").get_data(as_text=True)


def test_a_draft_may_leave_the_number_boxes_empty_as_a_browser_sends_them(app, session):
    client, _ = _company(app, session)
    response = client.post_form("/problems/new", {"title": "只有標題的草稿", "sector": "iot", "language": "zh-TW",
                                                  "data_sensitivity": "internal", "budget_min": "",
                                                  "budget_max": "", "timeline_months": "", "action": "draft"})
    assert response.status_code == 302
    problem = session.exec(select(Problem)).one()
    page = client.get(f"/problems/{problem.id}").get_data(as_text=True)
    assert problem.timeline_months is None and "時程未定" in page   # nor a timeline of six months
    editor = client.get(f"/problems/{problem.id}/edit").get_data(as_text=True)
    assert re.search(r'<input[^>]*id="timeline_months"', editor)
    assert not re.search(r'id="timeline_months"[^>]*value="\d', editor)      # an empty box, not 6
    refused = client.post_form(f"/problems/{problem.id}/submit", {})
    timeline = refused.get_data(as_text=True)
    timeline = timeline[timeline.index('id="timeline_months"') - 700:timeline.index('id="timeline_months"') + 600]
    assert refused.status_code == 400 and "field-error" in timeline
    page = client.post_form("/problems/new", {**FULL, "budget_min": "", "action": "submit"}).get_data(as_text=True)
    assert "送審前必須填寫" in page and "不是有效的整數值" not in page     # empty: needed, not "not a number"


def test_a_draft_without_a_budget_shows_empty_boxes_and_cannot_be_submitted(app, session):
    client, owner = _company(app, session)
    draft = factories.problem(session, owner=owner, status="draft", budget_min=0, budget_max=0)
    page = client.get(f"/problems/{draft.id}/edit").get_data(as_text=True)
    assert re.search(r'id="budget_min"[^>]*value=""', page) and re.search(r'id="budget_max"[^>]*value=""', page)
    response = client.post_form(f"/problems/{draft.id}/submit", {})
    page = response.get_data(as_text=True)
    # The editor, with the missing fields marked, posting to the editor (not back to submit).
    assert response.status_code == 400 and f'action="/problems/{draft.id}/edit"' in page
    budget = page[page.index('id="budget_min"') - 600:page.index('id="budget_max"') + 800]
    assert "field-error" in budget and "aria-invalid" in budget
    session.refresh(draft)
    assert draft.status == "draft"


def test_a_number_that_is_not_whole_gets_one_message(app, session):
    client, _ = _company(app, session)
    for action in ("draft", "submit"):
        page = client.post_form("/problems/new", {**FULL, "timeline_months": "6.5", "budget_max": "30萬",
                                                  "action": action}).get_data(as_text=True)
        assert page.count("不是有效的整數值") == 2, action
        assert "數字必須介於" not in page and "送審前必須填寫" not in page, action
    page = client.post_form("/problems/new", {**FULL, "budget_max": "2000000000", "action": "draft"}) \
        .get_data(as_text=True)
    assert "NT$ 1,000,000,000" in page


def test_ticked_data_kinds_become_tags(app, session):
    client, _ = _company(app, session)
    client.post_form("/problems/new", {**FULL, "data_kinds": ["time_series"], "action": "draft"})
    problem = session.exec(select(Problem)).one()
    assert "time_series_data" in problem.tags and "defect_detection" in problem.tags


def test_rejected_problem_can_be_edited_and_resubmitted(app, session):
    client, owner = _company(app, session)
    problem = factories.problem(session, owner=owner, status="rejected", rejection_reason="請補 KPI")
    page = client.get(f"/problems/{problem.id}/edit").get_data(as_text=True)
    assert "請補 KPI" in page
    response = client.post_form(f"/problems/{problem.id}/edit", {**FULL, "action": "submit"})
    assert response.status_code == 302
    session.refresh(problem)
    assert (problem.status, problem.kpi) == ("submitted", FULL["kpi"])


def test_withdraw_needs_the_box_ticked(app, session):
    client, owner = _company(app, session)
    problem = factories.problem(session, owner=owner)
    page = client.get(f"/problems/{problem.id}").get_data(as_text=True)
    form = page[page.index(f'action="/problems/{problem.id}/withdraw"'):].split("</form>")[0]
    assert 'type="checkbox"' in form and "required" in form and "我了解撤回的問題無法再恢復" in form
    refused = client.post_form(f"/problems/{problem.id}/withdraw")
    body = refused.get_data(as_text=True)
    assert refused.status_code == 400 and "請勾選方框以確認；目前尚未撤回任何內容。" in body
    assert 'aria-invalid="true"' in body and problem.title in body    # the page, with the message
    box = body[:body.index('id="confirm"')].rsplit("<input", 1)[1]
    assert "autofocus" in box                                            # and the box in view
    session.refresh(problem)
    assert problem.status == "published"
    assert client.post_form(f"/problems/{problem.id}/withdraw", {"confirm": "y"}).status_code == 302
    session.refresh(problem)
    assert problem.status == "withdrawn"
    assert session.exec(select(AuditEvent.action).where(AuditEvent.object_id == problem.id)).all() \
        == ["problem.withdrawn"]


def test_another_company_is_refused_every_problem_action(app, session):
    owner = factories.user(session, "company")
    draft = factories.problem(session, owner=owner, status="draft")
    published = factories.problem(session, owner=owner)
    team = factories.team(session)
    client, _ = _company(app, session)
    # Another company's draft does not exist for this one: 404 everywhere, as on its page.
    assert client.get(f"/problems/{draft.id}").status_code == 404
    assert client.get(f"/problems/{draft.id}/edit").status_code == 404
    assert client.post_form(f"/problems/{draft.id}/edit", {**FULL, "action": "draft"}).status_code == 404
    assert client.post_form(f"/problems/{draft.id}/submit").status_code == 404
    assert client.post_form(f"/problems/{published.id}/withdraw", {"confirm": "y"}).status_code == 403
    assert client.post_form(f"/problems/{published.id}/invite/{team.id}").status_code == 403
    assert client.get(f"/problems/{published.id}/bids").status_code == 403
    session.refresh(draft)
    session.refresh(published)
    assert (draft.status, published.status) == ("draft", "published")


def test_teams_cannot_write_problems(app, session):
    client = app.test_client()
    client.login(factories.user(session, "team").email)
    assert client.get("/problems/new").status_code == 403


def test_recommended_teams_and_invitation(app, session):
    client, owner = _company(app, session)
    problem = factories.problem(session, owner=owner, tags=["defect_detection"])
    team = factories.team(session, name="瑕疵檢測團隊", sectors=["smart_machinery"])
    team_user = factories.user(session, "team", team_id=team.id)
    factories.team(session, name="農業團隊", sectors=["new_agriculture"])
    page = client.get(f"/problems/{problem.id}").get_data(as_text=True)
    panel = page[page.index('id="rec-heading"'):]
    assert panel.index("瑕疵檢測團隊") < panel.index("農業團隊"), "the fitting team comes first"
    assert "瑕疵檢測" in panel[:panel.index("農業團隊")], "with the shared skill as its reason"
    assert client.post_form(f"/problems/{problem.id}/invite/{team.id}").status_code == 302
    assert session.exec(select(Invitation)).one().team_id == team.id
    note = session.exec(select(Notification).where(Notification.user_id == team_user.id)).one()
    assert note.kind == "invitation"
    again = client.post_form(f"/problems/{problem.id}/invite/{team.id}", follow_redirects=True)
    assert "已邀請" in again.get_data(as_text=True)
    assert len(session.exec(select(Invitation)).all()) == 1
    invited = app.test_client()
    invited.login(team_user.email)
    assert "企業邀請貴團隊投標這個問題。" in invited.get(f"/problems/{problem.id}").get_data(as_text=True)
    problem.status = "matched"          # taken by another team before this one bid
    session.add(problem)
    session.commit()
    page = invited.get(f"/problems/{problem.id}").get_data(as_text=True)
    assert "企業邀請貴團隊投標這個問題。" not in page
    assert "企業曾邀請貴團隊投標這個問題，但此問題已不再接受投標（已媒合）。" in page


def test_the_fields_needed_to_submit_are_marked_before_any_error(app, session):
    from marketplace.problems.forms import REQUIRED_TO_SUBMIT

    client, _ = _company(app, session)
    page = client.get("/problems/new").get_data(as_text=True)
    marked = re.findall(r'<(?:label for="([a-z_]+)"|fieldset><legend)[^<]*<span class="needed">送審必填', page)
    assert sorted(m or "data_kinds" for m in marked) == sorted(REQUIRED_TO_SUBMIT)
    assert re.search(r'<label for="title">[^<]*<span class="needed">必填，草稿也需要', page)


def test_english_readers_see_the_companys_english_name(app, session):
    client, owner = _company(app, session)
    org = session.get(Organisation, owner.organisation_id)
    org.name, org.name_en = "宏翊精機股份有限公司", "Hongyi Precision Machinery"
    session.add(org)
    session.commit()
    factories.problem(session, owner=owner, title="扣件外觀瑕疵")
    assert "(Hongyi Precision Machinery)" not in client.get("/my/problems").get_data(as_text=True)
    client.post_form("/lang/en")
    for path in ("/my/problems", "/problems"):
        assert "宏翊精機股份有限公司 (Hongyi Precision Machinery)" in client.get(path).get_data(as_text=True), path


def test_the_same_new_problem_form_sent_twice_saves_one_problem(app, session):
    client, owner = _company(app, session)
    form = client.get("/problems/new").get_data(as_text=True)
    once = re.search(r'name="once" type="hidden" value="([0-9a-f]+)"', form).group(1)
    first = client.post_form("/problems/new", {**FULL, "once": once, "action": "draft"})
    again = client.post_form("/problems/new", {**FULL, "once": once, "title": "改過的標題", "action": "draft"})
    assert first.headers["Location"] == again.headers["Location"]
    problems = session.exec(select(Problem).where(Problem.organisation_id == owner.organisation_id)).all()
    assert [p.title for p in problems] == ["改過的標題"]              # the later save went into the same one
    client.post_form(f"/problems/{problems[0].id}/submit")
    third = client.post_form("/problems/new", {**FULL, "once": once, "action": "submit"}, follow_redirects=True)
    assert "這個問題已經儲存過了" in third.get_data(as_text=True)
    assert len(session.exec(select(Problem)).all()) == 1
    other = client.post_form("/problems/new", {**FULL, "action": "draft"})   # a new form makes a new problem
    assert other.status_code == 302 and len(session.exec(select(Problem)).all()) == 2


def test_typed_line_breaks_and_long_words_are_kept_readable(app, session):
    problem = factories.problem(session, pain="第一段：魚病發現太晚。\n\n第二段：\n1. 虹彩病毒\n2. 白點病",
                                context="https://drive.example.com/" + "x" * 120)
    page = app.test_client().get(f"/problems/{problem.id}").get_data(as_text=True)
    assert '<p class="user-text">第一段：魚病發現太晚。\n\n第二段：\n1. 虹彩病毒' in page
    css = app.test_client().get("/static/css/app.css").get_data(as_text=True)
    assert ".user-text { white-space: pre-line; }" in css and "overflow-wrap: anywhere" in css


def test_a_problem_in_review_can_be_taken_back_to_edit_until_the_centre_decides(app, session):
    from models import AuditEvent

    client, owner = _company(app, session)
    problem = factories.problem(session, owner=owner, status="submitted", title="扣件瑕疵檢測（錯字版）")
    page = client.get(f"/problems/{problem.id}").get_data(as_text=True)
    assert "退回修改" in page and f'action="/problems/{problem.id}/recall"' in page
    stranger = app.test_client()
    stranger.login(factories.user(session, "company").email)
    assert stranger.post_form(f"/problems/{problem.id}/recall").status_code == 404     # not theirs to see

    response = client.post_form(f"/problems/{problem.id}/recall")
    assert response.status_code == 302 and response.location.endswith(f"/problems/{problem.id}/edit")
    session.refresh(problem)
    assert problem.status == "draft"
    assert session.exec(select(AuditEvent.action).where(AuditEvent.object_id == problem.id)).all() == ["problem.draft"]
    staff = app.test_client()
    staff.login(factories.user(session, "staff").email)
    assert "扣件瑕疵檢測（錯字版）" not in staff.get("/staff/review").get_data(as_text=True)
    assert client.post_form(f"/problems/{problem.id}/submit").status_code == 302    # submitted again as it is
    session.refresh(problem)
    assert problem.status == "submitted"

    # The centre publishes first: taking it back is then refused with a reason, and nothing changes.
    assert staff.post_form("/staff/review", {"problem_ids": str(problem.id), "decision": "publish"}).status_code == 302
    late = client.post_form(f"/problems/{problem.id}/recall", follow_redirects=True)
    assert "只有等待審核中的問題可以退回修改" in late.get_data(as_text=True)
    session.refresh(problem)
    assert problem.status == "published"


def test_invited_teams_that_never_bid_are_told_when_the_problem_stops_taking_bids(app, session):
    from marketplace.services.matches import approve_direct
    from models import Team

    client, owner = _company(app, session)
    staff = factories.user(session, "staff")
    for ending in ("withdrawn", "matched"):
        problem = factories.problem(session, owner=owner, tags=["defect_detection"])
        quiet, bidder, chosen = (factories.user(session, "team") for _ in range(3))
        for team_user in (quiet, bidder, chosen):
            assert client.post_form(f"/problems/{problem.id}/invite/{team_user.team_id}").status_code == 302
        factories.bid(session, problem, bidder)
        if ending == "withdrawn":
            client.post_form(f"/problems/{problem.id}/withdraw", {"confirm": "y"})
        else:                              # the assignment gives it to an invited team without a bid
            with app.test_request_context():
                approve_direct(session=session, problem=problem, team=session.get(Team, chosen.team_id), actor=staff)
        session.refresh(problem)
        assert problem.status == ending

        def kinds(user):
            return [n.kind for n in session.exec(select(Notification).where(
                Notification.user_id == user.id, Notification.link == f"/problems/{problem.id}")).all()]
        assert kinds(quiet) == ["invitation", "invitation_closed"], ending
        assert "invitation_closed" not in kinds(bidder)                 # told through its bid instead
        if ending == "matched":
            assert "invitation_closed" not in kinds(chosen)
    note = session.exec(select(Notification).where(Notification.kind == "invitation_closed")).first()
    with app.test_request_context():
        from marketplace.services.notify import render
        assert render(note.kind, note.params) == f"貴團隊受邀投標的「{note.params['title']}」已不再接受投標。"
