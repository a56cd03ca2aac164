"""Logging in and out, invitations, and who the current user is (session cookie or API bearer token)."""

from flask import Blueprint

bp = Blueprint("auth", __name__)

from . import views  # noqa: E402,F401
