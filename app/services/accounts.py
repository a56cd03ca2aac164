"""Users, organisations, memberships, invitations, API tokens and login throttling."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..models import ApiToken, LoginFailure, Membership, Organisation, Role, User
from ..models.accounts import spend_password_check
from ..models.base import utcnow
from . import tenancy
from .errors import Conflict, Forbidden, Invalid, NotFound

LOGIN_WINDOW = timedelta(minutes=15)
MAX_FAILURES_PER_EMAIL = 5
MAX_FAILURES_PER_ADDRESS = 20
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
    """The user, or None for a wrong email or password; TooManyAttempts while either is being guessed.

    Each attempt is written down before the password is checked, and counted with itself included: of any number
    of guesses arriving at once, each sees at least the attempts committed before its own, so no more than the limit
    reach the password check (counting first and writing afterwards let all of them through together). An unknown
    or disabled account costs one password check too, so the answer's timing does not tell which e-mails exist."""
    email = (email or "").strip().lower()
    since = utcnow() - LOGIN_WINDOW
    keys = {f"email:{email}"[:300]: MAX_FAILURES_PER_EMAIL, f"addr:{address}"[:300]: MAX_FAILURES_PER_ADDRESS}
    attempts = [LoginFailure(key=key) for key in keys]
    db.session.add_all(attempts)
    db.session.commit()
    for key, limit in keys.items():
        if count_attempts(key, since) > limit:
            # A refused attempt is not a guess: it must not stretch the wait of whoever waits it out.
            _forget(attempts)
            raise TooManyAttempts("too many failed logins; wait a few minutes and try again")
    user = db.session.scalar(sa.select(User).where(User.email == email))
    if user is None or not user.active:
        spend_password_check(password or "")
    elif user.check_password(password or ""):
        _forget(attempts)
        db.session.execute(sa.delete(LoginFailure).where(LoginFailure.key == f"email:{email}"[:300]))
        db.session.commit()
        return user
    db.session.execute(sa.delete(LoginFailure).where(LoginFailure.at < since))
    db.session.commit()
    return None


def count_attempts(key: str, since: datetime | None = None) -> int:
    """Attempts under `key` ("email:..." or "addr:...") since `since` (the login window by default)."""
    since = since or utcnow() - LOGIN_WINDOW
    return db.session.scalar(
        sa.select(sa.func.count()).select_from(LoginFailure).where(LoginFailure.key == key, LoginFailure.at >= since)
    )


def _forget(attempts: list[LoginFailure]) -> None:
    db.session.execute(sa.delete(LoginFailure).where(LoginFailure.id.in_([a.id for a in attempts])))
    db.session.commit()


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
