"""How Flask-Login finds the current user: from the server-side session, or from an API bearer token."""

from __future__ import annotations

from ..extensions import db, login_manager
from ..models import User
from ..services.accounts import user_for_api_token


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    try:
        user = db.session.get(User, int(user_id))
    except (TypeError, ValueError):
        return None
    return user if user is not None and user.active else None


@login_manager.request_loader
def load_user_from_bearer(request) -> User | None:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return user_for_api_token(token.strip())
