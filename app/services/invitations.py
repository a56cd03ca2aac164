"""Invitations: to an organisation, or to answer one assessment as a respondent. Only the token's hash is stored;
accepting one makes the invited person a member (and, for an assessment, takes up their respondent's place).

An invitation is bound to the invited e-mail unless the inviter chose "anyone with the link": a link forwarded,
leaked or opened in someone else's logged-in browser is then worthless. Owners and consultants can revoke a link
that has not been used, and every link expires after INVITATION_DAYS (app.config)."""

from __future__ import annotations

import secrets
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app

from ..extensions import db
from ..models import Invitation, InvitationState, Membership, Respondent, Role, User
from ..models.base import utcnow
from . import tenancy
from .accounts import normalise_email, token_hash
from .errors import Conflict, Forbidden, Invalid, NotFound, ServiceError

UNKNOWN = "This invitation link is invalid, used or expired; ask for a new one."
REFUSED = {
    InvitationState.ACCEPTED: "This invitation link has been used already; ask for a new one.",
    InvitationState.EXPIRED: "This invitation link has expired; ask for a new one.",
    InvitationState.REVOKED: "This invitation was revoked; ask whoever invited you if you still need one.",
}


def lifetime() -> timedelta:
    return timedelta(days=current_app.config["INVITATION_DAYS"])


def invite(
    user: User, organisation_id: int, email: str, role: Role | str, *, anyone_with_link: bool = False
) -> tuple[Invitation, str]:
    """An invitation and its one-time token (shown once; only its hash is stored)."""
    if role == Role.RESPONDENT:  # that role comes only with a respondent's place (respondents.invite)
        choices = ", ".join(r.value for r in Role.of_organisations())
        raise Invalid("invalid role", {"role": [f"expected one of {choices}"]})
    invitation, token = new_invitation(user, organisation_id, email, role, anyone_with_link=anyone_with_link)
    db.session.commit()
    return invitation, token


def new_invitation(
    user: User, organisation_id: int, email: str, role: Role | str, *, anyone_with_link: bool = False
) -> tuple[Invitation, str]:
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
        expires_at=utcnow() + lifetime(),
        anyone_with_link=anyone_with_link,
    )
    db.session.add(invitation)
    db.session.flush()
    return invitation, token


def pending_invitation(token: str) -> Invitation:
    """The invitation of a link that can still be accepted; NotFound saying why not (used, expired, revoked)."""
    invitation = db.session.scalar(sa.select(Invitation).where(Invitation.token_hash == token_hash(token or "")))
    if invitation is None:
        raise NotFound(UNKNOWN)
    if invitation.state is not InvitationState.PENDING:
        raise NotFound(REFUSED[invitation.state])
    return invitation


def check_addressee(invitation: Invitation, user: User) -> None:
    """Forbidden unless `user` may accept `invitation`: anyone for an "anyone with the link" one, otherwise only
    the account whose e-mail is the invited one."""
    if invitation.anyone_with_link or normalise_email(user.email) == invitation.email:
        return
    raise Forbidden(
        f"This invitation is for {invitation.email}, and you are logged in as {user.email}. Log out and open the "
        "link again to accept it with that address, or ask for an invitation to your own."
    )


def accept_invitation(token: str, user: User) -> Membership:
    invitation = pending_invitation(token)
    check_addressee(invitation, user)  # before the link is marked used: a refusal leaves it usable
    # Mark used in the same statement that checks it, so two clicks (or a click and a revocation) cannot both win.
    now = utcnow()
    used = db.session.execute(
        sa.update(Invitation)
        .where(
            Invitation.id == invitation.id,
            Invitation.used_at.is_(None),
            Invitation.revoked_at.is_(None),
            Invitation.expires_at > now,
        )
        .values(used_at=now, used_by_id=user.id)
        .execution_options(synchronize_session=False)
    )
    if used.rowcount != 1:
        db.session.rollback()
        raise NotFound(UNKNOWN)
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


def organisation_invitations(user: User, organisation_id: int) -> list[Invitation]:
    """The invitations to join the organisation (not respondents'), newest first: for owners and consultants."""
    tenancy.organisation_for(user, organisation_id, manage=True)
    return list(
        db.session.scalars(
            sa.select(Invitation)
            .where(Invitation.organisation_id == organisation_id, Invitation.assessment_id.is_(None))
            .order_by(Invitation.created_at.desc(), Invitation.id.desc())
        )
    )


def organisation_invitation(user: User, organisation_id: int, invitation_id: int) -> Invitation:
    """One invitation of the organisation (a respondent's too), for its owners and consultants."""
    tenancy.organisation_for(user, organisation_id, manage=True)
    invitation = db.session.scalar(
        sa.select(Invitation).where(Invitation.id == invitation_id, Invitation.organisation_id == organisation_id)
    )
    if invitation is None:
        raise NotFound("no such invitation")
    return invitation


def revoke(user: User, organisation_id: int, invitation_id: int) -> Invitation:
    """Make a link that has not been used worthless (owners and consultants). Revoking twice is harmless; a used
    one is refused, since its holder is a member now (remove the membership instead)."""
    return _revoke(organisation_invitation(user, organisation_id, invitation_id))


def revoke_respondent_invitation(user: User, assessment_id: int, respondent_id: int) -> Invitation:
    """Revoke the link of a respondent who has not used it yet; their place stays listed, as revoked."""
    assessment = tenancy.assessment_for(user, assessment_id, manage=True)
    invitation = db.session.scalar(
        sa.select(Invitation)
        .join(Respondent, Respondent.invitation_id == Invitation.id)
        .where(Respondent.id == respondent_id, Respondent.assessment_id == assessment.id)
    )
    if invitation is None:
        raise NotFound("no such respondent invitation")
    return _revoke(invitation)


def _revoke(invitation: Invitation) -> Invitation:
    if invitation.revoked_at is None:
        # Only an unused link: the same statement that checks it, so an acceptance at this moment wins or loses.
        revoked = db.session.execute(
            sa.update(Invitation)
            .where(Invitation.id == invitation.id, Invitation.used_at.is_(None), Invitation.revoked_at.is_(None))
            .values(revoked_at=utcnow())
            .execution_options(synchronize_session=False)
        )
        db.session.commit()
        db.session.refresh(invitation)
        if revoked.rowcount != 1 and invitation.revoked_at is None:
            raise Conflict("this invitation has been accepted already; remove the member instead")
    return invitation
