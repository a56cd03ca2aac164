"""An assessment as files to share: Markdown, CSV (findings, plan), an XLSX workbook and a PDF report."""

from flask import Blueprint

bp = Blueprint("exports", __name__, url_prefix="/workspace/assessments/<int:assessment_id>/export")

from . import views  # noqa: E402,F401
