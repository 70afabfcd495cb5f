"""CSRF on every state change (htmx included), rate limits, headers, role guards."""
from __future__ import annotations

import pytest

from marketplace import create_app
from tests import factories
from tests.conftest import Client

STATE_CHANGING = {"POST", "PUT", "PATCH", "DELETE"}


def _staff_routes(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith(("staff.", "exports.")):
            yield rule


def _sample_url(rule):
    return rule.build({arg: 1 for arg in rule.arguments})[1]


def test_every_staff_route_refuses_company_and_team_users(app, session):
    rules = list(_staff_routes(app))
    assert rules, "there are staff routes to guard"
    for role in ("company", "team"):
        client = app.test_client()
        client.login(factories.user(session, role).email)
        for rule in rules:
            for method in rule.methods - {"HEAD", "OPTIONS"}:
                response = client.open(_sample_url(rule), method=method,
                                       headers={"X-CSRFToken": client.csrf_token()})
                assert response.status_code == 403, (role, method, rule.rule)


def test_staff_routes_send_anonymous_users_to_login(app):
    client = app.test_client()
    for rule in _staff_routes(app):
        if "GET" in rule.methods:
            response = client.get(_sample_url(rule))
            assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_every_state_changing_route_needs_a_csrf_token(app, session):
    client = app.test_client()
    client.login(factories.user(session, "staff").email)
    checked = 0
    for rule in app.url_map.iter_rules():
        for method in (rule.methods or set()) & STATE_CHANGING:
            response = client.open(_sample_url(rule), method=method, data={})
            assert response.status_code == 400, (method, rule.rule, response.status_code)
            checked += 1
    assert checked >= 4


def test_htmx_requests_pass_csrf_with_the_header(client, session):
    user = factories.user(session, "team")
    problem = factories.problem(session)
    client.login(user.email)
    data = {"approach": "以 YOLO 建立瑕疵檢測模型，並於現場驗證。", "price": "900000", "timeline_months": "6",
            "milestones-0-title": "PoC", "milestones-0-due": "2027-02-01"}
    without = client.post(f"/problems/{problem.id}/bids", data=data, headers={"HX-Request": "true"})
    assert without.status_code == 400
    with_header = client.post_form(f"/problems/{problem.id}/bids", data, htmx=True)
    assert with_header.status_code == 204
    assert with_header.headers["HX-Redirect"] == f"/problems/{problem.id}"


def test_login_is_rate_limited(settings):
    app = create_app(settings.model_copy(update={"login_rate_limit": "3 per minute"}))
    app.test_client_class = Client
    client = app.test_client()
    codes = [client.post_form("/login", {"email": "a@b.tw", "password": "wrong-password"}).status_code
             for _ in range(5)]
    assert codes[:3] == [400, 400, 400]
    assert codes[3:] == [429, 429]
    app.extensions["db_engine"].dispose()


def test_registration_is_rate_limited(settings):
    app = create_app(settings.model_copy(update={"register_rate_limit": "2 per minute"}))
    app.test_client_class = Client
    client = app.test_client()
    codes = [client.post_form("/register", {}).status_code for _ in range(3)]
    assert codes == [400, 400, 429]
    app.extensions["db_engine"].dispose()


def test_security_headers_and_csp(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    cookie = client.get_cookie("session")
    assert cookie is None or cookie.http_only


def test_pages_have_no_inline_script_or_style(client, session):
    factories.problem(session)
    for url in ("/", "/problems", "/teams", "/login", "/register"):
        page = client.get(url).get_data(as_text=True)
        assert "<script>" not in page and "style=" not in page and "<style" not in page, url


def test_request_size_is_bounded(client):
    response = client.post("/login", data={"email": "x" * (3 * 1024 * 1024)})
    assert response.status_code == 413


@pytest.mark.parametrize("url", ["/my/problems", "/my/team", "/account/password", "/me"])
def test_account_pages_need_login(client, url):
    response = client.get(url)
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_company_pages_refuse_teams_and_vice_versa(app, session):
    company, team = app.test_client(), app.test_client()
    company.login(factories.user(session, "company").email)
    team.login(factories.user(session, "team").email)
    assert company.get("/my/team").status_code == 403
    assert team.get("/my/problems").status_code == 403
