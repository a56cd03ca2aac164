"""respondents get a role of their own

Revision ID: a7c3e9d2b1f4
Revises: 6dc11c35ccef
Create Date: 2026-12-07 01:50:00.000000

Data only: the role column is a non-native enum (VARCHAR(20), no CHECK constraint), so "respondent" fits as it is.
Until now accepting a respondent link made a contributor of the whole organisation. A contributor who answers an
assessment of the organisation and never used an invitation to the organisation itself (assessment_id NULL) is
there only because of a respondent link: they become a respondent. Anyone who joined the organisation some other
way keeps their role.
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "a7c3e9d2b1f4"
down_revision = "6dc11c35ccef"
branch_labels = None
depends_on = None

ONLY_THROUGH_A_RESPONDENT_LINK = """
    UPDATE memberships SET role = 'respondent'
    WHERE role = 'contributor'
      AND EXISTS (
        SELECT 1 FROM respondents JOIN assessments ON assessments.id = respondents.assessment_id
        WHERE respondents.user_id = memberships.user_id
          AND assessments.organisation_id = memberships.organisation_id
      )
      AND NOT EXISTS (
        SELECT 1 FROM invitations JOIN users ON lower(users.email) = lower(invitations.email)
        WHERE users.id = memberships.user_id
          AND invitations.organisation_id = memberships.organisation_id
          AND invitations.assessment_id IS NULL
          AND invitations.used_at IS NOT NULL
      )
"""


def upgrade():
    op.execute(sa.text(ONLY_THROUGH_A_RESPONDENT_LINK))


def downgrade():
    # Before this revision a respondent link gave the contributor role.
    op.execute(sa.text("UPDATE memberships SET role = 'contributor' WHERE role = 'respondent'"))
