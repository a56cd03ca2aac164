"""A completed assessment whose snapshot was stored by earlier code still shows its results and exports.

The snapshot below is written out as a literal, in the shape the report dict had when it was stored (before the
chat, reports had no `asked`, and open questions did not name the rules reading them); most clauses are missing
from its readiness, as in a snapshot taken before the catalogue gained them. Every value only the snapshot holds
(the knowledge base version, readiness 13, the wording) must come out of the pages and the files.
"""

from __future__ import annotations

import io

import openpyxl
from pypdf import PdfReader

from app.extensions import db
from app.services import accounts, assessments

from .. import factories
from ..webclient import login

TITLE = "The quality system has no written scope (stored wording)"
ACTION = "Write the scope statement (stored wording)"
OLD_SNAPSHOT = {
    "kb_version": "0ldk8v3rs10n",
    "standard": "ISO 9001:2015",
    "questionnaire": {"id": "quick-scan", "version": 1},
    "readiness": {
        "overall": 13,
        "formula": "the formula as it was then",
        "groups": {"4": 13, "5": None},
        "clauses": {
            "4.3": {"score": 13, "answered": 1, "capped_at": 25, "not_applicable": False},
            "5.2": {"score": None, "answered": 0, "capped_at": None, "not_applicable": False},
        },
    },
    "verdict": {
        "level": "not_ready",
        "label": "Not ready",
        "blockers": [
            {"finding": "scope-not-documented", "title": TITLE, "severity": "major", "clauses": ["4.3"]},
            {"gate": "G2", "title": "Not assessed yet: Quality policy", "clauses": ["5.2.1", "5.2.2"]},
        ],
    },
    "findings": [
        {
            "id": "scope-not-documented",
            "rule": "scope-not-documented",
            "clauses": ["4.3"],
            "severity": "major",
            "blocks": "stage1",
            "title": TITLE,
            "explanation": "You answered No on a written scope, back then.",
            "because": [
                {"kind": "answer", "id": "scope_documented", "text": "you answered “No” then", "value": "no"},
            ],
            "recommendation": "Write one page in the handbook repository.",
            "practices": [{"id": "docs-as-code", "name": "Docs as code"}],
            "evidence": ["scope page in the handbook repository"],
            "action": "write-scope",
        }
    ],
    "plan": [
        {
            "rank": 1,
            "id": "write-scope",
            "title": ACTION,
            "phase": "before Stage 1",
            "kind": "nonconformity",
            "clauses": ["4.3"],
            "closes": ["scope-not-documented"],
            "effort": "S",
            "lead_time": False,
            "depends_on": [],
            "why": "Blocks Stage 1; major nonconformity; effort S",
        }
    ],
    "suggestions": [{"id": "consider-29110", "title": "Consider ISO/IEC 29110", "text": "Small teams may prefer it."}],
    "facts": [{"id": "no_documented_scope", "means": "nobody has written down the scope"}],
    "unanswered": [{"question": "people_in_scope", "text": "How many people work in scope?"}],
    "ignored": [],
}


def _completed_with_old_snapshot(db_app):
    with db_app.app_context():
        organisation, owner = factories.organisation(name="Oldtimer")
        assessment = factories.assessment(owner, organisation.id)
        assessments.save_answer(owner, assessment.id, "scope_documented", "no")
        completed = assessments.complete_assessment(owner, assessment.id)
        completed.snapshot.result = OLD_SNAPSHOT
        db.session.commit()
        _row, token = accounts.create_api_token(owner, "tests")
        return owner.email, completed.id, token


def test_an_old_snapshot_renders_the_results_plan_and_every_export(db_app):
    email, assessment_id, token = _completed_with_old_snapshot(db_app)
    client = db_app.test_client()
    login(client, email)
    base = f"/workspace/assessments/{assessment_id}"

    results = client.get(f"{base}/results").get_data(as_text=True)
    assert TITLE in results and "You answered No on a written scope, back then." in results
    assert 'data-score="13">13/100</strong>' in results
    group = client.get(f"{base}/results/groups/4")
    assert group.status_code == 200 and "4.3" in group.get_data(as_text=True)
    plan = client.get(f"{base}/plan").get_data(as_text=True)
    assert ACTION in plan

    markdown = client.get(f"{base}/export/report.md").get_data(as_text=True)
    assert "0ldk8v3rs10n" in markdown and "## Readiness: 13/100" in markdown
    assert f"### 4.3 {TITLE}" in markdown and ACTION in markdown and "the formula as it was then" in markdown
    findings_csv = client.get(f"{base}/export/findings.csv").data.decode("utf-8-sig")
    assert TITLE in findings_csv and "scope page in the handbook repository" in findings_csv
    workbook = openpyxl.load_workbook(io.BytesIO(client.get(f"{base}/export/workbook.xlsx").data))
    assert [c.value for c in workbook["Findings"][2]][:5] == [
        "scope-not-documented",
        "Major nonconformity",
        "Stage 1",
        "4.3",
        TITLE,
    ]
    assert workbook["Plan"]["D2"].value == ACTION
    pdf = PdfReader(io.BytesIO(client.get(f"{base}/export/report.pdf").data))
    text = " ".join(page.extract_text() for page in pdf.pages)
    assert "stored wording" in text and "0ldk8v3rs10n" in text


def test_an_old_snapshot_comes_out_of_the_api_in_the_stored_form(db_app):
    _email, assessment_id, token = _completed_with_old_snapshot(db_app)
    response = db_app.test_client().get(
        f"/api/v1/assessments/{assessment_id}/evaluation", headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 200
    body = response.get_json()
    # What the old form has is sent as it was; what it lacked is sent empty.
    assert {k: v for k, v in body.items() if k not in ("asked", "unanswered")} == {
        **{k: v for k, v in OLD_SNAPSHOT.items() if k != "unanswered"},
        "findings": [{**f, "merged": []} for f in OLD_SNAPSHOT["findings"]],
        "plan": [{**i, "steps": []} for i in OLD_SNAPSHOT["plan"]],
    }
    assert body["asked"] == [] and body["unanswered"] == [{**OLD_SNAPSHOT["unanswered"][0], "rules": []}]
