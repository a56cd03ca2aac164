"""an assessment records the edition of the standard it is read in; an organisation may set its default

Revision ID: c3e9a7d51f20
Revises: b5d1f3a8c2e7
Create Date: 2026-12-07 08:30:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "c3e9a7d51f20"
down_revision = "b5d1f3a8c2e7"
branch_labels = None
depends_on = None


def upgrade():
    # Every assessment made before editions was read in the one catalogue there was.
    with op.batch_alter_table("assessments", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("edition", sa.String(length=32), nullable=False, server_default="iso9001-2015")
        )
    with op.batch_alter_table("organisations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("default_edition", sa.String(length=32), nullable=True))


def downgrade():
    with op.batch_alter_table("organisations", schema=None) as batch_op:
        batch_op.drop_column("default_edition")
    with op.batch_alter_table("assessments", schema=None) as batch_op:
        batch_op.drop_column("edition")
