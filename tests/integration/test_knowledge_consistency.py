"""The shipped knowledge base holds together: the quick scan and the full assessment speak one vocabulary.

Validation (tests/unit/test_knowledge_validation.py) refuses a broken knowledge base; these tests check what a
valid one must still get right as content: a question shared by two questionnaires means the same thing in both,
the quick scan's conclusions use the shared facts and actions, the full assessment covers every clause, and every
finding says which practice answers it and what evidence an auditor would look for.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from app.config import PROJECT_ROOT
from app.knowledge.model import FactTest, disputed_question, iter_leaves

QUICK = "quick-scan"
FULL = "iso9001-software"
SHARED_DIR = PROJECT_ROOT / "rules" / "shared"


def shared_vocabulary() -> dict[str, set[str]]:
    """Fact, action and suggestion ids declared in rules/shared/*.yaml, read straight from the files."""
    vocabulary: dict[str, set[str]] = {"facts": set(), "actions": set(), "suggestions": set()}
    for path in sorted(Path(SHARED_DIR).glob("*.yaml")):
        data = yaml.safe_load(path.read_text()) or {}
        for kind, ids in vocabulary.items():
            ids.update(item["id"] for item in data.get(kind) or [])
    return vocabulary


def written_rules(kb, questionnaire_id: str):
    """The rules written in the rule files (not the ones the loader makes from a question's `when:`)."""
    return [r for r in kb.ruleset_for(questionnaire_id).rules if not r.generated]


def findings(kb):
    for ruleset in kb.rulesets.values():
        for rule in ruleset.rules:
            if rule.finding is not None:
                yield ruleset.id, rule


def test_questions_in_both_questionnaires_mean_the_same(real_kb):
    quick = {q.id: q for q in real_kb.questionnaire(QUICK).questions}
    full = {q.id: q for q in real_kb.questionnaire(FULL).questions}
    shared = sorted(quick.keys() & full.keys())
    assert len(shared) >= 20  # the profile and the core questions are asked in both
    for qid in shared:
        a, b = quick[qid], full[qid]
        assert a.kind == b.kind, qid
        assert set(a.allowed_values()) == set(b.allowed_values()), qid
        assert (a.min, a.max) == (b.min, b.max), qid
        if a.kind == "scale":
            assert len(a.labels) == len(b.labels), qid


def test_quick_scan_rules_use_only_the_shared_vocabulary(real_kb):
    vocabulary = shared_vocabulary()
    facts, actions, suggestions = set(), set(), set()
    for rule in written_rules(real_kb, QUICK):
        facts.update(rule.derive)
        facts.update(
            leaf.fact
            for leaf in iter_leaves(rule.when)
            if isinstance(leaf, FactTest) and disputed_question(leaf.fact) is None  # inputs, not vocabulary
        )
        suggestions.update(rule.suggest)
        if rule.finding is not None:
            actions.add(rule.finding.action)
    assert facts and actions
    assert facts - vocabulary["facts"] == set()
    assert actions - vocabulary["actions"] == set()
    assert suggestions - vocabulary["suggestions"] == set()
    # An action's prerequisites must exist for every questionnaire too.
    ruleset = real_kb.ruleset_for(QUICK)
    for action_id in actions:
        assert set(ruleset.actions[action_id].depends_on) <= vocabulary["actions"], action_id


def test_the_shared_vocabulary_is_used_by_the_full_assessment_too(real_kb):
    """What the quick scan concludes, the full assessment can conclude as well, under the same names."""
    quick_facts = set()
    for rule in written_rules(real_kb, QUICK):
        quick_facts.update(rule.derive)
    full_facts = set()
    for rule in written_rules(real_kb, FULL):
        full_facts.update(rule.derive)
    assert quick_facts <= full_facts


def test_every_clause_is_asked_about_and_graded_by_the_full_assessment(real_kb):
    clauses = [c.id for c in real_kb.catalogue_for(FULL).clauses]
    assert len(clauses) == 56
    asked = {c for q in real_kb.questionnaire(FULL).questions for c in q.clauses}
    graded = {c for r in written_rules(real_kb, FULL) if r.finding is not None for c in r.finding.clauses}
    assert [c for c in clauses if c not in asked] == []
    assert [c for c in clauses if c not in graded] == []


def test_the_full_assessment_is_big_enough(real_kb):
    assert len(real_kb.questionnaire(FULL).questions) >= 100
    assert len(written_rules(real_kb, FULL)) >= 150
    assert len(real_kb.practices) >= 40


@pytest.mark.parametrize("field", ["practices", "evidence"])
def test_every_finding_names_practices_and_evidence(real_kb, field):
    missing = [f"{ruleset}:{rule.id}" for ruleset, rule in findings(real_kb) if not getattr(rule.finding, field)]
    assert missing == []


def test_every_practice_a_finding_names_exists(real_kb):
    for ruleset, rule in findings(real_kb):
        for practice_id in rule.finding.practices:
            assert practice_id in real_kb.practices, f"{ruleset}:{rule.id} names {practice_id}"
