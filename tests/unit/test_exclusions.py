"""Exclusions as ISO 9001 allows them: the catalogue decides per clause, questions inherit it, and "not applicable"
where it cannot stand is graded as the absence it hides, with a finding on the scope (4.3)."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml

from app.engine import load_knowledge_base
from app.knowledge.answer_file import parse_answer_file
from app.knowledge.answers import Answer
from app.knowledge.errors import KnowledgeBaseInvalid
from app.knowledge.loader import read_knowledge_base
from app.planning.assess import assess, findings_brief

from ..kbfactory import CATALOGUE, QUESTIONS, make_kb

ROOT = Path(__file__).resolve().parents[2]
NA = "not_applicable"


def ids(report) -> list[str]:
    return [f.id for f in report.findings]


def finding(report, finding_id):
    return next(f for f in report.findings if f.id == finding_id)


# ---------------------------------------------------------------------------------------------- knowledge base


def test_a_question_inherits_never_from_any_of_its_clauses(tmp_path):
    questions = copy.deepcopy(QUESTIONS) + [
        {"id": "mixed", "kind": "yes_no", "text": "Both?", "why": "Both.", "clauses": ["9.2", "9.3.1"]},
    ]
    kb = load_knowledge_base(make_kb(tmp_path, questions=questions))
    questionnaire = kb.questionnaire("mini")
    assert questionnaire.question("audit").excludable  # 9.2 is allowed in the test catalogue
    assert not questionnaire.question("scope").excludable  # 4.3 never
    assert not questionnaire.question("mixed").excludable  # one "never" clause is enough


def test_kb_check_requires_every_clause_to_say_whether_it_may_be_excluded(tmp_path):
    catalogue = copy.deepcopy(CATALOGUE)
    del catalogue["clauses"][1]["not_applicable"]  # 4.4
    with pytest.raises(KnowledgeBaseInvalid) as refused:
        read_knowledge_base(make_kb(tmp_path, catalogue=catalogue))
    problems = [str(p) for p in refused.value.problems]
    assert any("iso9001-2015.yaml" in p and "not_applicable" in p and "required" in p.lower() for p in problems)


def test_kb_check_requires_the_findings_on_exclusions(tmp_path):
    root = make_kb(tmp_path)
    (root / "rules" / "shared" / "exclusions.yaml").unlink()
    with pytest.raises(KnowledgeBaseInvalid) as refused:
        read_knowledge_base(root)
    assert any("no findings on exclusions" in str(p) for p in refused.value.problems)


def test_kb_check_refuses_findings_on_exclusions_that_name_what_does_not_exist(tmp_path):
    root = make_kb(tmp_path)
    path = root / "rules" / "shared" / "exclusions.yaml"
    data = yaml.safe_load(path.read_text())
    data["exclusions"]["unjustified"]["finding"]["clauses"] = ["7.7"]
    data["exclusions"]["unjustified"]["finding"]["explanation"] = "You said {scope}."
    data["exclusions"]["not_permitted"]["findings"].pop()  # no finding for requirements that block nothing
    path.write_text(yaml.safe_dump(data, allow_unicode=True))
    with pytest.raises(KnowledgeBaseInvalid) as refused:
        read_knowledge_base(root)
    assert any("one finding for each of stage1, stage2, none" in str(p) for p in refused.value.problems)
    data["exclusions"]["not_permitted"] = yaml.safe_load(
        (make_kb(tmp_path / "b") / path.relative_to(root)).read_text()
    )["exclusions"]["not_permitted"]
    path.write_text(yaml.safe_dump(data, allow_unicode=True))
    with pytest.raises(KnowledgeBaseInvalid) as refused:
        read_knowledge_base(root)
    problems = [str(p) for p in refused.value.problems]
    assert any("no clause '7.7'" in p for p in problems)
    assert any("{scope}" in p for p in problems)


def test_the_shipped_catalogue_lets_only_parts_of_clause_8_and_7_1_5_be_excluded():
    kb = load_knowledge_base(ROOT)
    catalogue = kb.catalogues["iso9001-2015"]
    allowed = {c.id for c in catalogue.clauses if c.not_applicable == "allowed"}
    assert allowed == {"7.1.5", "8.4.1", "8.4.2", "8.4.3", "8.5.3", "8.5.4"}
    raw = yaml.safe_load((ROOT / "rules/catalogue/iso9001-2015.yaml").read_text())
    assert all("not_applicable" in c for c in raw["clauses"])  # written down for every clause, not defaulted
    quick = kb.questionnaire("quick-scan")
    for question_id in ("quality_policy", "internal_audit_held", "management_review_held", "corrective_action"):
        assert not quick.question(question_id).excludable
    assert quick.question("supplier_control").excludable


# ---------------------------------------------------------------------------------------------- grading


def test_not_applicable_where_it_cannot_be_is_graded_as_no_and_blocks_stage1(mini_kb):
    report = assess(mini_kb, "mini", {"scope": NA, "audit": "yes", "review": "yes"})
    assert "no-scope" in ids(report)  # the rule that grades the absence fires
    scope = finding(report, "excluded-stage1")
    assert (scope.clauses, scope.severity, scope.blocks) == (("4.3",), "major", "stage1")
    assert scope.explanation == "You declared “Is the scope written down?” not applicable (4.3)."
    assert [(b["id"], b["value"]) for b in scope.because] == [("scope", NA)]
    assert report.verdict.level == "not_ready"
    assert {b.finding for b in report.verdict.blockers} == {"no-scope", "excluded-stage1"}
    # the answer is quoted as given, not as graded
    graded = finding(report, "no-scope")
    assert graded.explanation == "You answered Not applicable."
    assert graded.because[0]["value"] == NA
    assert (
        graded.because[0]["text"]
        == "you answered “Not applicable” to “Is the scope written down?”, which cannot be excluded"
    )


def test_a_blocker_clause_without_a_gate_blocks_stage2(mini_kb):
    report = assess(mini_kb, "mini", {"scope": "yes", "audit": "yes", "review": NA})
    assert "no-review" in ids(report)
    scope = finding(report, "excluded-stage2")
    assert (scope.severity, scope.blocks) == ("major", "stage2")
    assert report.verdict.level == "stage1"
    assert "excluded-stage2" in {b.finding for b in report.verdict.blockers}


def test_several_exclusions_make_one_finding_at_the_strictest_stage(mini_kb):
    report = assess(mini_kb, "mini", {"scope": NA, "audit": "yes", "review": NA})
    on_scope = [f for f in report.findings if f.id.startswith("excluded")]
    assert [f.id for f in on_scope] == ["excluded-stage1"]
    assert [b["id"] for b in on_scope[0].because] == ["scope", "review"]
    assert "(4.3 and 9.3.1)" in on_scope[0].explanation


def test_a_requirement_that_blocks_nothing_gives_a_minor(tmp_path):
    catalogue = copy.deepcopy(CATALOGUE)
    catalogue["clauses"][3]["weight"] = "high"  # 9.3.1: never excluded, no gate, not a blocker
    kb = load_knowledge_base(make_kb(tmp_path, catalogue=catalogue))
    report = assess(kb, "mini", {"scope": "yes", "audit": "yes", "review": NA})
    scope = finding(report, "excluded")
    assert (scope.severity, scope.blocks) == ("minor", "none")


def test_a_permitted_exclusion_needs_a_reason_in_its_note(mini_kb):
    bare = assess(mini_kb, "mini", {"scope": "yes", "review": "yes", "audit": NA})
    scope = finding(bare, "excluded-without-reason")
    assert (scope.clauses, scope.severity, scope.blocks) == (("4.3",), "minor", "none")
    assert [(b["id"], b["value"]) for b in scope.because] == [("audit", NA)]
    assert "no-audit" not in ids(bare)  # a permitted exclusion is not graded as an absence
    assert bare.readiness.clause("9.2").not_applicable

    blank = assess(mini_kb, "mini", {"scope": "yes", "review": "yes", "audit": Answer(NA, note="  ")})
    assert "excluded-without-reason" in ids(blank)
    justified = assess(mini_kb, "mini", {"scope": "yes", "review": "yes", "audit": Answer(NA, note="no code")})
    assert not [f for f in ids(justified) if f.startswith("excluded")]


def test_a_follow_up_counts_only_while_it_is_asked(mini_kb):
    asked = assess(mini_kb, "mini", {"scope": "yes", "audit": "no", "review": "yes", "audit_plan": NA})
    assert [b["id"] for b in finding(asked, "excluded-without-reason").because] == ["audit_plan"]
    not_asked = assess(mini_kb, "mini", {"scope": "yes", "audit": "yes", "review": "yes", "audit_plan": NA})
    assert not [f for f in ids(not_asked) if f.startswith("excluded")]


def test_the_brief_report_grades_the_same(mini_kb):
    answers = {"scope": NA, "audit": NA, "review": "yes"}
    full, brief = assess(mini_kb, "mini", answers), assess(mini_kb, "mini", answers, brief=True)
    assert ids(full) == ids(brief)
    assert full.verdict == brief.verdict and full.readiness == brief.readiness
    assert [f.title for f in findings_brief(mini_kb, "mini", ["excluded-stage1", "excluded-without-reason"])] == [
        "Excluded, blocks Stage 1",
        "Exclusion without a reason",
    ]


def test_the_plan_points_the_scope_findings_to_their_action(mini_kb):
    report = assess(mini_kb, "mini", {"scope": NA, "audit": "yes", "review": "yes"})
    actions = {item.id: item for item in report.plan}
    assert "excluded-stage1" in actions["correct-exclusions"].closes


# ---------------------------------------------------------------------------------------------- the shipped rules


GOOD = ROOT / "examples" / "company-near-ready.yaml"


def test_the_loophole_of_the_issue_is_closed_on_the_near_ready_example():
    """The issue's case: "not applicable" on policy, internal audit, management review and corrective action."""
    kb = load_knowledge_base(ROOT)
    answers = dict(parse_answer_file(GOOD.read_text(), kb).answers)
    assert assess(kb, "quick-scan", answers).verdict.level == "stage2"
    for question_id in ("quality_policy", "internal_audit_held", "management_review_held", "corrective_action"):
        answers[question_id] = NA
    report = assess(kb, "quick-scan", answers)
    assert report.verdict.level == "not_ready"
    majors = {c for f in report.findings if f.severity == "major" for c in f.clauses}
    assert {"4.3", "5.2.1", "9.2", "9.3.1", "10.2"} <= majors
    scope = finding(report, "exclusion-not-permitted-stage1")
    assert [b["id"] for b in scope.because] == [
        "quality_policy",
        "internal_audit_held",
        "management_review_held",
        "corrective_action",
    ]
    assert "{" not in scope.explanation + scope.recommendation
    assert "5.2.1, 9.2, 9.3.1, 9.3.2, 9.3.3 and 10.2 apply to every organisation" in scope.explanation
    for clause in ("5.2.1", "9.2", "9.3.1", "10.2"):
        assert report.readiness.clause(clause).score <= 25  # graded, not left out
