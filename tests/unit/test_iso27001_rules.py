"""What an ISO/IEC 27001 system lacks for quality: the follow-up questions are asked only of organisations that
declared a 27001 certificate, and the findings fire on the answers that show the gap and not otherwise."""

from __future__ import annotations

import pytest

from app.config import PROJECT_ROOT
from app.engine import evaluate, load_knowledge_base
from app.knowledge.answer_file import parse_answer_file
from app.knowledge.answers import Answer
from app.planning.assess import assess

EXAMPLE = PROJECT_ROOT / "examples" / "full-iso27001-certified-saas.yaml"
FOLLOW_UPS = ("iso27001_scope_overlaps", "iso27001_audit_quality_processes", "iso27001_review_quality_inputs")
RULES = {"i-isms-audit-security-only", "i-isms-audit-partly-quality", "i-isms-review-lacks-quality-inputs"}


@pytest.fixture(scope="module")
def kb():
    return load_knowledge_base(PROJECT_ROOT)


def _evaluate(kb, **changes):
    parsed = parse_answer_file(EXAMPLE.read_text(), kb)
    values = {q: (a.value if isinstance(a, Answer) else a) for q, a in parsed.answers.items()}
    values.update(changes)
    evaluation = evaluate(kb, parsed.questionnaire, {q: v for q, v in values.items() if v is not None})
    return evaluation, {f.rule.id for f in evaluation.firings} & RULES


def test_the_certified_example_gets_both_findings(kb):
    evaluation, fired = _evaluate(kb)
    assert fired == {"i-isms-audit-security-only", "i-isms-review-lacks-quality-inputs"}
    assert set(FOLLOW_UPS) <= set(evaluation.asked)
    audit = next(f for f in evaluation.firings if f.rule.id == "i-isms-audit-security-only")
    assert audit.rule.finding.clauses == ("9.2",)
    assert audit.rule.finding.severity == "minor"


def test_without_a_27001_certificate_nothing_is_asked_and_nothing_fires(kb):
    evaluation, fired = _evaluate(kb, existing_certifications=["soc2"])
    assert fired == set()
    assert not set(FOLLOW_UPS) & set(evaluation.asked)


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"iso27001_audit_quality_processes": "yes"}, {"i-isms-review-lacks-quality-inputs"}),
        (
            {"iso27001_audit_quality_processes": "partly"},
            {"i-isms-audit-partly-quality", "i-isms-review-lacks-quality-inputs"},
        ),
        (
            {"iso27001_review_quality_inputs": ["customer_satisfaction", "supplier_performance"]},
            {"i-isms-audit-security-only"},
        ),
        (
            {"iso27001_review_quality_inputs": ["customer_satisfaction"]},
            {"i-isms-audit-security-only", "i-isms-review-lacks-quality-inputs"},
        ),
        ({"iso27001_review_quality_inputs": None}, {"i-isms-audit-security-only"}),
    ],
)
def test_the_findings_follow_the_answers(kb, changes, expected):
    assert _evaluate(kb, **changes)[1] == expected


@pytest.mark.parametrize(
    ("covered", "stands_for"),
    [("partly", "d-review-inputs-incomplete"), ("no", "d-review-inputs-absent")],
)
def test_a_27001_review_missing_inputs_is_written_up_once_with_the_general_review_finding(kb, covered, stands_for):
    """Both rules say the management review skips required inputs (9.3.2): the report has one finding for it, the
    general one, graded as that one is, with the 27001 rule among what it merged."""
    parsed = parse_answer_file(EXAMPLE.read_text(), kb)
    values = {q: (a.value if isinstance(a, Answer) else a) for q, a in parsed.answers.items()}
    values["review_inputs_covered"] = covered
    report = assess(kb, parsed.questionnaire, values).to_dict()
    on_review = [f for f in report["findings"] if "9.3.2" in f["clauses"]]
    assert [f["id"] for f in on_review] == [stands_for]
    assert "i-isms-review-lacks-quality-inputs" in str(on_review[0]["merged"])
    assert on_review[0]["severity"] == ("major" if covered == "no" else "minor")


def test_the_27001_review_finding_stands_alone_when_the_general_inputs_are_covered(kb):
    parsed = parse_answer_file(EXAMPLE.read_text(), kb)
    values = {q: (a.value if isinstance(a, Answer) else a) for q, a in parsed.answers.items()}
    values["review_inputs_covered"] = "yes"
    report = assess(kb, parsed.questionnaire, values).to_dict()
    assert [f["id"] for f in report["findings"] if "9.3.2" in f["clauses"]] == ["i-isms-review-lacks-quality-inputs"]
