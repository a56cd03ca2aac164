"""`kb check` holds every finding to the grading model of docs/knowledge-base.md ("Grading findings").

Each refusal is shown on a tiny knowledge base that is valid except for the one rule under test, next to the
grade the model allows for the same gap, so the test fails if the check goes missing or grows too eager.
"""

from __future__ import annotations

import copy

import pytest

from app.engine import load_knowledge_base
from app.knowledge.errors import KnowledgeBaseInvalid
from app.knowledge.grading import check_grading
from app.knowledge.validate import _questions_of

from ..kbfactory import CATALOGUE, QUESTIONS, make_kb, rules_with

RULE_FILE = "rules/mini/rules.yaml"
# A single-choice question whose options carry maturity levels 0, 1 and 3, and a profile question.
PRACTICE = {
    "id": "delivery",
    "kind": "single_choice",
    "text": "How is work delivered?",
    "why": "Process.",
    "clauses": ["4.4"],
    "options": [
        {"value": "nothing", "label": "No agreed way", "level": 0},
        {"value": "in_heads", "label": "Known, not written", "level": 1},
        {"value": "written", "label": "Written and followed", "level": 3},
    ],
}
SECTOR = {
    "id": "regulated",
    "kind": "yes_no",
    "text": "Regulated?",
    "why": "Law.",
    "section": "profile",
}
QUESTIONS_PLUS = QUESTIONS + [PRACTICE, SECTOR]


def finding(**overrides) -> dict:
    base = {
        "clauses": ["9.2"],
        "severity": "major",
        "basis": "requirement",
        "requirement": "internal audits are held as planned",
        "title": "t",
        "explanation": "e",
        "recommendation": "r",
        "action": "hold-audit",
    }
    return {k: v for k, v in {**base, **overrides}.items() if v is not None}


def rule(when, **finding_overrides) -> dict:
    return {"id": "under-test", "when": when, "then": {"finding": finding(**finding_overrides)}}


def problems(tmp_path, when, **finding_overrides):
    kb_dir = make_kb(tmp_path, rules=rules_with(rule(when, **finding_overrides)), questions=QUESTIONS_PLUS)
    try:
        load_knowledge_base(kb_dir)
    except KnowledgeBaseInvalid as error:
        return error.problems
    return []


def only(tmp_path, when, **finding_overrides):
    found = problems(tmp_path, when, **finding_overrides)
    assert len(found) == 1, found
    assert (found[0].file, found[0].id) == (RULE_FILE, "under-test")
    return found[0]


def when(*tests, **groups) -> dict:
    return {"all": list(tests), **groups} if tests else groups


# ---------------------------------------------------------------------------------------------- basis


def test_a_finding_must_state_its_basis(tmp_path):
    problem = only(tmp_path, when({"q": "audit", "eq": "no"}), basis=None, requirement=None)
    assert problem.field == "then.finding.basis"


def test_a_requirement_finding_must_say_what_the_clause_requires(tmp_path):
    problem = only(tmp_path, when({"q": "audit", "eq": "no"}), requirement=None)
    assert problem.field == "then.finding.requirement" and "requires" in problem.message


def test_a_good_practice_finding_names_no_requirement(tmp_path):
    problem = only(tmp_path, when({"q": "audit", "eq": "no"}), severity="improvement", basis="good_practice")
    assert problem.field == "then.finding.requirement"


@pytest.mark.parametrize("severity", ["major", "minor"])
def test_a_good_practice_is_never_a_nonconformity(tmp_path, severity):
    problem = only(
        tmp_path, when({"q": "audit", "eq": "no"}), severity=severity, basis="good_practice", requirement=None
    )
    assert problem.field == "then.finding.severity"
    assert "good practice" in problem.message and severity in problem.message


@pytest.mark.parametrize("severity", ["observation", "improvement"])
def test_a_good_practice_may_be_an_observation_or_improvement(tmp_path, severity):
    graded = {"severity": severity, "basis": "good_practice", "requirement": None}
    assert problems(tmp_path, when({"q": "audit", "eq": "no"}), **graded) == []


# ---------------------------------------------------------------------------------------------- single-answer majors


@pytest.mark.parametrize(
    ("test", "shown"),
    [
        ({"q": "audit", "eq": "partly"}, "'audit' eq partly"),
        ({"q": "audit", "in": ["no", "partly"]}, "'audit' in [no, partly]"),
        ({"q": "audit", "in": ["no", "dont_know"]}, "'audit' in [no, dont_know]"),
        ({"q": "audit", "neq": "yes"}, "'audit' neq yes"),
        ({"q": "maturity", "lte": 2}, "'maturity' lte 2"),
        ({"q": "maturity", "eq": 1}, "'maturity' eq 1"),
        ({"q": "delivery", "eq": "in_heads"}, "'delivery' eq in_heads"),
        ({"q": "delivery", "in": ["nothing", "in_heads"]}, "'delivery' in [nothing, in_heads]"),
        ({"q": "tools", "contains": "wiki"}, "'tools' contains wiki"),
    ],
)
def test_a_major_on_one_answer_short_of_absence_is_refused(tmp_path, test, shown):
    problem = only(tmp_path, when(test))
    assert problem.field == "when"
    assert "outright absence" in problem.message and shown in problem.message


@pytest.mark.parametrize(
    "test",
    [
        {"q": "audit", "eq": "no"},
        {"q": "maturity", "eq": 0},
        {"q": "maturity", "lt": 1},
        {"q": "delivery", "eq": "nothing"},
    ],
)
def test_a_major_on_one_outright_absence_is_allowed(tmp_path, test):
    assert problems(tmp_path, when(test)) == []


def test_not_applicable_is_an_absence_only_where_the_clause_can_never_be_excluded(tmp_path):
    # 4.3 may never be declared not applicable in the mini catalogue; 9.2 may.
    never = when({"q": "scope", "in": ["no", "not_applicable"]})
    assert problems(tmp_path / "scope", never, clauses=["4.3"], blocks="stage1") == []
    problem = only(tmp_path / "audit", when({"q": "audit", "in": ["no", "not_applicable"]}))
    assert "'audit' in [no, not_applicable]" in problem.message


def test_the_same_partial_answer_may_raise_a_minor(tmp_path):
    assert problems(tmp_path, when({"q": "audit", "eq": "partly"}), severity="minor") == []


def test_a_major_built_on_several_answers_or_a_fact_is_allowed(tmp_path):
    two_answers = when({"q": "audit", "eq": "partly"}, {"q": "review", "eq": "partly"})
    assert problems(tmp_path / "answers", two_answers) == []
    fact_and_answer = when({"fact": "never_reviewed"}, {"q": "audit", "eq": "partly"})
    assert problems(tmp_path / "fact", fact_and_answer) == []


def test_a_profile_answer_is_not_a_second_piece_of_evidence(tmp_path):
    problem = only(tmp_path, when({"q": "regulated", "eq": "yes"}, {"q": "audit", "eq": "partly"}))
    assert problem.field == "when" and "'audit' eq partly" in problem.message


def test_a_major_on_profile_answers_alone_is_refused(tmp_path):
    problem = only(tmp_path, when({"q": "regulated", "eq": "yes"}))
    assert problem.field == "when" and "profile answers only" in problem.message and "outright" not in problem.message


def test_every_way_a_major_can_fire_is_checked(tmp_path):
    # The first branch of `any` is two answers; the second is one "partly" on its own, and is refused.
    either = when(
        any=[{"all": [{"q": "audit", "eq": "no"}, {"q": "review", "eq": "no"}]}, {"q": "audit", "eq": "partly"}]
    )
    problem = only(tmp_path, either)
    assert "'audit' eq partly" in problem.message


def test_a_none_part_is_no_evidence(tmp_path):
    problem = only(tmp_path, when({"q": "audit", "eq": "partly"}, none=[{"q": "review", "eq": "yes"}]))
    assert problem.field == "when"


# ---------------------------------------------------------------------------------------------- Stage 1 blockers


def test_only_a_stage1_gate_clause_can_block_stage1(tmp_path):
    # 9.2 feeds G6, a Stage 2 gate of the mini catalogue; 4.3 feeds G1, its Stage 1 gate.
    problem = only(tmp_path, when({"q": "audit", "eq": "no"}), blocks="stage1")
    assert problem.field == "then.finding.blocks"
    assert "4.3" in problem.message and "9.2" in problem.message


def test_a_stage1_blocker_on_a_gate_clause_is_allowed(tmp_path):
    assert problems(tmp_path / "one", when({"q": "scope", "eq": "no"}), clauses=["4.3"], blocks="stage1") == []
    assert problems(tmp_path / "two", when({"q": "scope", "eq": "no"}), clauses=["4.3", "4.4"], blocks="stage1") == []


def test_a_catalogue_without_stage1_gates_lets_nothing_block_stage1(tmp_path):
    catalogue = copy.deepcopy(CATALOGUE)
    catalogue["gates"] = [g for g in catalogue["gates"] if g["blocks"] != "stage1"]
    for clause in catalogue["clauses"]:
        if clause.get("gate") == "G1":
            del clause["gate"]
    with pytest.raises(KnowledgeBaseInvalid) as caught:
        load_knowledge_base(make_kb(tmp_path, catalogue=catalogue))
    assert [(p.id, p.field) for p in caught.value.problems] == [("no-scope", "then.finding.blocks")]


# ---------------------------------------------------------------------------------------------- the real KB


def test_the_shipped_knowledge_base_follows_the_grading_model(real_kb):
    for ruleset in real_kb.rulesets.values():
        questions, _ = _questions_of(real_kb, ruleset)
        assert check_grading(real_kb, ruleset, questions) == []
    findings = [r.finding for rs in real_kb.rulesets.values() for r in rs.rules if r.finding is not None]
    assert {f.basis for f in findings} == {"requirement", "good_practice"}
    assert all(f.requirement for f in findings if f.basis == "requirement")
