"""An assessment's results (verdict, readiness, findings, documented information) and its plan, with htmx
fragments for drilling down, filtering and editing plan actions in place; every page works without JavaScript."""

from flask import Blueprint

bp = Blueprint("results", __name__, url_prefix="/workspace/assessments/<int:assessment_id>")

from . import views  # noqa: E402,F401
