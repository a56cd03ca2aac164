"""Claimed versus evidenced readiness through the services, the results page and the API (issue 16 item 2): the
evidence attached to answers raises the evidenced figure, never the claimed one, and the evaluation reads it in one
query and forgets a report once the evidence changes."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from sqlalchemy import event

from app.extensions import db
from app.models import Assessment, Evidence, User
from app.services import answers, assessments, evaluation
from app.services import evidence as service
from app.services.evidence import Subject

from .. import factories
from ..apiclient import caller_for
from ..webclient import login

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
AUDIT = Subject.answer("internal_audit_held")
CLAIMS = {"internal_audit_held": "yes", "scope_documented": "yes", "context_and_parties": "yes", "quality_policy": "no"}


@pytest.fixture
def world(db_app):
    with db_app.app_context():
        organisation, owner = factories.organisation()
        assessment = factories.assessment(owner, organisation.id)
        assessments.save_answers(owner, assessment.id, CLAIMS)
        yield db_app, owner.email, assessment.id


def _user(email: str) -> User:
    return db.session.scalars(sa.select(User).where(User.email == email)).one()


def _report(assessment_id: int):
    return evaluation.evaluate(db.session.get(Assessment, assessment_id))


def test_a_file_on_a_claimed_answer_raises_the_evidenced_figure_and_not_the_claimed_one(world):
    app, email, assessment_id = world
    with app.app_context():
        before = _report(assessment_id)
        assert {c.question for c in before.evidenced.unevidenced} == {"internal_audit_held", "scope_documented"}
        item = service.add_file(_user(email), assessment_id, AUDIT, PDF, "audit-report.pdf")
        after = _report(assessment_id)  # same answers: the memo must not hand back the report of before
        assert after.readiness == before.readiness and after.findings == before.findings
        assert after.evidenced.readiness.clause("9.2").score > before.evidenced.readiness.clause("9.2").score
        assert after.evidenced.readiness.overall > before.evidenced.readiness.overall
        assert [c.question for c in after.evidenced.unevidenced] == ["scope_documented"]
        assert "collect-evidence-9" in {i.id for i in before.plan} - {i.id for i in after.plan}
        service.delete(_user(email), assessment_id, AUDIT, item.id)
        assert _report(assessment_id).evidenced.readiness == before.evidenced.readiness


def test_evidence_waiting_to_be_confirmed_backs_nothing_yet(world):
    app, email, assessment_id = world
    with app.app_context():
        before = _report(assessment_id).evidenced.readiness.overall
        item = service.add_link(_user(email), assessment_id, AUDIT, "https://wiki.example.test/audits/2026")
        item.to_confirm = True  # as a repeat assessment carries it over
        db.session.commit()
        assert _report(assessment_id).evidenced.readiness.overall == before
        service.confirm(_user(email), assessment_id, AUDIT, item.id)
        assert _report(assessment_id).evidenced.readiness.overall > before


def test_the_evaluation_reads_the_evidence_in_one_query_and_a_brief_one_not_at_all(world):
    app, _email, assessment_id = world
    with app.app_context():
        assessment = db.session.get(Assessment, assessment_id)
        values = answers.answer_values(assessment)
        statements: list[str] = []

        def seen(conn, cursor, statement, *args):
            statements.append(statement)

        event.listen(db.engine, "before_cursor_execute", seen)
        try:
            evaluation.evaluate(assessment, values)
            full = [s for s in statements if re.search(r"\bevidence\b", s)]
            statements.clear()
            evaluation.evaluate(assessment, values, brief=True)
            brief = [s for s in statements if re.search(r"\bevidence\b", s)]
        finally:
            event.remove(db.engine, "before_cursor_execute", seen)
        assert len(full) == 1 and brief == []


def test_the_frozen_report_keeps_both_figures(world):
    app, email, assessment_id = world
    with app.app_context():
        service.add_file(_user(email), assessment_id, AUDIT, PDF, "audit-report.pdf")
        live = _report(assessment_id)
        assessments.complete_assessment(_user(email), assessment_id)
        frozen = db.session.get(Assessment, assessment_id).snapshot.result
        assert frozen["evidenced_readiness"] == live.evidenced.readiness.to_dict()
        assert [c["question"] for c in frozen["unevidenced_claims"]] == ["scope_documented"]
        assert [c["question"] for c in frozen["evidenced_claims"]] == ["internal_audit_held"]


def _results(client, assessment_id: int) -> str:
    response = client.get(f"/workspace/assessments/{assessment_id}/results")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _row(page: str, clause: str) -> str:
    """The documented-information table's row of a clause."""
    return page.split(f'data-clause="{clause}" data-status=')[1].split("</tr>")[0]


def test_the_results_page_shows_both_figures_and_marks_each_claim(world):
    app, email, assessment_id = world
    client = app.test_client()
    login(client, email)
    with app.app_context():
        report = _report(assessment_id)
    page = _results(client, assessment_id)
    assert f'data-score="{report.readiness.overall}">{report.readiness.overall}/100' in page
    assert f"Evidenced:\n  <strong>{report.evidenced.readiness.overall}%</strong>" in page
    assert '<a href="#claims">2 claims without a record</a>' in page
    assert "Claims and their records: 0 of 2 backed by a record" in page
    assert re.search(r'<li data-question="internal_audit_held" data-clause="9.2">', page)
    # The documented-information table marks the claimed answers behind each record.
    assert 'data-evidenced="no">no record attached yet' in _row(page, "9.2")
    assert 'data-evidenced="no">no record attached yet' in _row(page, "4.3")
    assert "evidence-backed" not in page
    with app.app_context():
        service.add_file(_user(email), assessment_id, AUDIT, PDF, "audit-report.pdf")
    page = _results(client, assessment_id)
    assert '<a href="#claims">1 claim without a record</a>' in page
    assert "Claims and their records: 1 of 2 backed by a record" in page
    assert 'data-evidenced="yes">✓ record attached' in _row(page, "9.2")
    assert 'data-evidenced="no">no record attached yet' in _row(page, "4.3")
    assert (
        '<li data-question="internal_audit_held"' not in page.split('class="unevidenced-claims"')[1].split("</ul>")[0]
    )


def test_a_report_frozen_before_evidence_was_counted_still_shows(world):
    app, email, assessment_id = world
    client = app.test_client()
    login(client, email)
    with app.app_context():
        assessments.complete_assessment(_user(email), assessment_id)
        snapshot = db.session.get(Assessment, assessment_id).snapshot
        old = {k: v for k, v in snapshot.result.items() if k not in ("evidenced_readiness", "unevidenced_claims")}
        old.pop("evidenced_claims", None)
        snapshot.result = old
        db.session.commit()
    page = _results(client, assessment_id)
    assert "Frozen before evidence was counted" in page and "evidence-mark" not in page


def test_the_api_report_has_both_figures(world):
    app, email, assessment_id = world
    with app.app_context():
        api = caller_for(app, _user(email))
        service.add_file(_user(email), assessment_id, AUDIT, PDF, "audit-report.pdf")
    report = api.get(f"/assessments/{assessment_id}/evaluation").get_json()
    assert report["evidenced_readiness"]["overall"] < report["readiness"]["overall"]
    assert [(c["question"], c["clause"]) for c in report["unevidenced_claims"]] == [("scope_documented", "4.3")]
    assert [c["question"] for c in report["evidenced_claims"]] == ["internal_audit_held"]


def test_no_evidence_on_another_assessment_counts(world):
    app, email, assessment_id = world
    with app.app_context():
        owner = _user(email)
        other = factories.assessment(owner, db.session.get(Assessment, assessment_id).organisation_id)
        assessments.save_answers(owner, other.id, CLAIMS)
        service.add_file(owner, other.id, AUDIT, PDF, "audit-report.pdf")
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Evidence)) == 1
        assert len(_report(assessment_id).evidenced.unevidenced) == 2
