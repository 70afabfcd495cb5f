"""Registration, login, logout and password change, with revocable sessions."""
from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from sqlmodel import select

from marketplace.services.accounts import hash_password, verify_password
from models import LoginSession, Organisation, Team, User
from tests import factories


def _register(client, **overrides):
    data = {"role": "company", "display_name": "陳經理", "email": "chen@example.tw",
            "password": "long-enough-pw", "confirm": "long-enough-pw", "org_name": "大成精密股份有限公司",
            "sector": "smart_machinery", "region": "taichung", "is_sme": "y", "consent": "y",
            "affiliation_type": ""}
    return client.post_form("/register", {**data, **overrides})


def test_company_registration_creates_organisation_and_logs_in(client, session):
    response = _register(client)
    assert response.status_code == 302
    user = session.exec(select(User).where(User.email == "chen@example.tw")).one()
    org = session.get(Organisation, user.organisation_id)
    assert (user.role, org.name, org.sector) == ("company", "大成精密股份有限公司", "smart_machinery")
    assert user.consent_at is not None
    assert user.password_hash.startswith("$argon2id$")
    assert client.get("/my/problems").status_code == 200


def test_team_registration_creates_team(client, session):
    response = _register(client, role="team", email="lab@example.tw", org_name="智慧感測實驗室",
                         affiliation_type="university_lab", sector="iot")
    assert response.status_code == 302
    user = session.exec(select(User).where(User.email == "lab@example.tw")).one()
    team = session.get(Team, user.team_id)
    assert (team.name, team.sectors, team.affiliation_type) == ("智慧感測實驗室", ["iot"], "university_lab")


def test_bad_registration_shows_each_message_and_keeps_the_input(client, session):
    response = _register(client, email="not-an-email", password="short", confirm="other",
                         consent="")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'value="not-an-email"' in page and 'value="大成精密股份有限公司"' in page
    assert page.count('class="field-error"') >= 3
    assert session.exec(select(User)).first() is None


def test_duplicate_email_is_a_field_error_not_a_crash(client, session):
    factories.user(session, email="taken@example.tw")
    response = _register(client, email="TAKEN@example.tw")
    assert response.status_code == 400
    assert "field-error" in response.get_data(as_text=True)


def test_team_registration_needs_an_affiliation(client):
    response = _register(client, role="team", affiliation_type="")
    assert response.status_code == 400


def test_sector_and_region_start_unchosen_and_must_be_chosen(client, session):
    form = client.get("/register").get_data(as_text=True)
    for name in ("sector", "region"):
        first = re.search(rf'<select[^>]*name="{name}"[^>]*>\s*<option([^>]*)>([^<]*)<', form)
        assert first.group(1).strip() == 'value=""' and first.group(2) == "請選擇", name
    response = _register(client, sector="", region="")
    assert response.status_code == 400
    assert session.exec(select(User)).first() is None, "nobody is counted in a sector they did not choose"


def test_staff_cannot_self_register(client, session):
    response = _register(client, role="staff")
    assert response.status_code == 400
    assert session.exec(select(User)).first() is None


def test_wrong_password_is_refused_with_a_message(client, session):
    user = factories.user(session)
    response = client.post_form("/login", {"email": user.email, "password": "wrong-password"})
    assert response.status_code == 400
    assert "field-error" in response.get_data(as_text=True)


def test_login_lands_on_the_role_page(client, session):
    for role, landing in (("company", "/my/problems"), ("team", "/my/team"), ("staff", "/staff/")):
        user = factories.user(session, role)
        client.login(user.email)
        assert client.get("/me").headers["Location"].endswith(landing)
        client.post_form("/logout")


def test_login_ignores_offsite_next(client, session):
    user = factories.user(session)
    response = client.post_form("/login?next=//evil.example/x", {"email": user.email,
                                                                  "password": factories.PASSWORD})
    assert response.headers["Location"] == "/me"


def test_logout_revokes_the_session_even_for_a_copied_cookie(client, app, session):
    user = factories.user(session)
    client.login(user.email)
    stolen = client.get_cookie("session").value
    assert client.post_form("/logout").status_code == 302
    thief = app.test_client()
    thief.set_cookie("session", stolen)
    response = thief.get("/my/problems")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert session.exec(select(LoginSession)).one().revoked_at is not None


def test_password_change_logs_out_other_devices(app, session):
    user = factories.user(session)
    laptop, phone = app.test_client(), app.test_client()
    laptop.login(user.email)
    phone.login(user.email)
    response = laptop.post_form("/account/password", {"current": factories.PASSWORD,
                                                      "new": "a-new-long-password",
                                                      "confirm": "a-new-long-password"})
    assert response.status_code == 302
    assert laptop.get("/my/problems").status_code == 200
    assert phone.get("/my/problems").status_code == 302
    session.refresh(user)
    assert verify_password(user.password_hash, "a-new-long-password")


def test_password_change_with_wrong_current_password_keeps_the_old_one(client, session):
    user = factories.user(session)
    client.login(user.email)
    response = client.post_form("/account/password", {"current": "nope-nope-nope", "new": "x" * 12,
                                                      "confirm": "x" * 12})
    assert response.status_code == 400
    session.refresh(user)
    assert verify_password(user.password_hash, factories.PASSWORD)


def test_argon2_hash_verifies_and_rejects():
    hashed = hash_password("s3cret-passphrase")
    assert hashed.startswith("$argon2id$") and "m=65536" in hashed
    assert verify_password(hashed, "s3cret-passphrase")
    assert not verify_password(hashed, "other")
    assert not verify_password("not-a-hash", "other")


def test_a_forgotten_password_is_reset_through_a_one_use_emailed_link(app, session):
    import re

    from models import AuditEvent, OutboxEmail

    user = factories.user(session, email="forgot@example.tw")
    phone = app.test_client()
    phone.login(user.email)
    client = app.test_client()
    assert "忘記密碼" in client.get("/login").get_data(as_text=True)
    unknown = client.post_form("/password/forgot", {"email": "nobody@example.tw"}, follow_redirects=True)
    known = app.test_client().post_form("/password/forgot", {"email": "Forgot@example.tw"}, follow_redirects=True)
    def said(response):
        flash = re.search(r'<div class="flash[^"]*"[^>]*>(.*?)</div>', response.get_data(as_text=True), re.S).group(1)
        return re.sub(r"\S+@example\.tw", "ADDRESS", flash, flags=re.I)
    assert unknown.status_code == known.status_code == 200 and said(unknown) == said(known), "no one learns who exists"
    mail = session.exec(select(OutboxEmail)).one()
    assert mail.to_address == user.email and "重設" in mail.subject
    path = re.search(r"/password/reset/\S+", mail.body).group(0)
    form = client.get(path)
    assert form.status_code == 200 and user.email in form.get_data(as_text=True)
    short = client.post_form(path, {"new": "short", "confirm": "short"})
    assert short.status_code == 400 and "field-error" in short.get_data(as_text=True)
    assert client.post_form(path, {"new": "a-brand-new-password", "confirm": "a-brand-new-password"}).status_code == 302
    session.refresh(user)
    assert verify_password(user.password_hash, "a-brand-new-password")
    assert phone.get("/my/problems").status_code == 302, "every device is logged out"
    again = client.post_form(path, {"new": "another-new-password", "confirm": "another-new-password"})
    assert again.status_code == 400 and "此連結已使用過" in again.get_data(as_text=True)
    session.refresh(user)
    assert verify_password(user.password_hash, "a-brand-new-password")
    forged = client.get(path[:-3] + "abc")
    assert forged.status_code == 400 and "此連結無效" in forged.get_data(as_text=True)
    actions = set(session.exec(select(AuditEvent.action)).all())
    assert {"user.password_reset_requested", "user.password_reset"} <= actions


def test_a_reset_link_expires_after_an_hour(app, session, monkeypatch):
    import time

    from marketplace.services import passwords

    user = factories.user(session)
    with app.test_request_context():
        token = passwords._reset_signer().dumps({"u": user.id, "f": passwords._fingerprint(user)})
    later = int(time.time()) + passwords.RESET_MAX_AGE + 5
    # An hour and a bit later, as the link's signer reads the clock (the only clock patched).
    monkeypatch.setattr("itsdangerous.timed.TimestampSigner.get_timestamp", lambda self: later)
    response = app.test_client().get(f"/password/reset/{token}")
    assert response.status_code == 400 and "此連結已過期" in response.get_data(as_text=True)


def test_two_submissions_of_one_reset_link_set_one_password(app, session, monkeypatch):
    from marketplace.db import get_session
    from marketplace.services import ServiceError, passwords

    user = factories.user(session)
    with app.test_request_context():
        token = passwords._reset_signer().dumps({"u": user.id, "f": passwords._fingerprint(user)})
    checked = passwords.user_for_reset

    def checked_then_overtaken(**kw):
        found = checked(**kw)
        # The other submission commits its new password between this one's check and its write.
        other = hash_password("the-other-one-won")
        session.execute(sa.update(User).where(User.id == user.id).values(password_hash=other))
        session.commit()
        return found
    monkeypatch.setattr(passwords, "user_for_reset", checked_then_overtaken)
    with app.test_request_context():
        with pytest.raises(ServiceError):
            passwords.reset_password(session=get_session(), token=token, new_password="this-one-lost-the-race")
    session.expire_all()
    assert verify_password(session.get(User, user.id).password_hash, "the-other-one-won")


def test_reset_links_for_one_address_are_limited_per_hour(app, session):
    factories.user(session, email="flooded@example.tw")
    answers = [app.test_client().post_form("/password/forgot", {"email": "flooded@example.tw"}).status_code
               for _ in range(4)]
    assert answers == [302, 302, 302, 429]
    from models import OutboxEmail
    assert len(session.exec(select(OutboxEmail)).all()) == 3


def test_an_unknown_address_gets_the_same_work_and_no_email(app, session, monkeypatch):
    """No timing is measured: the steps that cost time run for an address without an account too."""
    from marketplace.services import passwords
    from models import AuditEvent, OutboxEmail

    factories.user(session, email="known@example.tw")
    signed, make_signer = [], passwords._reset_signer

    def counting_signer():
        signer = make_signer()
        dumps = signer.dumps
        signer.dumps = lambda payload, *a, **kw: signed.append(payload) or dumps(payload, *a, **kw)
        return signer
    monkeypatch.setattr(passwords, "_reset_signer", counting_signer)
    for address in ("nobody@example.tw", "known@example.tw"):
        assert app.test_client().post_form("/password/forgot", {"email": address}).status_code == 302
    assert [sorted(payload) for payload in signed] == [["f", "u"], ["f", "u"]], "a link is signed either way"
    assert signed[0]["u"] == 0, "the unknown address's link is for no account"
    mails = session.exec(select(OutboxEmail.to_address)).all()
    assert mails == ["known@example.tw"], "nothing is sent to an address without an account"
    events = session.exec(select(AuditEvent).where(AuditEvent.action.like("user.password_reset%"))).all()
    assert sorted(e.action for e in events) == ["user.password_reset_requested", "user.password_reset_unknown"]
    unknown = next(e for e in events if e.action == "user.password_reset_unknown")
    assert unknown.object_id is None and "nobody" not in str(unknown.detail), "the typed address is not kept"
