"""repository scan proposals (evidence scan)

Revision ID: e5ca9b1d0a16
Revises: a4c2e9d17b03
Create Date: 2026-12-07 05:09:48.650559

Issue 16, item 4 (branch evidence-scan): the proposals of `clausewise evidence scan` taken into an assessment, each
pending until a person confirms or rejects it. Two new tables, nothing existing changes. The evidence-store branch
adds a migration on the same parent: whichever merges second re-points its down_revision.
"""

import sqlalchemy as sa
from alembic import op

import app.models.base  # noqa: F401  (custom column types such as UTCDateTime)

# revision identifiers, used by Alembic.
revision = "e5ca9b1d0a16"
down_revision = "a4c2e9d17b03"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "repository_scans",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("repository", sa.String(length=500), nullable=False),
        sa.Column("commit", sa.String(length=64), nullable=False),
        sa.Column("not_visible", sa.JSON(), nullable=False),
        sa.Column("uploaded_by_id", sa.Integer(), nullable=True),
        sa.Column("uploaded_at", app.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["assessment_id"], ["assessments.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["uploaded_by_id"], ["users.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("repository_scans", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_repository_scans_assessment_id"), ["assessment_id"], unique=False)

    op.create_table(
        "scan_proposals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("scan_id", sa.Integer(), nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.String(length=64), nullable=False),
        sa.Column("value", sa.JSON(), nullable=False),
        sa.Column("why", sa.Text(), nullable=False),
        sa.Column("evidence", sa.JSON(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "pending", "confirmed", "rejected", "superseded", name="proposalstatus", native_enum=False, length=20
            ),
            nullable=False,
        ),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", app.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["assessment_id"], ["assessments.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["decided_by_id"], ["users.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["scan_id"], ["repository_scans.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("scan_proposals", schema=None) as batch_op:
        batch_op.create_index("ix_scan_proposals_assessment_status", ["assessment_id", "status"], unique=False)
        batch_op.create_index(batch_op.f("ix_scan_proposals_scan_id"), ["scan_id"], unique=False)


def downgrade():
    with op.batch_alter_table("scan_proposals", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_scan_proposals_scan_id"))
        batch_op.drop_index("ix_scan_proposals_assessment_status")

    op.drop_table("scan_proposals")
    with op.batch_alter_table("repository_scans", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_repository_scans_assessment_id"))

    op.drop_table("repository_scans")
