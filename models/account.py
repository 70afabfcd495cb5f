"""User accounts and their revocable login sessions."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from models.base import UTCDateTime, created_field, enum_field, time_field
from models.enums import Role


class UserBase(SQLModel):
    email: str = Field(max_length=254, sa_column_kwargs={"unique": True}, index=False)
    display_name: str = Field(max_length=120)
    role: Role = enum_field(length=16)
    locale: str | None = Field(default=None, max_length=8)


class User(UserBase, table=True):
    """Anyone who logs in: company owner, team member, staff or admin."""

    id: int | None = Field(default=None, primary_key=True)
    password_hash: str = Field(max_length=255)
    organisation_id: int | None = Field(default=None, foreign_key="organisation.id", index=True)
    team_id: int | None = Field(default=None, foreign_key="team.id", index=True)
    is_active: bool = Field(default=True)
    consent_at: datetime | None = time_field()
    password_changed_at: datetime | None = time_field()
    created_at: datetime = created_field()

    @property
    def is_staff(self) -> bool:
        """Staff and admins share the promotion-centre powers."""
        return Role(self.role).is_staff


class LoginSession(SQLModel, table=True):
    """One login on one device; revoking it logs that device out."""

    __tablename__ = "login_session"

    id: int | None = Field(default=None, primary_key=True)
    token: str = Field(max_length=64, sa_column_kwargs={"unique": True})
    user_id: int = Field(foreign_key="user.id", index=True)
    created_at: datetime = created_field()
    last_seen_at: datetime | None = time_field()
    revoked_at: datetime | None = Field(default=None, sa_type=UTCDateTime, nullable=True)
    user_agent: str = Field(default="", max_length=200)

    __table_args__ = (sa.Index("ix_login_session_user_active", "user_id", "revoked_at"),)
