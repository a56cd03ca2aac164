"""Respondents of an assessment: inviting them, and consolidating their answers where they disagree."""

from flask import Blueprint

bp = Blueprint("consolidation", __name__, url_prefix="/workspace/assessments")

from . import views  # noqa: E402,F401
