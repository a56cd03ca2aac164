"""An assessment's findings, plan and answers as tables: CSV files and an XLSX workbook.

Plain Python: rows in, bytes out. Every text cell a spreadsheet could read as a formula is neutralised, because
answers, notes, owners and evidence are typed by users and the files are opened in Excel or LibreOffice.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font

from ..labels import BLOCKS_LABELS, SEVERITY_LABELS, STATUS_LABELS
from ..planning.plan import TrackedItem
from ..planning.report import Report

# A cell starting with one of these is a formula to Excel, LibreOffice and Google Sheets (tab and carriage return
# too, per OWASP's CSV injection advice: some programs strip them and read what follows).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

FINDING_COLUMNS = (
    "Finding",
    "Severity",
    "Blocks",
    "Clauses",
    "Title",
    "Explanation",
    "What to do",
    "Action",
    "Practices",
    "Evidence to show",
    "Merged rules",
)
PLAN_COLUMNS = (
    "Rank",
    "Phase",
    "Action",
    "Title",
    "Kind",
    "Clauses",
    "Closes",
    "Effort",
    "Why here",
    "Status",
    "Owner",
    "Due date",
    "Notes",
    "Steps",
)
ANSWER_COLUMNS = (
    "Section",
    "Question id",
    "Question",
    "Answer",
    "Note",
    "Evidence",
    "Answered by",
    "Answered at (UTC)",
    "To confirm",
)
RESPONDENT_ANSWER_COLUMNS = (
    "Respondent",
    "Section",
    "Question id",
    "Question",
    "Answer",
    "Note",
    "Evidence",
    "Answered at (UTC)",
)
READINESS_COLUMNS = ("Clause group", "Claimed", "Evidenced")
CLAIM_COLUMNS = (
    "Clause",
    "Question id",
    "Question",
    "Mandatory documented information",
    "Weight",
    "What an auditor asks to see",
    "Backed by evidence",
)
EVIDENCE_COLUMNS = (
    "Clauses",
    "Question id",
    "Action",
    "Question or action",
    "Answer or status",
    "Title",
    "Kind",
    "File or link",
    "SHA-256",
    "Size (bytes)",
    "Added by",
    "Added at (UTC)",
    "Status",
)


def neutralised(value: Any) -> Any:
    """A text cell that cannot run as a formula: a leading single quote makes spreadsheets show it as text."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def finding_rows(report: Report) -> list[tuple[Any, ...]]:
    return [
        (
            f.id,
            SEVERITY_LABELS[f.severity],
            BLOCKS_LABELS.get(f.blocks, f.blocks),
            ", ".join(f.clauses),
            f.title,
            f.explanation,
            f.recommendation,
            f.action or "",
            ", ".join(p.name for p in f.practices),
            "; ".join(f.evidence),
            "; ".join(f"{m.id} ({SEVERITY_LABELS.get(m.severity, m.severity)}): {m.title}" for m in f.merged),
        )
        for f in report.findings
    ]


def readiness_rows(report: Report, groups: Sequence[tuple[str, str]]) -> list[tuple[Any, ...]]:
    """Claimed and evidenced readiness, overall first, then per clause group (id, title) of the report's edition;
    none for a report frozen before evidence was counted."""
    if report.evidenced is None:
        return []
    claimed, evidenced = report.readiness, report.evidenced.readiness
    rows = [("Overall", claimed.overall, evidenced.overall)]
    rows += [(f"{g} {title}", claimed.groups.get(g), evidenced.groups.get(g)) for g, title in groups]
    return rows


def claim_rows(report: Report) -> list[tuple[Any, ...]]:
    """Every positive answer an auditor will test against a record, the unevidenced first (planning.evidenced)."""
    if report.evidenced is None:
        return []
    claims = (*report.evidenced.unevidenced, *report.evidenced.backed)
    return [
        (
            ", ".join(c.clauses),
            c.question,
            c.text,
            "yes" if c.mandatory else "no",
            c.weight,
            c.record,
            "yes" if c.evidenced else "no",
        )
        for c in claims
    ]


def plan_rows(plan: list[TrackedItem]) -> list[tuple[Any, ...]]:
    """`plan`: services.assessments.plan_of, the ranked plan with each action's tracking."""
    return [
        (
            item.rank,
            item.phase,
            item.id,
            item.title,
            item.kind,
            ", ".join(item.clauses),
            ", ".join(item.closes),
            item.effort,
            item.why,
            STATUS_LABELS.get(item.status, item.status),
            item.owner,
            item.due,
            item.notes,
            "; ".join(f"{n}. {step.title}" for n, step in enumerate(item.steps, start=1)),
        )
        for item in plan
    ]


def answer_rows(answers: Iterable[Any]) -> list[tuple[Any, ...]]:
    """`answers`: services.exports.AnswerRow values."""
    return [
        (
            a.section,
            a.question_id,
            a.question,
            a.answer,
            a.note,
            a.evidence,
            a.answered_by,
            utc_cell(a.answered_at),
            "yes" if a.to_confirm else "",
        )
        for a in answers
    ]


def respondent_answer_rows(answers: Iterable[Any]) -> list[tuple[Any, ...]]:
    """`answers`: services.exports.RespondentAnswerRow values."""
    return [
        (
            a.respondent,
            a.section,
            a.question_id,
            a.question,
            a.answer,
            a.note,
            a.evidence,
            utc_cell(a.answered_at),
        )
        for a in answers
    ]


def evidence_rows(evidence: Iterable[Any]) -> list[tuple[Any, ...]]:
    """`evidence`: services.exports.EvidenceRow values, one row each (its clauses in one cell)."""
    return [
        (
            e.clause_ids,
            e.question_id or "",
            e.action_id or "",
            e.subject,
            e.answer,
            e.title,
            e.kind,
            e.url or e.filename,
            e.sha256,
            e.size,
            e.added_by,
            utc_cell(e.added_at),
            e.status,
        )
        for e in evidence
    ]


def utc_cell(moment) -> Any:
    """A time as spreadsheets take it: naive, in UTC (the column header says so), to the second."""
    return moment.astimezone(UTC).replace(tzinfo=None, microsecond=0) if moment else None


def to_csv(columns: Sequence[str], rows: Iterable[Sequence[Any]], *, byte_order_mark: bool = True) -> bytes:
    """UTF-8 with a byte order mark, so that Excel reads accents right (without one for importers that would read
    it as part of the first header); a header row, then one row per item."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(columns)
    for row in rows:
        writer.writerow(["" if v is None else neutralised(_plain(v)) for v in row])
    return out.getvalue().encode("utf-8-sig" if byte_order_mark else "utf-8")


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return value


WIDTHS = {
    "Title": 50,
    "Explanation": 60,
    "What to do": 60,
    "Question": 60,
    "Question or action": 60,
    "Why here": 40,
    "Note": 40,
    "File or link": 40,
}


def to_xlsx(sheets: Sequence[tuple[str, Sequence[str], Iterable[Sequence[Any]]]]) -> bytes:
    """One sheet per (name, columns, rows): a bold frozen header with filters; dates as dates, text as text."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, columns, rows in sheets:
        sheet = workbook.create_sheet(name)
        sheet.append(list(columns))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append([_xlsx_value(v) for v in row])
        for index, column in enumerate(columns, start=1):
            letter = sheet.cell(row=1, column=index).column_letter
            sheet.column_dimensions[letter].width = WIDTHS.get(column, max(12, len(column) + 2))
            if WIDTHS.get(column, 0) >= 40:
                for cell in sheet[letter][1:]:
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
        for cell in (c for row in sheet.iter_rows(min_row=2) for c in row):
            _keep_text(cell)
            if isinstance(cell.value, datetime):
                cell.number_format = "yyyy-mm-dd hh:mm"
            elif isinstance(cell.value, date):
                cell.number_format = "yyyy-mm-dd"
        sheet.freeze_panes = "A2"
        sheet.auto_filter.ref = sheet.dimensions
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _xlsx_value(value: Any) -> Any:
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)  # control characters make the file unreadable
    return value


def _keep_text(cell) -> None:
    """openpyxl stores a string starting with '=' as a formula: store it as text, marked the way Excel marks text
    typed after an apostrophe, so that it stays text even when someone edits the cell."""
    if isinstance(cell.value, str) and cell.value.startswith(FORMULA_STARTS):
        cell.data_type = "s"
        cell.quotePrefix = True
