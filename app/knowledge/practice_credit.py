"""A practice may claim to cover a clause in full only if no rule still finds a gap on that clause while it is in place.

A practice says when an organisation has it (`in_place:`, a condition on answers or facts). A rule on clause X
that can fire while the practice is in place shows a gap the practice leaves open on X (pull-request review is in
place, yet risky changes are not assessed for their impact: `risky-changes-unassessed` on 8.3.6), so the practice
covers X in part. `kb check` refuses the "full" credit, naming the rule; the rule usually recommends the practice
too, or what it lacks.
"""

from __future__ import annotations

import math

from .errors import Problem
from .grading import admitted_values, ways_to_fire
from .model import AnswerTest, Condition, FactTest, KnowledgeBase, Question, Rule, RuleSet, iter_leaves

PRACTICES_FILE = "rules/practices.yaml"
CHOICE_KINDS = ("yes_no", "single_choice")


def check_practice_credit(kb: KnowledgeBase, ruleset: RuleSet, questions: dict[str, Question]) -> list[Problem]:
    problems: list[Problem] = []
    for practice in kb.practices.values():
        if practice.in_place is None:
            continue
        in_place = list(ways_to_fire(practice.in_place))
        for i, link in enumerate(practice.clauses):
            if link.relationship != "full":
                continue
            for rule in ruleset.rules:
                if rule.finding is None or link.clause not in rule.finding.clauses:
                    continue
                if _fires_while_in_place(rule, in_place, questions):
                    recommends = " and recommends it" if practice.id in rule.finding.practices else ""
                    problems.append(
                        Problem(
                            PRACTICES_FILE,
                            practice.id,
                            f"clauses[{i}].relationship",
                            f"a full credit for {link.clause}, but rule {rule.id} ({rule.file}) still raises a gap "
                            f"on {link.clause} while the practice is in place{recommends}: the practice covers "
                            f"{link.clause} in part; make it partial and say in the rationale what it leaves out",
                        )
                    )
    return problems


def check_in_place_names(kb: KnowledgeBase) -> list[Problem]:
    """Every question and fact an `in_place` condition names exists somewhere in the knowledge base."""
    question_ids = {q.id for qn in kb.questionnaires.values() for q in qn.questions}
    fact_ids = {f for rs in kb.rulesets.values() for f in rs.facts}
    problems = []
    for practice in kb.practices.values():
        if practice.in_place is None:
            continue
        for leaf in iter_leaves(practice.in_place):
            if isinstance(leaf, AnswerTest) and leaf.question not in question_ids:
                problems.append(Problem(PRACTICES_FILE, practice.id, "in_place", f"unknown question '{leaf.question}'"))
            if isinstance(leaf, FactTest) and leaf.fact not in fact_ids:
                problems.append(Problem(PRACTICES_FILE, practice.id, "in_place", f"unknown fact '{leaf.fact}'"))
    return problems


def _fires_while_in_place(rule: Rule, in_place: list[tuple[Condition, ...]], questions: dict[str, Question]) -> bool:
    """True when some way the rule fires holds together with some way the practice is shown to be in place, and
    says so: it needs the practice's fact, or admits an in-place answer to the practice's question."""
    for way in ways_to_fire(rule.when):
        for shown in in_place:
            if all(_leaf_met(leaf, way, questions) for leaf in shown):
                return True
    return False


def _leaf_met(leaf: Condition, way: tuple[Condition, ...], questions: dict[str, Question]) -> bool:
    if isinstance(leaf, FactTest):
        return leaf in way
    if not isinstance(leaf, AnswerTest) or leaf.question not in questions:
        return False
    tests = [t for t in way if isinstance(t, AnswerTest) and t.question == leaf.question]
    return bool(tests) and _compatible(questions[leaf.question], [leaf, *tests])


def _compatible(question: Question, tests: list[AnswerTest]) -> bool:
    """Some answer passes every test."""
    if question.kind == "multiple_choice":
        # Ticked options do not exclude each other: each test needs only some answer of its own.
        return all(admitted_values(question, test) for test in tests)
    if question.kind in CHOICE_KINDS:
        admitted = admitted_values(question, tests[0])
        for test in tests[1:]:
            admitted &= admitted_values(question, test)
        return bool(admitted)
    if question.kind in ("scale", "number"):
        low, high = -math.inf, math.inf
        for test in tests:
            a, b = _interval(test)
            low, high = max(low, a), min(high, b)
        return low <= high
    return True


def _interval(test: AnswerTest) -> tuple[float, float]:
    value = test.value
    if test.op == "eq" and not isinstance(value, str):
        return value, value
    if test.op == "in":
        numbers = [v for v in value if not isinstance(v, str)]
        return (min(numbers), max(numbers)) if numbers else (-math.inf, math.inf)
    bounds = {
        "lt": (-math.inf, value - 1e-9) if isinstance(value, (int, float)) else None,
        "lte": (-math.inf, value) if isinstance(value, (int, float)) else None,
        "gt": (value + 1e-9, math.inf) if isinstance(value, (int, float)) else None,
        "gte": (value, math.inf) if isinstance(value, (int, float)) else None,
    }
    return bounds.get(test.op) or (-math.inf, math.inf)
