"""a completed assessment can be reopened: who reopened it, when, and the frozen report it had

Revision ID: b5d1f3a8c2e7
Revises: e5ca9b1d0a16
Create Date: 2026-12-07 05:30:00.000000

"""

import sqlalchemy as sa
from alembic import op

import app.models.base  # noqa: F401  (custom column types such as UTCDateTime)

# revision identifiers, used by Alembic.
revision = "b5d1f3a8c2e7"
down_revision = "e5ca9b1d0a16"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "assessment_reopenings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("reopened_by_id", sa.Integer(), nullable=True),
        sa.Column("reopened_at", app.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("completed_at", app.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("kb_version", sa.String(length=32), nullable=False),
        sa.Column("result", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["assessment_id"], ["assessments.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["reopened_by_id"], ["users.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("assessment_id", "revision"),
    )
    with op.batch_alter_table("assessment_reopenings", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_assessment_reopenings_assessment_id"), ["assessment_id"], unique=False)


def downgrade():
    with op.batch_alter_table("assessment_reopenings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_assessment_reopenings_assessment_id"))
    op.drop_table("assessment_reopenings")
