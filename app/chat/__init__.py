"""The guided interview as a chat (htmx fragments, plain form posts without JavaScript) and the section forms."""

from flask import Blueprint

bp = Blueprint("chat", __name__, url_prefix="/workspace/assessments/<int:assessment_id>")

from . import views  # noqa: E402,F401
