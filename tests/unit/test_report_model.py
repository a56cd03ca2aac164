"""The report as typed values: one stored form (to_dict) read back whole (from_dict), brief reports without a plan."""

from __future__ import annotations

import dataclasses
import json

import pytest

from app.config import PROJECT_ROOT
from app.knowledge.answer_file import parse_answer_file
from app.planning.assess import assess
from app.planning.report import BriefReport, Report


def _example(real_kb, name: str, *, brief: bool = False):
    parsed = parse_answer_file((PROJECT_ROOT / "examples" / name).read_text(), real_kb)
    return assess(real_kb, parsed.questionnaire, parsed.answers, brief=brief)


@pytest.mark.parametrize("name", ["startup-scrum.yaml", "agency-documented.yaml", "company-near-ready.yaml"])
def test_the_stored_form_reads_back_to_the_same_report_and_the_same_bytes(real_kb, name):
    report = _example(real_kb, name)
    stored = json.loads(json.dumps(report.to_dict()))  # as an EvaluationSnapshot row holds it
    again = Report.from_dict(stored)
    assert again == report
    assert json.dumps(again.to_dict()) == json.dumps(report.to_dict())
    brief = _example(real_kb, name, brief=True)
    assert BriefReport.from_dict(json.loads(json.dumps(brief.to_dict()))) == brief


def test_a_brief_report_has_no_plan_by_design(real_kb):
    brief = _example(real_kb, "startup-scrum.yaml", brief=True)
    full = _example(real_kb, "startup-scrum.yaml")
    assert not isinstance(brief, Report) and isinstance(full, BriefReport)
    for missing in ("plan", "suggestions", "facts"):
        assert not hasattr(brief, missing) and missing not in brief.to_dict()
    assert not hasattr(brief.findings[0], "explanation")
    assert full.plan and full.findings[0].explanation
    assert [f.id for f in brief.findings] == [f.id for f in full.findings]


def test_reports_are_frozen(real_kb):
    report = _example(real_kb, "startup-scrum.yaml")
    with pytest.raises(dataclasses.FrozenInstanceError):
        report.kb_version = "changed"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        report.findings[0].title = "changed"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        report.plan[0].rank = 99  # type: ignore[misc]


def test_a_clause_the_stored_report_does_not_know_is_not_assessed(real_kb):
    stored = _example(real_kb, "startup-scrum.yaml").to_dict()
    del stored["readiness"]["clauses"]["4.1"]
    readiness = Report.from_dict(stored).readiness
    assert readiness.clause("4.1").score is None and readiness.clause("4.1").answered == 0
    assert readiness.clause("4.3").score == stored["readiness"]["clauses"]["4.3"]["score"]
