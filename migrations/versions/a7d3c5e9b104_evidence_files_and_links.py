"""evidence files, links and repository references on answers and plan actions

Revision ID: a7d3c5e9b104
Revises: f4b8d2a6c913
Create Date: 2026-12-07 11:00:00

Issue 16: an answer or a plan action can carry records (a file kept under its SHA-256, a link, or a file of the
team's repository at a commit). Rows are never deleted by the application: a deletion records who and when. Only a
new table: nothing else is rebuilt.
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "a7d3c5e9b104"
down_revision = "f4b8d2a6c913"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "evidence",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.String(length=64), nullable=True),
        sa.Column("action_id", sa.String(length=100), nullable=True),
        sa.Column(
            "kind",
            sa.Enum("file", "link", "reference", name="evidencekind", native_enum=False, length=20),
            nullable=False,
        ),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=True),
        sa.Column("content_type", sa.String(length=120), nullable=True),
        sa.Column("size", sa.Integer(), nullable=True),
        sa.Column("sha256", sa.String(length=64), nullable=True),
        sa.Column("url", sa.String(length=2000), nullable=True),
        sa.Column("to_confirm", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("carried_from_id", sa.Integer(), nullable=True),
        sa.Column("added_by_id", sa.Integer(), nullable=True),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("deleted_by_id", sa.Integer(), nullable=True),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("(question_id IS NULL) <> (action_id IS NULL)", name="ck_evidence_answer_or_action"),
        sa.ForeignKeyConstraint(["assessment_id"], ["assessments.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["carried_from_id"], ["evidence.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["added_by_id"], ["users.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["deleted_by_id"], ["users.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_evidence_assessment_question", "evidence", ["assessment_id", "question_id"])


def downgrade():
    op.drop_index("ix_evidence_assessment_question", table_name="evidence")
    op.drop_table("evidence")
