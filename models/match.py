"""Matches of a team to a problem, their milestones, progress and solution."""
from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from models.base import created_field, enum_field, time_field
from models.enums import MatchStatus

_OPEN = "status IN ('proposed', 'approved')"


class Match(SQLModel, table=True):
    """A proposed pairing; staff approve or reject it exactly once."""

    id: int | None = Field(default=None, primary_key=True)
    problem_id: int = Field(foreign_key="problem.id", index=True)
    team_id: int = Field(foreign_key="team.id", index=True)
    bid_id: int | None = Field(default=None, foreign_key="bid.id")
    status: MatchStatus = enum_field(MatchStatus.PROPOSED, length=16, index=True)
    score: float | None = None
    proposed_by_id: int | None = Field(default=None, foreign_key="user.id")
    decided_by_id: int | None = Field(default=None, foreign_key="user.id")
    decided_at: datetime | None = time_field()
    decision_reason: str | None = Field(default=None, sa_type=sa.Text)
    created_at: datetime = created_field()

    __table_args__ = (
        # One open (proposed or approved) match per problem at a time.
        sa.Index(
            "uq_match_problem_open", "problem_id", unique=True,
            sqlite_where=sa.text(_OPEN), postgresql_where=sa.text(_OPEN),
        ),
    )


class Milestone(SQLModel, table=True):
    """A dated step of an approved match."""

    id: int | None = Field(default=None, primary_key=True)
    match_id: int = Field(foreign_key="match.id", index=True)
    position: int = 0
    title: str = Field(max_length=200)
    due_date: date | None = None
    done_at: datetime | None = time_field()
    # Set when the overdue reminder went out, so it goes out once.
    overdue_notified_at: datetime | None = time_field()


class ProgressPost(SQLModel, table=True):
    """A team's progress note on a match, optionally on one milestone."""

    __tablename__ = "progress_post"

    id: int | None = Field(default=None, primary_key=True)
    match_id: int = Field(foreign_key="match.id", index=True)
    milestone_id: int | None = Field(default=None, foreign_key="milestone.id")
    author_id: int | None = Field(default=None, foreign_key="user.id")
    body: str = Field(sa_type=sa.Text)
    created_at: datetime = created_field()


class Solution(SQLModel, table=True):
    """What a team delivered; counts toward the goal once verified."""

    id: int | None = Field(default=None, primary_key=True)
    match_id: int = Field(foreign_key="match.id", sa_column_kwargs={"unique": True})
    problem_id: int = Field(foreign_key="problem.id", index=True)
    team_id: int = Field(foreign_key="team.id", index=True)
    summary: str = Field(sa_type=sa.Text)
    results: str = Field(default="", sa_type=sa.Text)
    kpi_reached: str = Field(default="", sa_type=sa.Text)
    assets: str = Field(default="", sa_type=sa.Text)
    # The team offers the solution to the public library; the company must approve it too.
    shareable: bool = False
    share_approved: bool = False
    delivered_at: datetime = created_field()
    confirmed_at: datetime | None = time_field()
    verified_at: datetime | None = time_field(index=True)
    verified_by_id: int | None = Field(default=None, foreign_key="user.id")
