"""Pages for the evidence on one answer or one plan action: list, download, attach, delete, and keep or remove what a
repeat carried over. The chat, the section forms and the plan link here and post their attach forms here."""

from flask import Blueprint

bp = Blueprint("evidence", __name__, url_prefix="/workspace/assessments/<int:assessment_id>")

from . import views  # noqa: E402,F401
