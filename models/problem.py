"""Problems posted by companies, with their lifecycle status."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from models.base import created_field, enum_field, str_list_field, time_field
from models.enums import Language, ProblemStatus, Sector, Sensitivity


class ProblemBase(SQLModel):
    title: str = Field(max_length=200)
    sector: Sector = enum_field(length=24, index=True)
    language: Language = enum_field(Language.ZH_TW, length=8)
    context: str = Field(default="", sa_type=sa.Text)
    pain: str = Field(default="", sa_type=sa.Text)
    data_volume: str = Field(default="", max_length=300)
    data_format: str = Field(default="", max_length=300)
    data_sensitivity: Sensitivity = enum_field(Sensitivity.INTERNAL, length=16)
    outcome: str = Field(default="", sa_type=sa.Text)
    kpi: str = Field(default="", sa_type=sa.Text)
    constraints: str = Field(default="", sa_type=sa.Text)
    on_premise: bool = False
    edge_device: bool = False
    field_site: bool = False
    budget_min: int = Field(default=0, ge=0)
    budget_max: int = Field(default=0, ge=0)
    # None while a draft has not said (submitting asks for it).
    timeline_months: int | None = Field(default=None, ge=1, le=60)


class ProblemCreate(ProblemBase):
    """What a company submits when it writes a problem."""

    data_kinds: list[str] = []


class Problem(ProblemBase, table=True):
    """A real business problem; its status follows services.lifecycle."""

    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    created_by_id: int | None = Field(default=None, foreign_key="user.id")
    status: ProblemStatus = enum_field(ProblemStatus.DRAFT, length=16, index=True)
    data_kinds: list[str] = str_list_field()
    # Taxonomy keys found in the text by the matcher's tagger.
    tags: list[str] = str_list_field()
    rejection_reason: str | None = Field(default=None, sa_type=sa.Text)
    created_at: datetime = created_field()
    updated_at: datetime | None = time_field()
    submitted_at: datetime | None = time_field()
    published_at: datetime | None = time_field(index=True)
    closed_at: datetime | None = time_field()

    __table_args__ = (
        sa.CheckConstraint("budget_min <= budget_max", name="budget_range"),
        sa.CheckConstraint("budget_min >= 0", name="budget_nonnegative"),
    )
