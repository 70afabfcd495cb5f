"""Bids: a team's proposal for one problem (at most one per team and problem)."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from models.base import created_field, enum_field, time_field
from models.enums import BidStatus


class BidBase(SQLModel):
    approach: str = Field(sa_type=sa.Text)
    price: int = Field(ge=0)
    timeline_months: int = Field(default=6, ge=1, le=60)


class BidCreate(BidBase):
    """What a team submits: approach, price, milestones, assigned members."""

    milestones: list[dict] = []
    member_ids: list[int] = []


class Bid(BidBase, table=True):
    """A submitted bid."""

    id: int | None = Field(default=None, primary_key=True)
    problem_id: int = Field(foreign_key="problem.id", index=True)
    team_id: int = Field(foreign_key="team.id", index=True)
    # [{"title": str, "due": "YYYY-MM-DD"}, ...]
    milestones: list[dict] = Field(default_factory=list, sa_type=sa.JSON, nullable=False)
    member_ids: list[int] = Field(default_factory=list, sa_type=sa.JSON, nullable=False)
    status: BidStatus = enum_field(BidStatus.SUBMITTED, length=16, index=True)
    created_at: datetime = created_field()
    updated_at: datetime | None = time_field()

    __table_args__ = (sa.UniqueConstraint("team_id", "problem_id"),)


class Invitation(SQLModel, table=True):
    """A company's invitation to a team to bid on one of its problems."""

    id: int | None = Field(default=None, primary_key=True)
    problem_id: int = Field(foreign_key="problem.id", index=True)
    team_id: int = Field(foreign_key="team.id", index=True)
    invited_by_id: int | None = Field(default=None, foreign_key="user.id")
    message: str = Field(default="", max_length=1000)
    created_at: datetime = created_field()

    __table_args__ = (sa.UniqueConstraint("problem_id", "team_id"),)
