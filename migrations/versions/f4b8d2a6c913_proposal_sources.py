"""proposals from another certified system, beside those of a repository scan

Revision ID: f4b8d2a6c913
Revises: c3e9a7d51f20
Create Date: 2026-12-07 09:40:00

Issue 15, item 6: an organisation with an ISO/IEC 27001 certificate is offered the answers its information security
management system already gives, as proposals confirmed one by one like a scan's. Such a proposal has no scan, so
`scan_id` may be empty and `source` says where a proposal came from ("scan" for every existing row). Only the
scan_proposals table changes; SQLite rebuilds it in batch mode, and no other table refers to it, so the rebuild
deletes nothing through a cascade.
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "f4b8d2a6c913"
down_revision = "c3e9a7d51f20"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("scan_proposals", schema=None) as batch_op:
        batch_op.add_column(sa.Column("source", sa.String(length=20), nullable=False, server_default="scan"))
        batch_op.alter_column("scan_id", existing_type=sa.Integer(), nullable=True)


def downgrade():
    # Proposals without a scan cannot live in the older table.
    op.execute("DELETE FROM scan_proposals WHERE scan_id IS NULL")
    with op.batch_alter_table("scan_proposals", schema=None) as batch_op:
        batch_op.alter_column("scan_id", existing_type=sa.Integer(), nullable=False)
        batch_op.drop_column("source")
