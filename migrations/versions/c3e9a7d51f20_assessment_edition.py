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


# Plain ALTER TABLE, not batch mode: SQLite adds and drops these columns in place (3.35+), whereas a batch copy
# drops the old table, and with foreign keys on that deletes every membership and answer on cascade.


def upgrade():
    # Every assessment made before editions was read in the one catalogue there was.
    op.add_column(
        "assessments", sa.Column("edition", sa.String(length=32), nullable=False, server_default="iso9001-2015")
    )
    op.add_column("organisations", sa.Column("default_edition", sa.String(length=32), nullable=True))


def downgrade():
    op.drop_column("organisations", "default_edition")
    op.drop_column("assessments", "edition")
