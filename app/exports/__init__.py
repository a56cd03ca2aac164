"""An assessment as files to share: Markdown, CSV (findings, plan), an XLSX workbook, a PDF report and the evidence
pack (a ZIP of the evidence files by clause, with an index)."""

from flask import Blueprint

bp = Blueprint("exports", __name__, url_prefix="/workspace/assessments/<int:assessment_id>/export")

from . import views  # noqa: E402,F401
