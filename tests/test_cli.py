"""The `marketplace` command: db upgrade, users create, seed --demo."""
from __future__ import annotations

from sqlmodel import select

from marketplace.cli import main
from marketplace.services.accounts import verify_password
from models import Problem, User


def _run(app, *args, input=None):
    return app.test_cli_runner().invoke(args=list(args), input=input)


def test_staff_accounts_come_from_the_cli(app, session):
    result = _run(app, "users", "create", "--role", "staff", "--email", "Officer@Centre.tw",
                  "--name", "林專員", "--password", "a-long-password")
    assert result.exit_code == 0, result.output
    user = session.exec(select(User)).one()
    assert (user.email, user.role) == ("officer@centre.tw", "staff")
    assert verify_password(user.password_hash, "a-long-password")


def test_duplicate_user_exits_non_zero_with_one_line(app, session):
    args = ("users", "create", "--role", "admin", "--email", "a@b.tw", "--name", "A",
            "--password", "a-long-password")
    assert _run(app, *args).exit_code == 0
    result = _run(app, *args)
    assert result.exit_code != 0
    assert result.output.strip().count("\n") == 0 and "Error:" in result.output


def test_short_password_exits_non_zero(app):
    result = _run(app, "users", "create", "--role", "staff", "--email", "s@b.tw", "--name", "S",
                  "--password", "short")
    assert result.exit_code != 0 and "Error:" in result.output


def test_seed_if_empty_does_not_seed_twice(app, session):
    first = _run(app, "seed", "--demo", "--if-empty", "--today", "2026-11-27")
    assert first.exit_code == 0 and "seeded:" in first.output and "company@demo.example" in first.output
    second = _run(app, "seed", "--demo", "--if-empty")
    assert second.exit_code == 0 and "already present" in second.output
    assert len(session.exec(select(Problem.id)).all()) == 140


def test_db_upgrade_and_check_are_clean(app):
    assert _run(app, "db", "upgrade").exit_code == 0
    result = _run(app, "db", "check")
    assert result.exit_code == 0, result.output


def test_production_refuses_the_placeholder_secret(monkeypatch):
    monkeypatch.setenv("APP_ENV", "production")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    from click.testing import CliRunner

    result = CliRunner().invoke(main, ["db", "upgrade"])
    assert result.exit_code != 0
    assert "SECRET_KEY" in result.output
