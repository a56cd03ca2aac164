"""Who is calling: the API trusts a personal API token (`Authorization: Bearer`) and nothing else."""

from __future__ import annotations

from flask import flash, g, redirect, request
from flask_login import login_url
from flask_smorest import Blueprint

from ..auth.loaders import load_user_from_bearer
from ..extensions import login_manager
from ..models import User
from .errors import error_response

PREFIX = "/api/v1"
CHALLENGE = {"WWW-Authenticate": 'Bearer realm="clausewise"'}


def resource_blueprint(name: str, import_name: str, description: str) -> Blueprint:
    """The blueprint of one API resource: made here so that none can leave out the token check."""
    blueprint = Blueprint(name, import_name, url_prefix=PREFIX, description=description)
    blueprint.before_request(require_bearer_token)
    return blueprint


def require_bearer_token():
    # Flask-Login's current_user would also accept the session cookie, which a page on another site can make the
    # browser send; taking the token only is what lets the API go without CSRF tokens.
    user = load_user_from_bearer(request)
    if user is None:
        return login_manager.unauthorized()
    g.api_user = user
    return None


def caller() -> User:
    return g.api_user


def unauthorized():
    """Flask-Login's answer to a missing login: a JSON 401 under /api/, the login page everywhere else."""
    if request.path.startswith("/api/"):
        message = "this needs a personal API token, sent as 'Authorization: Bearer <token>'"
        return error_response(401, message, headers=CHALLENGE)
    # What Flask-Login does by itself, which registering a handler replaces.
    if login_manager.login_message:
        flash(login_manager.login_message, login_manager.login_message_category)
    return redirect(login_url(login_manager.login_view, next_url=request.url))
