"""Organisation profile, personal data download and account deletion."""
from __future__ import annotations

import json

from sqlmodel import select

from models import LoginSession, Organisation, User
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
