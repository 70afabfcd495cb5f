"""a draft may leave a problem's timeline unset (no silent default of six months)

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-28 14:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('problem', schema=None) as batch_op:
        batch_op.alter_column('timeline_months', existing_type=sa.Integer(), nullable=True)


def downgrade() -> None:
    op.execute("UPDATE problem SET timeline_months = 6 WHERE timeline_months IS NULL")
    with op.batch_alter_table('problem', schema=None) as batch_op:
        batch_op.alter_column('timeline_months', existing_type=sa.Integer(), nullable=False)
