"""One wording for one thing: the plan page and every export name a plan status (and a severity) alike."""

from __future__ import annotations

import csv
import io
import re

import openpyxl
from pypdf import PdfReader

from app import labels
from app.config import PROJECT_ROOT
from app.services import assessments

from .. import factories
from ..webclient import login

ACTION = "determine-context-and-scope"


def test_the_plan_page_and_every_export_show_the_same_status_label(db_app):
    doing = labels.STATUS_LABELS["doing"]
    assert doing == "In progress"
    with db_app.app_context():
        organisation, owner = factories.organisation(name="Labelled")
        text = (PROJECT_ROOT / "examples" / "startup-scrum.yaml").read_text()
        assessment = assessments.import_answers(owner, organisation.id, text, "Gap analysis")
        assessments.update_plan_action(owner, assessment.id, ACTION, {"status": "doing", "due_date": "2001-02-03"})
        email, base = owner.email, f"/workspace/assessments/{assessment.id}"
    client = db_app.test_client()
    login(client, email)

    page = client.get(f"{base}/plan").get_data(as_text=True)
    article = re.search(rf'<article class="plan-action" id="action-{ACTION}".*?</article>', page, re.S).group(0)
    assert f'<option value="doing" selected>{doing}</option>' in article
    assert f"status: {doing}." in article  # the overdue notice
    assert f"· {doing}</p>" in article  # the printed row

    markdown = client.get(f"{base}/export/report.md").get_data(as_text=True)
    assert f"| {doing} |" in markdown
    rows = list(csv.DictReader(io.StringIO(client.get(f"{base}/export/plan.csv").data.decode("utf-8-sig"))))
    assert next(r for r in rows if r["Action"] == ACTION)["Status"] == doing
    sheet = openpyxl.load_workbook(io.BytesIO(client.get(f"{base}/export/workbook.xlsx").data))["Plan"]
    header = [c.value for c in sheet[1]]
    row = next(r for r in sheet.iter_rows(min_row=2, values_only=True) if r[header.index("Action")] == ACTION)
    assert row[header.index("Status")] == doing
    pdf = PdfReader(io.BytesIO(client.get(f"{base}/export/report.pdf").data))
    assert doing in " ".join(" ".join(p.extract_text().split()) for p in pdf.pages)  # a narrow column wraps

    assert "Doing" not in article and "| Doing |" not in markdown  # the page's old wording of its own


def test_findings_say_which_step_they_block_alike_on_the_page_and_in_the_files(db_app):
    with db_app.app_context():
        organisation, owner = factories.organisation(name="Blocked")
        assessment = factories.assessment(owner, organisation.id)
        assessments.save_answer(owner, assessment.id, "scope_documented", "no")
        email, base = owner.email, f"/workspace/assessments/{assessment.id}"
    client = db_app.test_client()
    login(client, email)
    stage1, major = labels.BLOCKS_LABELS["stage1"], labels.SEVERITY_LABELS["major"]
    page = client.get(f"{base}/results").get_data(as_text=True)
    assert f"blocks {stage1}</span>" in page and f">{major}</span>" in page
    rows = list(csv.DictReader(io.StringIO(client.get(f"{base}/export/findings.csv").data.decode("utf-8-sig"))))
    scope = next(r for r in rows if r["Finding"] == "scope-not-documented")
    assert (scope["Blocks"], scope["Severity"]) == (stage1, major)
