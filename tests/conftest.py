"""Fixtures: a migrated database per session, an app per test, clients, sessions, logins."""
from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient
from sqlmodel import Session, SQLModel

from marketplace import create_app, migrate
from marketplace.db import make_engine, normalise_url
from marketplace.settings import Settings
from tests import factories
from tests.services import REQUIRE_SERVICES, TEST_DATABASE_URL

_TOKEN = re.compile(r'"X-CSRFToken": "([^"]+)"')


class Client(FlaskClient):
    """A test client that sends the CSRF token the way the pages do."""

    def csrf_token(self) -> str:
        page = self.get("/").get_data(as_text=True)
        return _TOKEN.search(page).group(1)

    def post_form(self, url: str, data: dict | None = None, htmx: bool = False, **kwargs):
        token = self.csrf_token()
        headers = kwargs.pop("headers", {})
        if htmx:
            headers = {"HX-Request": "true", "X-CSRFToken": token, **headers}
            return self.post(url, data=data or {}, headers=headers, **kwargs)
        return self.post(url, data={"csrf_token": token, **(data or {})}, headers=headers, **kwargs)

    def login(self, email: str, password: str = factories.PASSWORD):
        response = self.post_form("/login", {"email": email, "password": password})
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return response


def _reset_postgres(url: str) -> None:
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.text("DROP SCHEMA IF EXISTS public CASCADE"))
        conn.execute(sa.text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    """A freshly migrated database: PostgreSQL when TEST_DATABASE_URL is set, else SQLite."""
    if TEST_DATABASE_URL:
        url = normalise_url(TEST_DATABASE_URL)
        _reset_postgres(url)
    else:
        if REQUIRE_SERVICES:
            pytest.fail("REQUIRE_SERVICES=1 but TEST_DATABASE_URL is not set")
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
    migrate.upgrade(url)
    return url


def truncate_all(engine: sa.Engine) -> None:
    """Empty every table so the next test starts clean."""
    tables = [t.name for t in SQLModel.metadata.sorted_tables]
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            # A test that left a transaction open would block TRUNCATE forever; fail instead.
            conn.execute(sa.text("SET LOCAL lock_timeout = '10s'"))
            quoted = ", ".join(f'"{t}"' for t in tables)
            conn.execute(sa.text(f"TRUNCATE {quoted} RESTART IDENTITY CASCADE"))
        else:
            for name in reversed(tables):
                conn.execute(sa.text(f'DELETE FROM "{name}"'))


@pytest.fixture(scope="session")
def embedding_cache(tmp_path_factory) -> str:
    """Vectors cached by text hash across the run, so each text is encoded once per run."""
    return str(tmp_path_factory.mktemp("vectors"))


@pytest.fixture
def settings(database_url, tmp_path, embedding_cache) -> Settings:
    return Settings(
        app_env="test", secret_key="test-secret-" + "x" * 32, database_url=database_url,
        celery_broker_url="", index_dir=str(tmp_path / "index"), embedding_cache_dir=embedding_cache,
        login_rate_limit="1000 per minute", register_rate_limit="1000 per minute",
    )


@pytest.fixture
def app(settings):
    app = create_app(settings)
    app.test_client_class = Client
    yield app
    engine = app.extensions["db_engine"]
    truncate_all(engine)
    engine.dispose()


@pytest.fixture
def client(app) -> Client:
    return app.test_client()


@pytest.fixture
def session(app):
    """A database session of its own; it pushes no app context, so each request gets a fresh one."""
    with Session(app.extensions["db_engine"], expire_on_commit=False) as db_session:
        yield db_session


@pytest.fixture
def smtp_server(app):
    """Start a real SMTP server (aiosmtpd) with a given handler and point the app's mail at it."""
    import socket

    from aiosmtpd.controller import Controller

    started = []

    def start(handler) -> int:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        controller = Controller(handler, hostname="127.0.0.1", port=port)
        controller.start()
        started.append(controller)
        app.config["SETTINGS"] = app.config["SETTINGS"].model_copy(update={
            "smtp_host": "127.0.0.1", "smtp_port": port, "smtp_starttls": False})
        return port

    yield start
    for controller in started:
        controller.stop()
