"""Organisations, members, invitations and assessments: the consultant's and the team's workspace."""

from flask import Blueprint

bp = Blueprint("workspace", __name__, url_prefix="/workspace")

from . import views  # noqa: E402,F401
