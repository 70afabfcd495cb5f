"""Organisations that post problems (companies, hospitals, associations)."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from models.base import created_field, enum_field
from models.enums import Region, Sector


class OrganisationBase(SQLModel):
    name: str = Field(max_length=200)
    name_en: str = Field(default="", max_length=200)
    sector: Sector = enum_field(length=24, index=True)
    is_sme: bool = Field(default=True)
    region: Region = enum_field(length=24)
    description: str = Field(default="", sa_type=sa.Text)


class Organisation(OrganisationBase, table=True):
    """A problem owner's organisation."""

    id: int | None = Field(default=None, primary_key=True)
    created_at: datetime = created_field()
