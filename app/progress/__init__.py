"""Progress over time: an organisation's assessments on a timeline with readiness trends and comparisons, and the
consultant's portfolio of every organisation they work with."""

from flask import Blueprint

bp = Blueprint("progress", __name__, url_prefix="/workspace")

from . import views  # noqa: E402,F401
