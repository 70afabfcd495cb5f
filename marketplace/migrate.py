"""Run Alembic programmatically against the app's database."""
from __future__ import annotations

from alembic import command
from alembic.config import Config

from marketplace.paths import resource_dir


def alembic_config(url: str) -> Config:
    """An Alembic config pointing at the project's migrations and the given URL."""
    cfg = Config()
    cfg.set_main_option("script_location", str(resource_dir("migrations")))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def upgrade(url: str, revision: str = "head") -> None:
    """Bring the schema up to `revision`."""
    command.upgrade(alembic_config(url), revision)


def check(url: str) -> None:
    """Raise if the models and the migrations disagree."""
    command.check(alembic_config(url))


def revision(url: str, message: str) -> None:
    """Autogenerate a new migration from the models."""
    command.revision(alembic_config(url), message=message, autogenerate=True)
