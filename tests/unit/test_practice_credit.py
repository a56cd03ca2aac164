"""`kb check` refuses a practice's "full" credit for a clause on which a rule still finds a gap while the practice
is in place (app/knowledge/practice_credit.py): such a practice covers the clause in part.

Each case is a tiny knowledge base (tests/kbfactory.py) where only the practice under test changes.
"""

from __future__ import annotations

import copy
import dataclasses

import pytest

from app.engine import load_knowledge_base
from app.knowledge.errors import KnowledgeBaseInvalid
from app.knowledge.practice_credit import check_practice_credit
from app.knowledge.validate import _questions_of

from ..kbfactory import PRACTICES, make_kb, rules_with


def practices_with(practice_id: str, in_place: dict, relationship: str = "full") -> dict:
    practices = copy.deepcopy(PRACTICES)
    for practice in practices["practices"]:
        if practice["id"] == practice_id:
            practice["in_place"] = in_place
            practice["clauses"][0]["relationship"] = relationship
    return practices


def problems(tmp_path, practices, rules=None):
    try:
        load_knowledge_base(make_kb(tmp_path, practices=practices, rules=rules))
    except KnowledgeBaseInvalid as error:
        return error.problems
    return []


def test_full_credit_is_refused_where_a_rule_finds_a_gap_with_the_practice_in_place(tmp_path):
    # audited-but-no-review (9.2) fires when the audit is held, so the audit programme leaves part of 9.2 open.
    found = problems(tmp_path, practices_with("internal-audit-programme", {"q": "audit", "eq": "yes"}))
    assert len(found) == 1, found
    problem = found[0]
    assert (problem.file, problem.id, problem.field) == (
        "rules/practices.yaml",
        "internal-audit-programme",
        "clauses[0].relationship",
    )
    assert "audited-but-no-review" in problem.message and "9.2" in problem.message
    assert "recommends" not in problem.message


def test_partial_credit_for_the_same_clause_is_accepted(tmp_path):
    assert problems(tmp_path, practices_with("internal-audit-programme", {"q": "audit", "eq": "yes"}, "partial")) == []


def test_a_rule_that_recommends_the_practice_it_already_has_is_named_so(tmp_path):
    rules = rules_with()
    gap = next(r for r in rules["rules"] if r["id"] == "audited-but-no-review")
    gap["then"]["finding"]["practices"] = ["internal-audit-programme"]
    found = problems(tmp_path, practices_with("internal-audit-programme", {"q": "audit", "eq": "yes"}), rules)
    assert [p.field for p in found] == ["clauses[0].relationship"]
    assert "recommends it" in found[0].message


def test_a_rule_that_fires_only_without_the_practice_leaves_the_full_credit(tmp_path):
    # no-scope recommends docs as code because there is no scope: once the practice is in place it cannot fire.
    assert problems(tmp_path, practices_with("docs-as-code", {"q": "scope", "eq": "yes"})) == []


def test_a_fact_shows_the_practice_in_place_and_excluded_facts_are_no_evidence(tmp_path):
    # never-checked needs never_reviewed; audited-but-no-review only requires its absence, so it is not counted.
    found = problems(tmp_path, practices_with("internal-audit-programme", {"fact": "never_reviewed"}))
    assert [(p.id, p.field) for p in found] == [("internal-audit-programme", "clauses[0].relationship")]
    assert "never-checked" in found[0].message


def test_in_place_must_name_known_questions_and_facts(tmp_path):
    in_place = {"any": [{"q": "no_such_question", "eq": "yes"}, {"fact": "no_such_fact"}]}
    found = problems(tmp_path, practices_with("docs-as-code", in_place))
    assert sorted(p.message for p in found if p.field == "in_place") == [
        "unknown fact 'no_such_fact'",
        "unknown question 'no_such_question'",
    ]


def test_pull_request_review_covers_change_control_in_part(real_kb):
    practice = real_kb.practices["pull-request-review"]
    link = next(c for c in practice.clauses if c.clause == "8.3.6")
    assert link.relationship == "partial"
    # Credited in full again, the check names the rules that still find a gap in 8.3.6 with reviews in place.
    full = dataclasses.replace(
        practice,
        clauses=tuple(dataclasses.replace(c, relationship="full") if c is link else c for c in practice.clauses),
    )
    kb = dataclasses.replace(real_kb, practices={**real_kb.practices, practice.id: full})
    ruleset = real_kb.ruleset_for("iso9001-software")
    questions, _ = _questions_of(kb, ruleset)
    found = check_practice_credit(kb, ruleset, questions)
    assert {p.id for p in found} == {"pull-request-review"}
    assert any("risky-changes-rest-on-pipeline" in p.message for p in found)


@pytest.mark.parametrize(
    ("practice_id", "clause"),
    [
        ("pull-request-review", "8.3.6"),
        ("sbom-provenance", "8.5.2"),
        ("backup-restore-drills", "8.5.4"),
        ("handbook-first", "7.1.6"),
        ("capacity-allocation", "7.1.1"),
        ("corrective-action-log", "10.2"),
    ],
)
def test_over_credited_practices_are_partial(real_kb, practice_id, clause):
    links = {c.clause: c.relationship for c in real_kb.practices[practice_id].clauses}
    assert links[clause] == "partial"
