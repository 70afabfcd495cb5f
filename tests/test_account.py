"""Organisation profile, personal data download and account deletion."""
from __future__ import annotations

import json

from sqlmodel import select

from models import AuditEvent, Bid, Invitation, LoginSession, Match, Notification, Organisation, Problem, Team, User
from tests import factories


def test_organisation_profile_edit_and_bad_input(app, session):
    owner = factories.user(session, "company")
    client = app.test_client()
    client.login(owner.email)
    bad = client.post_form("/my/organisation", {"name": "", "sector": "iot", "region": "taipei",
                                                "description": "冷鏈物流"})
    assert bad.status_code == 400 and "冷鏈物流" in bad.get_data(as_text=True)
    ok = client.post_form("/my/organisation", {"name": "北極星冷鏈", "sector": "iot", "region": "taoyuan",
                                               "is_sme": "y", "description": "冷鏈物流"})
    assert ok.status_code == 302
    org = session.get(Organisation, owner.organisation_id)
    assert (org.name, org.region, org.sector) == ("北極星冷鏈", "taoyuan", "iot")
    event = session.exec(select(AuditEvent).where(AuditEvent.action == "organisation.updated")).one()
    assert {"name", "region", "sector", "description"} <= set(event.detail["fields"])


def test_download_my_data(app, session):
    owner = factories.user(session, "company")
    client = app.test_client()
    client.login(owner.email)
    response = client.get("/account/data.json")
    data = json.loads(response.get_data(as_text=True))
    assert data["account"]["email"] == owner.email and "password_hash" not in data["account"]
    assert data["organisation"]["id"] == owner.organisation_id and data["login_sessions"]
    assert all("token" not in s for s in data["login_sessions"])     # what the session cookie carries


def test_delete_my_account_needs_the_email_and_logs_out_everywhere(app, session):
    owner = factories.user(session, "company")
    laptop, phone = app.test_client(), app.test_client()
    laptop.login(owner.email)
    phone.login(owner.email)
    wrong = laptop.post_form("/account/delete", {"confirm": "wrong@example.tw"}, follow_redirects=True)
    assert "這不是此帳號的電子郵件" in wrong.get_data(as_text=True)
    assert session.get(User, owner.id).is_active
    assert laptop.post_form("/account/delete", {"confirm": owner.email}).status_code == 302
    session.expire_all()
    gone = session.get(User, owner.id)
    assert not gone.is_active and gone.email.endswith("@invalid")
    assert phone.get("/my/problems").status_code == 302
    assert all(s.revoked_at for s in session.exec(select(LoginSession)).all())
    again = app.test_client()
    assert again.post_form("/login", {"email": owner.email, "password": factories.PASSWORD}).status_code == 400


def test_organisation_optional_fields_may_stay_empty(app, session):
    owner = factories.user(session, "company")
    client = app.test_client()
    client.login(owner.email)
    response = client.post_form("/my/organisation", {"name": "小而美農場", "name_en": "", "sector": "new_agriculture",
                                                     "region": "yilan", "description": ""})
    assert response.status_code == 302
    assert session.get(Organisation, owner.organisation_id).name_en == ""


def test_the_new_password_must_differ_from_the_current_one(app, session):
    owner = factories.user(session, "company")
    client = app.test_client()
    client.login(owner.email)
    same = client.post_form("/account/password", {"current": factories.PASSWORD, "new": factories.PASSWORD,
                                                  "confirm": factories.PASSWORD})
    assert same.status_code == 400 and "新密碼不能與目前的密碼相同" in same.get_data(as_text=True)


def test_the_last_person_of_a_team_closes_it_and_its_open_bids(app, session):
    match, running, company, team_user = factories.approved_match(session, "in_progress")
    staff = factories.user(session, "staff")
    owner = factories.user(session, "company")
    open_problem = factories.problem(session, owner=owner)
    bid = factories.bid(session, open_problem, team_user, status="shortlisted")
    team = session.get(Team, team_user.team_id)
    client = app.test_client()
    client.login(team_user.email)
    page = client.get("/account").get_data(as_text=True)
    assert f"您是{team.name}的最後一位成員" in page and "1 件進行中的投標將撤回" in page
    assert client.post_form("/account/delete", {"confirm": team_user.email}).status_code == 302
    session.expire_all()
    assert session.get(Team, team.id).closed_at is not None
    assert session.get(Bid, bid.id).status == "withdrawn"
    assert session.get(Match, match.id).status == "approved", "a running project is left to staff"
    def kinds(user):
        return session.exec(select(Notification.kind).where(Notification.user_id == user.id)).all()
    assert "team_closed" in kinds(owner) and "team_closed_staff" in kinds(staff)
    actions = session.exec(select(AuditEvent.action)).all()
    assert {"team.closed", "bid.withdrawn", "user.deleted"} <= set(actions)
    visitor = app.test_client()
    assert team.name not in visitor.get("/teams").get_data(as_text=True)
    assert "已於" in visitor.get(f"/teams/{team.id}").get_data(as_text=True)
    company_client = app.test_client()
    company_client.login(owner.email)
    refused = company_client.post_form(f"/problems/{open_problem.id}/invite/{team.id}", {}, follow_redirects=True)
    assert "此團隊已關閉帳號" in refused.get_data(as_text=True)
    assert session.exec(select(Invitation)).first() is None


def test_a_team_with_another_person_stays_open(app, session):
    team_user = factories.user(session, "team")
    colleague = factories.user(session, "team", team_id=team_user.team_id)
    client = app.test_client()
    client.login(team_user.email)
    assert "最後一位成員" not in client.get("/account").get_data(as_text=True)
    client.post_form("/account/delete", {"confirm": team_user.email})
    session.expire_all()
    assert session.get(Team, team_user.team_id).closed_at is None and colleague.id


def test_the_last_person_of_a_company_withdraws_its_unmatched_problems(app, session):
    owner = factories.user(session, "company")
    draft = factories.problem(session, owner=owner, status="draft")
    published = factories.problem(session, owner=owner)
    bid = factories.bid(session, published, factories.user(session, "team"))
    match, running, *_ = factories.approved_match(session, "in_progress")
    running.organisation_id = owner.organisation_id
    session.add(running)
    session.commit()
    staff = factories.user(session, "staff")
    client = app.test_client()
    client.login(owner.email)
    page = client.get("/account").get_data(as_text=True)
    assert "2 件尚未媒合的問題將撤回" in page and "1 件已媒合或執行中的問題" in page
    assert client.post_form("/account/delete", {"confirm": owner.email}).status_code == 302
    session.expire_all()
    assert [session.get(Problem, p.id).status for p in (draft, published, running)] == \
        ["withdrawn", "withdrawn", "in_progress"]
    assert session.get(Bid, bid.id).status == "declined"
    assert "company_closed_staff" in session.exec(select(Notification.kind)
                                                  .where(Notification.user_id == staff.id)).all()


def test_the_account_page_shows_who_i_am_and_the_name_can_change(app, session):
    user = factories.user(session, "team", display_name="陳小明")
    client = app.test_client()
    client.login(user.email)
    page = client.get("/account").get_data(as_text=True)
    assert user.email in page and 'value="陳小明"' in page and "AI 人才團隊" in page
    empty = client.post_form("/account/name", {"display_name": "   "})
    assert empty.status_code == 400 and "field-error" in empty.get_data(as_text=True)
    assert client.post_form("/account/name", {"display_name": " 陳  大明 "}).status_code == 302
    session.refresh(user)
    assert user.display_name == "陳 大明"
    assert "user.renamed" in session.exec(select(AuditEvent.action)).all()


def test_two_last_members_leaving_at_once_close_the_team(app, session):
    """Runs on the configured database; CI points it at PostgreSQL."""
    import threading

    first = factories.user(session, "team")
    second = factories.user(session, "team", team_id=first.team_id)
    clients = []
    for user in (first, second):
        client = app.test_client()
        client.login(user.email)
        clients.append((client, client.csrf_token(), user.email))
    barrier, codes = threading.Barrier(2), []

    def leave(client, token, email):
        barrier.wait()
        codes.append(client.post("/account/delete", data={"confirm": email, "csrf_token": token}).status_code)

    threads = [threading.Thread(target=leave, args=c) for c in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert codes == [302, 302]
    session.expire_all()
    assert session.get(Team, first.team_id).closed_at is not None, "nobody left: the team is closed"
    assert session.exec(select(AuditEvent.action).where(AuditEvent.action == "team.closed")).all() == ["team.closed"]
