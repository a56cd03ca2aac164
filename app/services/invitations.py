"""Invitations: to an organisation, or to answer one assessment as a respondent. Only the token's hash is stored;
accepting one makes the invited person a member (and, for an assessment, takes up their respondent's place)."""

from __future__ import annotations

import secrets
from datetime import timedelta

import sqlalchemy as sa

from ..extensions import db
from ..models import Invitation, Membership, Respondent, Role, User
from ..models.base import utcnow
from . import tenancy
from .accounts import normalise_email, token_hash
from .errors import Conflict, Forbidden, Invalid, NotFound, ServiceError

INVITATION_LIFETIME = timedelta(days=7)


def invite(user: User, organisation_id: int, email: str, role: Role | str) -> tuple[Invitation, str]:
    """An invitation and its one-time token (shown once; only its hash is stored)."""
    if role == Role.RESPONDENT:  # that role comes only with a respondent's place (respondents.invite)
        choices = ", ".join(r.value for r in Role.of_organisations())
        raise Invalid("invalid role", {"role": [f"expected one of {choices}"]})
    invitation, token = new_invitation(user, organisation_id, email, role)
    db.session.commit()
    return invitation, token


def new_invitation(user: User, organisation_id: int, email: str, role: Role | str) -> tuple[Invitation, str]:
    """invite() without the commit, for a caller that adds to the invitation (a respondent's); flushed."""
    tenancy.organisation_for(user, organisation_id, manage=True)
    try:
        role = Role(role)
    except ValueError:
        raise Invalid("invalid role", {"role": [f"expected one of {', '.join(r.value for r in Role)}"]}) from None
    if role is Role.OWNER and tenancy.membership(user, organisation_id).role is not Role.OWNER:
        raise Forbidden("only an owner can invite another owner")
    token = secrets.token_urlsafe(32)
    invitation = Invitation(
        organisation_id=organisation_id,
        email=normalise_email(email),
        role=role,
        token_hash=token_hash(token),
        created_by_id=user.id,
        expires_at=utcnow() + INVITATION_LIFETIME,
    )
    db.session.add(invitation)
    db.session.flush()
    return invitation, token


def pending_invitation(token: str) -> Invitation:
    invitation = db.session.scalar(sa.select(Invitation).where(Invitation.token_hash == token_hash(token or "")))
    if invitation is None or invitation.used_at is not None or invitation.expires_at < utcnow():
        raise NotFound("this invitation link is invalid, used or expired; ask for a new one")
    return invitation


def accept_invitation(token: str, user: User) -> Membership:
    invitation = pending_invitation(token)
    # Mark used in the same statement that checks it, so two clicks cannot both succeed.
    used = db.session.execute(
        sa.update(Invitation)
        .where(Invitation.id == invitation.id, Invitation.used_at.is_(None))
        .values(used_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if used.rowcount != 1:
        db.session.rollback()
        raise NotFound("this invitation link is invalid, used or expired; ask for a new one")
    existing = db.session.scalar(
        sa.select(Membership).where(
            Membership.user_id == user.id, Membership.organisation_id == invitation.organisation_id
        )
    )
    if existing is None:
        existing = Membership(user_id=user.id, organisation_id=invitation.organisation_id, role=invitation.role)
        db.session.add(existing)
    elif existing.role is Role.RESPONDENT and invitation.role is not Role.RESPONDENT:
        existing.role = invitation.role  # now invited to the organisation itself, beyond their assessments
    if invitation.assessment_id is not None:
        try:
            _take_up_respondent_place(invitation, user)
        except ServiceError:
            db.session.rollback()  # the link stays unused
            raise
    db.session.commit()
    return existing


def _take_up_respondent_place(invitation: Invitation, user: User) -> Respondent:
    """The invited person takes up their place (called when an assessment invitation is accepted; no commit)."""
    respondent = db.session.scalar(sa.select(Respondent).where(Respondent.invitation_id == invitation.id))
    if respondent is None:
        raise NotFound("the assessment of this invitation no longer exists")
    taken = sa.select(Respondent.id).where(
        Respondent.assessment_id == respondent.assessment_id, Respondent.user_id == user.id
    )
    if db.session.scalar(taken) is not None:
        raise Conflict("you already answer this assessment; ask for your earlier link to be used instead")
    respondent.user_id = user.id
    return respondent
