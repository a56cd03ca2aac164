"""Test data made through the service layer, the way the app makes it."""

from __future__ import annotations

import itertools

from app.models import Role
from app.services import accounts, assessments, invitations, respondents

_numbers = itertools.count(1)
PASSWORD = "correct horse battery"


def user(email: str | None = None, **kwargs):
    return accounts.create_user(email or f"user{next(_numbers)}@example.com", PASSWORD, **kwargs)


def organisation(owner=None, name: str = "Acme"):
    owner = owner or user()
    return accounts.create_organisation(owner, name, Role.OWNER), owner


def member(organisation_id: int, role: Role, by):
    """A new user who joined `organisation_id` with `role` through an invitation from `by`."""
    invitation, token = invitations.invite(by, organisation_id, f"member{next(_numbers)}@example.com", role)
    joined = accounts.create_user(invitation.email, PASSWORD)
    invitations.accept_invitation(token, joined)
    return joined


def assessment(owner, organisation_id: int, questionnaire: str = "quick-scan", title: str = ""):
    return assessments.start_assessment(owner, organisation_id, questionnaire, title)


def respondent(by, assessment_id: int, name: str = "", sections=(), email: str | None = None):
    """A new user who answers `assessment_id` as a respondent, invited by `by` (an owner or consultant)."""
    email = email or f"respondent{next(_numbers)}@example.com"
    invited, token = respondents.invite(by, assessment_id, email, name, sections)
    joined = accounts.create_user(email, PASSWORD, name=name)
    invitations.accept_invitation(token, joined)
    return joined, invited
