"""Notifications: in-app with an unread count, and email (outbox in development, SMTP when set)."""
from __future__ import annotations

from sqlmodel import select

from marketplace.services.mailer import deliver
from models import Notification, OutboxEmail
from tests import factories


def _review(app, session, owner, decision="publish", reason=""):
    problem = factories.problem(session, owner=owner, status="submitted", title="冷鏈溫度預警")
    staff = app.test_client()
    staff.login(factories.user(session, "staff").email)
    staff.post_form("/staff/review", {"problem_ids": str(problem.id), "decision": decision,
                                      "reason": reason})
    return problem


def test_unread_count_and_mark_read(app, session):
    owner = factories.user(session, "company")
    _review(app, session, owner)
    client = app.test_client()
    client.login(owner.email)
    assert 'class="badge count"' in client.get("/").get_data(as_text=True)
    page = client.get("/notifications").get_data(as_text=True)
    assert "冷鏈溫度預警" in page and "已刊登" in page
    client.post_form("/notifications/read")
    assert 'class="badge count"' not in client.get("/").get_data(as_text=True)
    assert session.exec(select(Notification)).one().read_at is not None


def test_email_goes_to_the_outbox_in_the_readers_language(app, session):
    zh_owner = factories.user(session, "company")
    en_owner = factories.user(session, "company", locale="en")
    _review(app, session, zh_owner, "reject", "請補 KPI")
    _review(app, session, en_owner, "reject", "Add a KPI")
    by_address = {e.to_address: e for e in session.exec(select(OutboxEmail)).all()}
    assert "退回" in by_address[zh_owner.email].body and "請補 KPI" in by_address[zh_owner.email].body
    assert "sent back" in by_address[en_owner.email].body
    assert "http://127.0.0.1:5000/problems/" in by_address[zh_owner.email].body
    assert all(e.sent_at is None for e in by_address.values()), "development mode only logs"


def test_smtp_delivery_sends_once(app, session, smtp_server):
    received = []

    class Handler:
        async def handle_DATA(self, server, session, envelope):
            received.append(envelope)
            return "250 OK"

    smtp_server(Handler())
    email = OutboxEmail(to_address="owner@example.tw", subject="測試", body="內容")
    session.add(email)
    session.commit()
    with app.app_context():
        from marketplace.db import get_session

        assert deliver(session=get_session(), email_id=email.id) is True
        assert deliver(session=get_session(), email_id=email.id) is False   # idempotent
    assert len(received) == 1 and received[0].rcpt_tos == ["owner@example.tw"]
    session.refresh(email)
    assert email.sent_at is not None


def test_opening_a_notification_marks_it_read_and_follows_its_link(app, session):
    owner = factories.user(session, "company")
    _review(app, session, owner)
    note = session.exec(select(Notification)).one()
    client = app.test_client()
    client.login(owner.email)
    page = client.get("/notifications").get_data(as_text=True)
    assert f'href="/notifications/{note.id}"' in page
    stranger = app.test_client()
    stranger.login(factories.user(session, "company").email)
    assert stranger.get(f"/notifications/{note.id}").status_code == 404
    session.refresh(note)
    assert note.read_at is None
    opened = client.get(f"/notifications/{note.id}")
    assert opened.status_code == 302 and opened.headers["Location"].endswith(note.link)
    session.refresh(note)
    assert note.read_at is not None
    assert 'class="badge count"' not in client.get("/").get_data(as_text=True)
