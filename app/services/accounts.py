"""Users, organisations, memberships, invitations, API tokens and login throttling."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..models import ApiToken, Invitation, LoginFailure, Membership, Organisation, Role, User
from ..models.base import utcnow
from . import respondents, tenancy
from .errors import Conflict, Forbidden, Invalid, NotFound, ServiceError

LOGIN_WINDOW = timedelta(minutes=15)
MAX_FAILURES_PER_EMAIL = 5
MAX_FAILURES_PER_ADDRESS = 20
INVITATION_LIFETIME = timedelta(days=7)
MIN_PASSWORD = 10


def token_hash(token: str) -> str:
    """Tokens are random, so a plain SHA-256 is enough to keep a stolen database from revealing them."""
    return hashlib.sha256(token.encode()).hexdigest()


def normalise_email(email: str) -> str:
    email = (email or "").strip().lower()
    if "@" not in email or len(email) > 254 or email.startswith("@") or email.endswith("@"):
        raise Invalid("invalid email", {"email": ["expected an email address"]})
    return email


def create_user(email: str, password: str, *, name: str = "", is_admin: bool = False) -> User:
    email = normalise_email(email)
    if len(password or "") < MIN_PASSWORD:
        raise Invalid("password too short", {"password": [f"use at least {MIN_PASSWORD} characters"]})
    user = User(email=email, name=name.strip()[:200], is_admin=is_admin)
    user.set_password(password)
    db.session.add(user)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise Conflict("a user with this email exists already", {"email": ["already registered"]}) from None
    return user


class TooManyAttempts(Forbidden):
    status = 429


def authenticate(email: str, password: str, address: str) -> User | None:
    """The user, or None for a wrong email or password; TooManyAttempts while either is being guessed."""
    email = (email or "").strip().lower()
    since = utcnow() - LOGIN_WINDOW
    keys = {f"email:{email}": MAX_FAILURES_PER_EMAIL, f"addr:{address}": MAX_FAILURES_PER_ADDRESS}
    for key, limit in keys.items():
        count = db.session.scalar(
            sa.select(sa.func.count())
            .select_from(LoginFailure)
            .where(LoginFailure.key == key, LoginFailure.at >= since)
        )
        if count >= limit:
            raise TooManyAttempts("too many failed logins; wait a few minutes and try again")
    user = db.session.scalar(sa.select(User).where(User.email == email))
    if user is not None and user.active and user.check_password(password or ""):
        db.session.execute(sa.delete(LoginFailure).where(LoginFailure.key == f"email:{email}"))
        db.session.commit()
        return user
    for key in keys:
        db.session.add(LoginFailure(key=key[:300]))
    db.session.execute(sa.delete(LoginFailure).where(LoginFailure.at < since))
    db.session.commit()
    return None


def create_organisation(user: User, name: str, role: Role = Role.OWNER) -> Organisation:
    name = (name or "").strip()
    if not name:
        raise Invalid("name missing", {"name": ["give the organisation a name"]})
    organisation = Organisation(name=name[:200])
    organisation.memberships.append(Membership(user=user, role=role))
    db.session.add(organisation)
    db.session.commit()
    return organisation


def members_of(user: User, organisation_id: int) -> list[Membership]:
    tenancy.organisation_for(user, organisation_id)
    return list(
        db.session.scalars(
            sa.select(Membership).where(Membership.organisation_id == organisation_id).order_by(Membership.id)
        )
    )


# ---------------------------------------------------------------------------------------------- invitations


def invite(user: User, organisation_id: int, email: str, role: Role | str) -> tuple[Invitation, str]:
    """An invitation and its one-time token (shown once; only its hash is stored)."""
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
    if invitation.assessment_id is not None:
        try:
            respondents.join(invitation, user)
        except ServiceError:
            db.session.rollback()  # the link stays unused
            raise
    db.session.commit()
    return existing


# ---------------------------------------------------------------------------------------------- API tokens


def create_api_token(user: User, name: str) -> tuple[ApiToken, str]:
    token = "cw_" + secrets.token_urlsafe(32)
    row = ApiToken(user_id=user.id, name=(name or "token").strip()[:100], token_hash=token_hash(token))
    db.session.add(row)
    db.session.commit()
    return row, token


def revoke_api_token(user: User, token_id: int) -> None:
    row = db.session.scalar(sa.select(ApiToken).where(ApiToken.id == token_id, ApiToken.user_id == user.id))
    if row is None:
        raise NotFound("no such token")
    row.revoked_at = row.revoked_at or utcnow()
    db.session.commit()


def user_for_api_token(token: str) -> User | None:
    row = db.session.scalar(
        sa.select(ApiToken).where(ApiToken.token_hash == token_hash(token), ApiToken.revoked_at.is_(None))
    )
    if row is None or not row.user.active:
        return None
    now = utcnow()
    if row.last_used_at is None or now - row.last_used_at > timedelta(minutes=5):  # not a write per request
        row.last_used_at = now
        db.session.commit()
    return row.user


def tokens_of(user: User) -> list[ApiToken]:
    return list(db.session.scalars(sa.select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id)))
