"""Exports of an assessment: Markdown, CSV (findings, plan), XLSX and PDF, each opened and read back."""

from __future__ import annotations

import csv
import io
import socket
from dataclasses import dataclass

import openpyxl
import pytest
from pypdf import PdfReader

from app.config import PROJECT_ROOT
from app.extensions import KB_KEY
from app.formats import pdf as pdf_module
from app.formats.pdf import OfflineFetcher, html_to_pdf
from app.formats.tables import neutralised
from app.knowledge.model import SEVERITY_LABELS
from app.services import assessments, evaluation

from .. import factories
from ..webclient import login

ORGANISATION = "Brightpath Labs <Test>"
NOTE = '=HYPERLINK("http://evil.example/","click")'  # typed by a user: must never run as a formula
EVIDENCE = "handbook/policy.md, PR #42"
OWNER = "@SUM(1+1)*cmd|' /C calc'!A0"
PLAN_NOTES = "-2+3 is what we agreed"


@dataclass
class Exported:
    email: str
    assessment_id: int
    report: dict
    plan: list
    first_action: str


@pytest.fixture
def exported(db_app) -> Exported:
    with db_app.app_context():
        organisation, owner = factories.organisation(name=ORGANISATION)
        text = (PROJECT_ROOT / "examples" / "startup-scrum.yaml").read_text()
        assessment = assessments.import_answers(owner, organisation.id, text, "Gap analysis")
        assessments.save_answer(owner, assessment.id, "quality_policy", "partly", note=NOTE, evidence=EVIDENCE)
        action = evaluation.evaluate(assessment).plan[0].id
        assessments.update_plan_action(
            owner,
            assessment.id,
            action,
            {"status": "doing", "owner": OWNER, "due_date": "2027-03-31", "notes": PLAN_NOTES},
        )
        report = evaluation.evaluate(assessment)
        plan = [item.to_dict() for item in assessments.plan_of(assessment, report)]
        return Exported(owner.email, assessment.id, report.to_dict(), plan, action)


def fetch(db_app, exported: Exported, what: str):
    client = db_app.test_client()
    login(client, exported.email)
    response = client.get(f"/workspace/assessments/{exported.assessment_id}/export/{what}")
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return response


def read_csv(response) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(response.data.decode("utf-8-sig"))))


def test_every_export_is_an_attachment_named_after_the_organisation_and_assessment(db_app, exported):
    for what, mimetype in [
        ("report.md", "text/markdown"),
        ("findings.csv", "text/csv"),
        ("plan.csv", "text/csv"),
        ("workbook.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("report.pdf", "application/pdf"),
    ]:
        response = fetch(db_app, exported, what)
        assert response.mimetype == mimetype
        disposition = response.headers["Content-Disposition"]
        stem, extension = what.split(".")
        assert disposition.startswith(
            f'attachment; filename="brightpath-labs-test-assessment-{exported.assessment_id}-{stem}-'
        )
        assert disposition.endswith(f'.{extension}"')
        assert "no-store" in response.headers["Cache-Control"]


def test_markdown_has_the_report_headings_every_finding_and_the_plan_tracking(db_app, exported):
    text = fetch(db_app, exported, "report.md").get_data(as_text=True)
    assert text.startswith("# ISO 9001 readiness of Brightpath Labs &lt;Test&gt;")  # user text never becomes HTML
    assert f"## Verdict: {exported.report['verdict']['label']}" in text
    assert "## Readiness:" in text and f"## Findings ({len(exported.report['findings'])})" in text
    for finding in exported.report["findings"]:
        assert f"### {', '.join(finding['clauses'])} {finding['title']}" in text
    assert "| # | Phase | Action | Effort | Closes | Why here | Status | Owner | Due |" in text
    first = next(line for line in text.splitlines() if line.startswith("| 1 |"))
    assert "| In progress |" in first and "| 2027-03-31 |" in first and OWNER.replace("|", "\\|") in first
    assert text.count("| To do |") == len(exported.plan) - 1


def test_findings_csv_has_a_header_and_one_row_per_finding_of_the_report(db_app, exported):
    rows = read_csv(fetch(db_app, exported, "findings.csv"))
    findings = exported.report["findings"]
    assert [r["Finding"] for r in rows] == [f["id"] for f in findings]
    for row, finding in zip(rows, findings, strict=True):
        assert row["Title"] == finding["title"]
        assert row["Severity"] == SEVERITY_LABELS[finding["severity"]]
        assert row["Clauses"] == ", ".join(finding["clauses"])
        assert row["What to do"] == finding["recommendation"]


def test_plan_csv_has_every_action_with_its_status_owner_and_due_date(db_app, exported):
    rows = read_csv(fetch(db_app, exported, "plan.csv"))
    assert [r["Action"] for r in rows] == [i["id"] for i in exported.plan]
    assert [int(r["Rank"]) for r in rows] == list(range(1, len(rows) + 1))
    first = rows[0]
    assert first["Action"] == exported.first_action
    assert (first["Status"], first["Due date"]) == ("In progress", "2027-03-31")
    assert {r["Status"] for r in rows[1:]} == {"To do"}


def test_csv_cells_that_could_run_as_formulas_are_neutralised(db_app, exported):
    first = read_csv(fetch(db_app, exported, "plan.csv"))[0]
    assert first["Owner"] == "'" + OWNER
    assert first["Notes"] == "'" + PLAN_NOTES
    for text in ("=1+1", "+1", "-1", "@A1", "\t=1", "\r=1"):
        assert neutralised(text) == "'" + text
    assert neutralised("A plain note") == "A plain note" and neutralised(3) == 3


def test_xlsx_has_findings_plan_and_answers_sheets(db_app, exported):
    workbook = openpyxl.load_workbook(io.BytesIO(fetch(db_app, exported, "workbook.xlsx").data))
    assert workbook.sheetnames == ["Findings", "Plan", "Answers", "Readiness", "Claims", "Evidence"]

    findings = list(workbook["Findings"].iter_rows(values_only=True))
    assert findings[0][:5] == ("Finding", "Severity", "Blocks", "Clauses", "Title")
    first = exported.report["findings"][0]
    assert findings[1][0] == first["id"] and findings[1][4] == first["title"]
    assert len(findings) == len(exported.report["findings"]) + 1

    plan = workbook["Plan"]
    header = [c.value for c in plan[1]]
    owner = plan.cell(row=2, column=header.index("Owner") + 1)
    assert owner.value == OWNER and owner.data_type == "s" and owner.quotePrefix  # text, never a formula
    assert plan.cell(row=2, column=header.index("Due date") + 1).value.date().isoformat() == "2027-03-31"

    answers = workbook["Answers"]
    header = [c.value for c in answers[1]]
    assert header == ["Section", "Question id", "Question", "Answer", "Note", "Evidence", "Answered by",
                      "Answered at (UTC)", "To confirm"]  # fmt: skip
    rows = {r[1]: dict(zip(header, r, strict=True)) for r in answers.iter_rows(min_row=2, values_only=True)}
    policy = rows["quality_policy"]
    assert policy["Question"] == db_app.extensions[KB_KEY].questionnaire("quick-scan").question("quality_policy").text
    assert (policy["Answer"], policy["Note"], policy["Evidence"]) == ("Partly", NOTE, EVIDENCE)
    assert policy["Answered by"] == exported.email and policy["Answered at (UTC)"] is not None
    note_cell = next(c for c in answers["E"] if c.value == NOTE)
    assert note_cell.data_type == "s"  # openpyxl would otherwise have written it as a formula


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_pdf_report_shows_the_organisation_verdict_chart_findings_and_plan(db_app, exported):
    response = fetch(db_app, exported, "report.pdf")
    assert response.data.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(response.data))
    assert reader.pages[0].mediabox.width == pytest.approx(595.28, abs=1)  # A4
    text = pdf_text(response.data)
    assert "Brightpath Labs <Test>" in text
    assert exported.report["verdict"]["label"] in text
    assert exported.report["findings"][0]["title"] in text
    assert "Readiness per clause group" in text and "Performance evaluation" in text  # the chart's labels
    assert f"Page 1 of {len(reader.pages)}" in text


@pytest.fixture
def no_network(monkeypatch):
    """Every attempt to open a socket to anywhere (or to resolve a name) is recorded and refused."""
    attempts: list[str] = []

    def refuse(*args, **kwargs):
        attempts.append(repr(args))
        raise OSError("the network is off limits in this test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    return attempts


def test_pdf_generation_never_fetches_anything_from_the_network(db_app, exported, no_network, monkeypatch):
    fetched: list[str] = []
    original = OfflineFetcher.fetch

    def spy(self, url, headers=None):
        fetched.append(url)
        return original(self, url, headers)

    monkeypatch.setattr(pdf_module.OfflineFetcher, "fetch", spy)
    assert fetch(db_app, exported, "report.pdf").data.startswith(b"%PDF")
    assert no_network == []
    assert all(url.startswith(("file:", "data:")) for url in fetched), fetched


def test_the_pdf_renderer_refuses_remote_urls_and_files_outside_its_folder(tmp_path, no_network):
    (tmp_path / "static").mkdir()
    (tmp_path / "static" / "local.css").write_text("p { color: #123456; }")
    (tmp_path / "secret.css").write_text("p { color: red; }")
    html = (
        '<link rel="stylesheet" href="https://cdn.example/style.css">'
        '<link rel="stylesheet" href="local.css"><link rel="stylesheet" href="../secret.css">'
        '<img src="http://tracker.example/pixel.png"><img src="//tracker.example/pixel2.png">'
        "<p>Offline</p>"
    )
    fetcher = OfflineFetcher(tmp_path / "static")
    data = html_to_pdf(html, tmp_path / "static", fetcher)
    assert "Offline" in pdf_text(data)
    assert no_network == []
    assert sorted(fetcher.refused) == sorted(
        [
            "https://cdn.example/style.css",
            "http://tracker.example/pixel.png",
            "file://tracker.example/pixel2.png",  # protocol-relative, read against the file: base
            (tmp_path / "secret.css").resolve().as_uri(),
        ]
    )


def test_exports_are_for_members_only(db_app, exported):
    with db_app.app_context():
        _, stranger = factories.organisation(name="Another Tenant")
        stranger_email = stranger.email
    anonymous = db_app.test_client()
    other = db_app.test_client()
    login(other, stranger_email)
    for what in ("report.md", "findings.csv", "plan.csv", "workbook.xlsx", "report.pdf"):
        path = f"/workspace/assessments/{exported.assessment_id}/export/{what}"
        assert other.get(path).status_code == 404
        assert anonymous.get(path).status_code == 302  # to the login page


def test_the_assessment_page_links_every_export(db_app, exported):
    client = db_app.test_client()
    login(client, exported.email)
    page = client.get(f"/workspace/assessments/{exported.assessment_id}").get_data(as_text=True)
    for what in ("report.pdf", "workbook.xlsx", "report.md", "findings.csv", "plan.csv"):
        assert f"/workspace/assessments/{exported.assessment_id}/export/{what}" in page
