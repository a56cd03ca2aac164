"""Pages for a repository scan's proposals: upload the scan's JSON on the assessment page, and confirm or reject
each proposal, offered one by one before the question it answers in the interview. A blueprint of its own, with
template globals the chat and assessment pages include, so the interview's own modules stay as they are."""

from flask import Blueprint

bp = Blueprint("scan_proposals", __name__, url_prefix="/workspace/assessments/<int:assessment_id>/proposals")

from . import views  # noqa: E402,F401
