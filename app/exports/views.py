from __future__ import annotations

import tempfile

from flask import abort, current_app, render_template
from markupsafe import Markup

from .. import labels
from ..extensions import evidence_storage
from ..formats import evidence_pack as pack
from ..formats import tables, trackers
from ..formats.charts import SVG_STYLE, Bar, readiness_bars
from ..formats.markdown import to_markdown
from ..formats.pdf import html_to_pdf
from ..services import editions
from ..services.exports import ExportData, evidence_pack, export_data
from ..web import me, members_only
from . import bp
from .downloads import attachment, filename

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# The evidence pack is built in a temporary file that stays in memory up to this size and moves to disk beyond it:
# a pack holds every file of the assessment (up to the upload limit each), too much to keep in memory for many.
PACK_IN_MEMORY = 16 * 1024 * 1024


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


# One fixed address (and endpoint) per file: every URL parameter of a route names tenant data (test_tenancy).
@bp.get("/plan-jira.csv")
def plan_jira(assessment_id: int):
    return plan_file(export_data(me(), assessment_id, with_answers=False), "jira")


@bp.get("/plan-gitlab.csv")
def plan_gitlab(assessment_id: int):
    return plan_file(export_data(me(), assessment_id, with_answers=False), "gitlab")


@bp.get("/plan-github.json")
def plan_github(assessment_id: int):
    return plan_file(export_data(me(), assessment_id, with_answers=False), "github")


@bp.get("/plan-calendar.ics")
def plan_calendar(assessment_id: int):
    return plan_file(export_data(me(), assessment_id, with_answers=False), "calendar")


@bp.get("/workbook.xlsx")
def workbook(assessment_id: int):
    data = export_data(me(), assessment_id, with_evidence=True)
    sheets = [
        ("Findings", tables.FINDING_COLUMNS, tables.finding_rows(data.report)),
        ("Plan", tables.PLAN_COLUMNS, tables.plan_rows(data.plan)),
        ("Answers", tables.ANSWER_COLUMNS, tables.answer_rows(data.answers)),
    ]
    if data.respondent_answers:  # every respondent's own answers, beside the consolidated ones
        rows = tables.respondent_answer_rows(data.respondent_answers)
        sheets.append(("Respondents", tables.RESPONDENT_ANSWER_COLUMNS, rows))
    if data.report.evidenced is not None:  # claimed versus evidenced; a report frozen before has neither
        groups = [(g.id, g.title) for g in editions.catalogue_of(data.assessment).groups]
        sheets.append(("Readiness", tables.READINESS_COLUMNS, tables.readiness_rows(data.report, groups)))
        sheets.append(("Claims", tables.CLAIM_COLUMNS, tables.claim_rows(data.report)))
    # Always there, empty but for its header when there is no evidence: a reader (or a script) finds it in one place.
    sheets.append(("Evidence", tables.EVIDENCE_COLUMNS, tables.evidence_rows(data.evidence)))
    body = tables.to_xlsx(sheets)
    return attachment(body, XLSX, filename(data, "workbook", "xlsx"))


@bp.get("/report.pdf")
def pdf(assessment_id: int):
    data = export_data(me(), assessment_id, with_answers=False, with_evidence=True)
    html = render_template("exports/report.html", **report_context(data))
    return attachment(html_to_pdf(html, current_app.static_folder), "application/pdf", filename(data, "report", "pdf"))


def report_context(data: ExportData) -> dict:
    catalogue = editions.catalogue_of(data.assessment)
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
        "evidence_by_clause": evidence_by_clause(data),
        "plan_evidence": [e for e in data.evidence if e.action_id is not None],
        "severities": labels.SEVERITY_LABELS,
        "statuses": labels.STATUS_LABELS,
        "blocks": labels.BLOCKS_LABELS,
    }


def evidence_by_clause(data: ExportData) -> list[tuple[str, list]]:
    """(clause, its questions' evidence) in clause order; the evidence of a question no clause takes comes last."""
    return [
        (clause or "Not under a clause", [e.row for e in group])
        for clause, group in _grouped(e for e in pack.entries(data.evidence) if e.row.question_id is not None)
    ]


def _grouped(items):
    groups: list[tuple[str, list]] = []
    for item in items:
        if not groups or groups[-1][0] != item.clause:
            groups.append((item.clause, []))
        groups[-1][1].append(item)
    return groups


@bp.get("/evidence-pack.zip")
def evidence_pack_zip(assessment_id: int):
    """Every live evidence file under the clause it serves, with an index in CSV and in HTML (README, "Evidence")."""
    return evidence_pack_file(evidence_pack(me(), assessment_id))


def evidence_pack_file(data: ExportData):
    """`data`: services.exports.evidence_pack's. The web and the API serve the same file."""
    entries = pack.entries(data.evidence)
    rows = pack.index_rows(entries, tables.utc_cell)
    index = {
        "index.csv": tables.to_csv(pack.INDEX_COLUMNS, rows),
        "index.html": render_template(
            "exports/evidence_index.html", data=data, columns=pack.INDEX_COLUMNS, entries=entries
        ).encode(),
    }
    spool = tempfile.SpooledTemporaryFile(max_size=PACK_IN_MEMORY)  # noqa: SIM115 - closed by the response
    try:
        pack.write_zip(spool, entries, index, evidence_storage().get)
        size = spool.tell()
        spool.seek(0)
    except BaseException:
        spool.close()
        raise
    # Streamed from the file in blocks, never read back into memory whole. Closed when the last block is sent, or
    # by the server closing the response if the client goes away first (WSGI's close()).
    name = filename(data, "evidence-pack", "zip")
    response = attachment(_blocks(spool), "application/zip", name)
    response.call_on_close(spool.close)
    response.content_length = size
    return response


def _blocks(file, size: int = 64 * 1024):
    with file:
        while block := file.read(size):
            yield block


def with_style(svg: str) -> str:
    """WeasyPrint styles an inline SVG from the SVG's own <style> only (the page's rules do not reach into it)."""
    opening = svg.index(">") + 1  # the end of <svg ...>: its attribute values are escaped, so hold no ">"
    return f"{svg[:opening]}<style>{SVG_STYLE}</style>{svg[opening:]}"


# tracker -> (extension, media type, what the file name says); the web and the API serve the same files.
PLAN_FILES = {
    "jira": ("csv", "text/csv; charset=utf-8", "plan-jira"),
    "gitlab": ("csv", "text/csv; charset=utf-8", "plan-gitlab"),
    "github": ("json", "application/json", "plan-github"),
    "calendar": ("ics", "text/calendar; charset=utf-8", "plan-calendar"),
}


def plan_file(data: ExportData, tracker: str, extension: str | None = None):
    """`extension`: the one the URL asked for (the web's), which must be the format's; None from the API."""
    if tracker not in PLAN_FILES or extension not in (None, PLAN_FILES[tracker][0]):
        abort(
            404,
            description="There is no such plan export: plan-jira.csv, plan-gitlab.csv, plan-github.json "
            "and plan-calendar.ics are.",
        )
    extension, mimetype, what = PLAN_FILES[tracker]
    if tracker == "jira":
        body = trackers.jira_csv(data.plan, data.report)
    elif tracker == "gitlab":
        body = trackers.gitlab_csv(data.plan, data.report)
    elif tracker == "github":
        body = trackers.github_json(data.plan, data.report)
    else:
        title = data.assessment.title or data.assessment.questionnaire_id
        body = trackers.calendar(
            data.plan,
            name=f"{data.organisation}: {title}",
            uid_prefix=f"assessment-{data.assessment.id}",
            generated_at=data.generated_at,
        )
    return attachment(body, mimetype, filename(data, what, extension))
