"""AI talent teams: profile, members, portfolio and declared conflicts."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from models.base import created_field, enum_field, str_list_field, time_field
from models.enums import AffiliationType, CertLevel, Language, Region


class TeamBase(SQLModel):
    name: str = Field(max_length=200)
    name_en: str = Field(default="", max_length=200)
    affiliation_type: AffiliationType = enum_field(length=24)
    affiliation: str = Field(default="", max_length=200)
    region: Region = enum_field(Region.TAIPEI, length=24)
    description: str = Field(default="", sa_type=sa.Text)
    language: Language = enum_field(Language.ZH_TW, length=8)
    capacity: int = Field(default=1, ge=1, le=20)


class Team(TeamBase, table=True):
    """A team's public profile; sectors and skills are lists of keys."""

    id: int | None = Field(default=None, primary_key=True)
    sectors: list[str] = str_list_field()
    # Keys of the bilingual skills taxonomy.
    skills: list[str] = str_list_field()
    # Free additions that are not (yet) in the taxonomy.
    extra_skills: list[str] = str_list_field()
    # The team's parent organisation, when it has one (conflict of interest).
    organisation_id: int | None = Field(default=None, foreign_key="organisation.id")
    # Set when the team's last person deleted their account: no longer listed, recommended or invited.
    closed_at: datetime | None = time_field()
    created_at: datetime = created_field()
    updated_at: datetime | None = time_field()

    __table_args__ = (sa.CheckConstraint("capacity >= 1", name="capacity_positive"),)


class TeamMember(SQLModel, table=True):
    """A person on a team, with role and AI certification level."""

    __tablename__ = "team_member"

    id: int | None = Field(default=None, primary_key=True)
    team_id: int = Field(foreign_key="team.id", index=True)
    name: str = Field(max_length=120)
    role: str = Field(default="", max_length=120)
    cert_level: CertLevel = enum_field(CertLevel.BASIC, length=16)
    user_id: int | None = Field(default=None, foreign_key="user.id")


class PortfolioProject(SQLModel, table=True):
    """A past project in a team's portfolio; one of the texts the matcher reads."""

    __tablename__ = "portfolio_project"

    id: int | None = Field(default=None, primary_key=True)
    team_id: int = Field(foreign_key="team.id", index=True)
    title: str = Field(max_length=200)
    summary: str = Field(default="", sa_type=sa.Text)
    sector: str | None = Field(default=None, max_length=24)
    year: int | None = Field(default=None)


class TeamConflict(SQLModel, table=True):
    """An organisation a team declared a conflict of interest with."""

    __tablename__ = "team_conflict"

    team_id: int = Field(foreign_key="team.id", primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", primary_key=True)
    reason: str = Field(default="", max_length=300)
