"""Migrations build the schema the models describe, and walk down and up again."""
from __future__ import annotations

import sqlalchemy as sa
from alembic import command

from marketplace import migrate


def test_migrations_round_trip_and_match_the_models(tmp_path):
    url = f"sqlite:///{tmp_path / 'm.db'}"
    migrate.upgrade(url)
    migrate.check(url)  # raises if the models and the migrations disagree
    command.downgrade(migrate.alembic_config(url), "base")
    tables = sa.inspect(sa.create_engine(url)).get_table_names()
    assert tables == ["alembic_version"]
    migrate.upgrade(url)
    migrate.check(url)


def test_constraints_carry_the_naming_convention(database_url):
    inspector = sa.inspect(sa.create_engine(database_url))
    uniques = {u["name"] for u in inspector.get_unique_constraints("bid")}
    assert "uq_bid_team_id_problem_id" in uniques
    fks = {f["name"] for f in inspector.get_foreign_keys("problem")}
    assert "fk_problem_organisation_id_organisation" in fks
