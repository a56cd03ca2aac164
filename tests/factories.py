"""Test data made through the service layer, the way the app makes it."""

from __future__ import annotations

import itertools

from app.models import Role
from app.services import accounts, assessments

_numbers = itertools.count(1)
PASSWORD = "correct horse battery"


def user(email: str | None = None, **kwargs):
    return accounts.create_user(email or f"user{next(_numbers)}@example.com", PASSWORD, **kwargs)


def organisation(owner=None, name: str = "Acme"):
    owner = owner or user()
    return accounts.create_organisation(owner, name, Role.OWNER), owner


def member(organisation_id: int, role: Role, by):
    """A new user who joined `organisation_id` with `role` through an invitation from `by`."""
    invitation, token = accounts.invite(by, organisation_id, f"member{next(_numbers)}@example.com", role)
    joined = accounts.create_user(invitation.email, PASSWORD)
    accounts.accept_invitation(token, joined)
    return joined


def assessment(owner, organisation_id: int, questionnaire: str = "quick-scan", title: str = ""):
    return assessments.start_assessment(owner, organisation_id, questionnaire, title)
