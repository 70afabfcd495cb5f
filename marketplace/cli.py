"""The `marketplace` command: Flask's CLI plus db, users and seed groups."""
from __future__ import annotations

from datetime import date

import click
from flask import Flask, current_app
from flask.cli import FlaskGroup, with_appcontext
from pydantic import ValidationError

from marketplace.db import database_url_for, get_session
from marketplace.services import ServiceError


def _create_app() -> Flask:
    from marketplace import create_app

    try:
        return create_app()
    except ValidationError as exc:  # settings refused, e.g. the placeholder secret in production
        reasons = ["{}{}".format(f"{'.'.join(map(str, e['loc'])).upper()}: " if e["loc"] else "",
                                 e["msg"].removeprefix("Value error, ")) for e in exc.errors()]
        raise click.ClickException("invalid settings: " + "; ".join(reasons)) from None


@click.group(cls=FlaskGroup, create_app=_create_app, add_version_option=False)
def main() -> None:
    """AI innovation matching marketplace."""


def register_commands(app: Flask) -> None:
    """Attach the project's command groups to the app's CLI."""
    app.cli.add_command(db_group)
    app.cli.add_command(users_group)
    app.cli.add_command(seed_command)
    app.cli.add_command(match_group)
    app.cli.add_command(export_group)


@click.group("db")
def db_group() -> None:
    """Database schema migrations (Alembic)."""


@db_group.command("upgrade")
@click.option("--revision", default="head", show_default=True)
@with_appcontext
def db_upgrade(revision: str) -> None:
    """Apply migrations up to REVISION."""
    from marketplace import migrate

    migrate.upgrade(database_url_for(current_app), revision)
    click.echo("database is up to date")


@db_group.command("check")
@with_appcontext
def db_check() -> None:
    """Fail if the models and the migrations disagree."""
    from alembic.util.exc import CommandError

    from marketplace import migrate

    try:
        migrate.check(database_url_for(current_app))
    except CommandError as exc:
        raise click.ClickException(str(exc)) from None


@db_group.command("revision")
@click.option("-m", "--message", required=True)
@with_appcontext
def db_revision(message: str) -> None:
    """Autogenerate a migration from the models."""
    from marketplace import migrate

    migrate.revision(database_url_for(current_app), message)


@click.group("users")
def users_group() -> None:
    """Accounts; staff and admins are only created here."""


@users_group.command("create")
@click.option("--role", type=click.Choice(["staff", "admin", "company", "team"]), required=True)
@click.option("--email", required=True)
@click.option("--name", "display_name", required=True)
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
@with_appcontext
def users_create(role: str, email: str, display_name: str, password: str) -> None:
    """Create an account (staff and admin accounts cannot register on the web)."""
    from marketplace.services.accounts import create_user
    from models import Role

    try:
        user = create_user(session=get_session(), email=email, password=password, role=Role(role),
                           display_name=display_name)
    except ServiceError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"created {role} account {user.email} (id {user.id})")


@click.command("seed")
@click.option("--demo", is_flag=True, required=True, help="Load the demo data set.")
@click.option("--if-empty", is_flag=True, help="Do nothing when the database has problems.")
@click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Pretend today is this date (the seed is deterministic for a given date).")
@with_appcontext
def seed_command(demo: bool, if_empty: bool, today) -> None:
    """Load the deterministic demo data and print the demo logins."""
    from marketplace.seed.demo import DEMO_LOGINS, database_is_empty, seed_demo

    session = get_session()
    if if_empty and not database_is_empty(session=session):
        click.echo("demo data already present; not seeding again")
    else:
        summary = seed_demo(session=session, today=(today.date() if today else date.today()))
        click.echo("seeded: " + ", ".join(f"{k} {v}" for k, v in summary.items()))
    click.echo(f"demo logins (password for all: {DEMO_LOGINS['password']}):")
    for role, email in DEMO_LOGINS["accounts"]:
        click.echo(f"  {role:8} {email}")


@click.group("match")
def match_group() -> None:
    """The matching indexes."""


@match_group.command("rebuild")
@click.option("--if-stale", is_flag=True, help="Only when nothing was published yet.")
@with_appcontext
def match_rebuild(if_stale: bool) -> None:
    """Embed what changed and publish new team and problem indexes."""
    from marketplace.recommender.engine import NAMES, get_engine

    engine, session = get_engine(), get_session()
    for name in NAMES:
        if if_stale and engine.current_version(session, name):
            click.echo(f"{name} index is already published (version {engine.current_version(session, name)})")
            continue
        row = engine.publish(session, name)
        session.commit()
        click.echo(f"{name} index version {row.version}: {row.count} vectors ({row.model})")


@match_group.command("retag")
@with_appcontext
def match_retag() -> None:
    """Tag every problem again with the current taxonomy, then publish the problems index."""
    from marketplace.recommender.engine import get_engine
    from marketplace.services.problems import retag_problems

    session = get_session()
    changed = retag_problems(session=session)
    row = get_engine().publish(session, "problems")
    session.commit()
    click.echo(f"{changed} problems tagged anew; problems index version {row.version}")


@match_group.command("prune")
@with_appcontext
def match_prune() -> None:
    """Delete stored vectors of models other than the current one (MATCHER_MODEL, MATCHER_WINDOW)."""
    from marketplace.recommender import embeddings
    from marketplace.recommender.engine import get_engine

    signature = get_engine().embedder.signature
    removed = embeddings.prune(session=get_session(), keep_model=signature)
    click.echo(f"{removed} vectors of other models deleted; kept those of {signature}")


@click.group("export")
def export_group() -> None:
    """Programme exports."""


@export_group.command("quarterly")
@click.option("--quarter", required=True, help="e.g. 2026Q3")
@click.option("--format", "fmt", type=click.Choice(["csv", "xlsx"]), default="xlsx", show_default=True)
@click.option("--output", required=True, type=click.Path(dir_okay=False, writable=True))
@with_appcontext
def export_quarterly(quarter: str, fmt: str, output: str) -> None:
    """Write the quarter's export to OUTPUT and keep it as a record."""
    from pathlib import Path

    from marketplace.exports.service import generate
    from marketplace.services.quarterly import BadQuarter
    from marketplace.services.quarters import programme_today

    try:
        export = generate(session=get_session(), settings=current_app.config["SETTINGS"], quarter=quarter,
                          fmt=fmt, actor=None, today=programme_today())
    except (BadQuarter, ValueError) as exc:
        raise click.ClickException(str(exc)) from None
    try:
        Path(output).write_bytes(export.content)
    except OSError as exc:
        raise click.ClickException(f"cannot write {output}: {exc.strerror}") from None
    click.echo(f"{export.filename}: {len(export.content)} bytes, sha256 {export.sha256} -> {output}")


if __name__ == "__main__":
    main()
