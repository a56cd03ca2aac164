from __future__ import annotations

from flask import current_app, render_template
from markupsafe import Markup

from .. import labels
from ..extensions import knowledge_base
from ..formats import tables
from ..formats.charts import SVG_STYLE, Bar, readiness_bars
from ..formats.markdown import to_markdown
from ..formats.pdf import html_to_pdf
from ..services.exports import ExportData, export_data
from ..web import me, members_only
from . import bp
from .downloads import attachment, filename

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


members_only(bp)  # tenancy is checked by the service


@bp.get("/report.md")
def markdown(assessment_id: int):
    data = export_data(me(), assessment_id, with_answers=False)
    text = to_markdown(data.report, data.organisation, data.plan)
    return attachment(text.encode(), "text/markdown; charset=utf-8", filename(data, "report", "md"))


@bp.get("/findings.csv")
def findings_csv(assessment_id: int):
    data = export_data(me(), assessment_id, with_answers=False)
    body = tables.to_csv(tables.FINDING_COLUMNS, tables.finding_rows(data.report))
    return attachment(body, "text/csv; charset=utf-8", filename(data, "findings", "csv"))


@bp.get("/plan.csv")
def plan_csv(assessment_id: int):
    data = export_data(me(), assessment_id, with_answers=False)
    body = tables.to_csv(tables.PLAN_COLUMNS, tables.plan_rows(data.plan))
    return attachment(body, "text/csv; charset=utf-8", filename(data, "plan", "csv"))


@bp.get("/workbook.xlsx")
def workbook(assessment_id: int):
    data = export_data(me(), assessment_id)
    sheets = [
        ("Findings", tables.FINDING_COLUMNS, tables.finding_rows(data.report)),
        ("Plan", tables.PLAN_COLUMNS, tables.plan_rows(data.plan)),
        ("Answers", tables.ANSWER_COLUMNS, tables.answer_rows(data.answers)),
    ]
    if data.respondent_answers:  # every respondent's own answers, beside the consolidated ones
        rows = tables.respondent_answer_rows(data.respondent_answers)
        sheets.append(("Respondents", tables.RESPONDENT_ANSWER_COLUMNS, rows))
    body = tables.to_xlsx(sheets)
    return attachment(body, XLSX, filename(data, "workbook", "xlsx"))


@bp.get("/report.pdf")
def pdf(assessment_id: int):
    data = export_data(me(), assessment_id, with_answers=False)
    html = render_template("exports/report.html", **report_context(data))
    return attachment(html_to_pdf(html, current_app.static_folder), "application/pdf", filename(data, "report", "pdf"))


def report_context(data: ExportData) -> dict:
    catalogue = knowledge_base().catalogue_for(data.assessment.questionnaire_id)
    groups = data.report.readiness.groups
    bars = [Bar(g.id, f"{g.id} {g.title}", groups.get(g.id)) for g in catalogue.groups]
    return {
        "data": data,
        "assessment": data.assessment,
        "report": data.report,
        "plan": data.plan,
        "chart": Markup(
            with_style(readiness_bars(bars, title="Readiness per clause group", element_id="report-readiness"))
        ),
        "clause_titles": {c.id: c.title for c in catalogue.clauses},
        "severities": labels.SEVERITY_LABELS,
        "statuses": labels.STATUS_LABELS,
        "blocks": labels.BLOCKS_LABELS,
    }


def with_style(svg: str) -> str:
    """WeasyPrint styles an inline SVG from the SVG's own <style> only (the page's rules do not reach into it)."""
    opening = svg.index(">") + 1  # the end of <svg ...>: its attribute values are escaped, so hold no ">"
    return f"{svg[:opening]}<style>{SVG_STYLE}</style>{svg[opening:]}"
