"""Colleagues: a company or team gives more people logins of their own, each choosing a password."""
from __future__ import annotations

import re

import pytest
from sqlmodel import select

from models import AuditEvent, OutboxEmail, User
from tests import factories

NEW_PASSWORD = "a-long-enough-password"


def _signed_in(app, user):
    client = app.test_client()
    client.login(user.email)
    return client


def _invite_link(session, address: str) -> str:
    mail = session.exec(select(OutboxEmail).where(OutboxEmail.to_address == address)).one()
    return re.search(r"/invite/\S+", mail.body).group(0)


@pytest.mark.parametrize("role", ["company", "team"])
def test_an_invited_colleague_chooses_a_password_and_works_for_the_same_side(app, session, role):
    inviter = factories.user(session, role, display_name="陳經理")
    client = _signed_in(app, inviter)
    response = client.post_form("/account/colleagues", {"display_name": "林工程師", "email": "Lin@Example.tw"})
    assert response.status_code == 302 and response.location.endswith("#colleagues")
    colleague = session.exec(select(User).where(User.email == "lin@example.tw")).one()
    assert (colleague.role, colleague.organisation_id, colleague.team_id) == \
        (inviter.role, inviter.organisation_id, inviter.team_id)
    assert colleague.consent_at is None
    people = client.get("/account").get_data(as_text=True)
    people = people[people.index('id="colleagues"'):]
    assert people.count("尚未設定密碼") == 1 and people.index("lin@example.tw") < people.index("尚未設定密碼")
    mail = session.exec(select(OutboxEmail).where(OutboxEmail.to_address == "lin@example.tw")).one()
    assert "陳經理" in mail.subject
    link = _invite_link(session, "lin@example.tw")

    visitor = app.test_client()
    page = visitor.get(link).get_data(as_text=True)
    assert "林工程師" in page and "lin@example.tw" in page
    refused = visitor.post_form(link, {"new": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert refused.status_code == 400 and "須同意資料使用方式" in refused.get_data(as_text=True)
    accepted = visitor.post_form(link, {"new": NEW_PASSWORD, "confirm": NEW_PASSWORD, "consent": "y"})
    assert accepted.status_code == 302
    session.refresh(colleague)
    assert colleague.consent_at is not None
    visitor.login("lin@example.tw", NEW_PASSWORD)
    home = "/my/problems" if role == "company" else "/my/team"
    assert visitor.get(home).status_code == 200
    assert visitor.get(link).status_code == 400, "the link works once"
    assert "尚未設定密碼" not in client.get("/account").get_data(as_text=True)
    actions = session.exec(select(AuditEvent.action)).all()
    assert "user.invited" in actions and "user.invitation_accepted" in actions


def test_a_taken_or_malformed_address_is_refused_and_nothing_is_created(app, session):
    inviter = factories.user(session, "company")
    taken = factories.user(session, "team")
    client = _signed_in(app, inviter)
    before = len(session.exec(select(User)).all())
    response = client.post_form("/account/colleagues", {"display_name": "林", "email": taken.email.upper()})
    assert response.status_code == 409 and "已有帳號" in response.get_data(as_text=True)
    bad = client.post_form("/account/colleagues", {"display_name": "林", "email": "not-an-address"})
    assert bad.status_code == 400 and 'id="colleague-email-error"' in bad.get_data(as_text=True)
    assert len(session.exec(select(User)).all()) == before
    assert session.exec(select(OutboxEmail)).first() is None


def test_staff_have_no_colleagues_to_invite(app, session):
    client = _signed_in(app, factories.user(session, "staff"))
    assert 'id="colleagues"' not in client.get("/account").get_data(as_text=True)
    assert client.post_form("/account/colleagues", {"display_name": "林", "email": "lin@example.tw"}).status_code == 403
