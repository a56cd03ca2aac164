"""invitations bound to the invited e-mail, revocable, and who accepted them

Revision ID: a4c2e9d17b03
Revises: a7c3e9d2b1f4
Create Date: 2026-12-07 01:55:00.000000

"""

import sqlalchemy as sa
from alembic import op

import app.models.base  # noqa: F401  (custom column types such as UTCDateTime)

# revision identifiers, used by Alembic.
revision = "a4c2e9d17b03"
down_revision = "a7c3e9d2b1f4"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("invitations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("used_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("revoked_at", app.models.base.UTCDateTime(timezone=True), nullable=True))
        # Links sent before this revision become bound to the address they were sent to, like every new one.
        batch_op.add_column(sa.Column("anyone_with_link", sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.create_foreign_key("fk_invitations_used_by_id", "users", ["used_by_id"], ["id"], ondelete="SET NULL")


def downgrade():
    with op.batch_alter_table("invitations", schema=None) as batch_op:
        batch_op.drop_constraint("fk_invitations_used_by_id", type_="foreignkey")
        batch_op.drop_column("anyone_with_link")
        batch_op.drop_column("revoked_at")
        batch_op.drop_column("used_by_id")
