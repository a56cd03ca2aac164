"""An independent, deliberately naive evaluator of the rule format: the oracle the tests hold the durable-rules
engine to, and the baseline `make bench` times it against.

It shares nothing with app/engine but the parsed knowledge base: its own condition semantics, its own
stratification, a plain fixpoint loop. If both agree on thousands of random answer sets, the engine's compilation,
negation gates and bucket layout are right.
"""

from __future__ import annotations

from ..knowledge.model import AnswerTest, FactTest, Group


def holds(condition, answers: dict, facts: set) -> bool:
    if isinstance(condition, FactTest):
        return condition.fact in facts
    if isinstance(condition, AnswerTest):
        return _answer(condition, answers)
    group: Group = condition
    if not all(holds(c, answers, facts) for c in group.all):
        return False
    if group.any and not any(holds(c, answers, facts) for c in group.any):
        return False
    return not any(holds(c, answers, facts) for c in group.none)


def _answer(test: AnswerTest, answers: dict) -> bool:
    present = test.question in answers
    if test.op == "answered":
        return present
    if test.op == "unanswered":
        return not present
    if not present:
        return False
    value = answers[test.question]
    if test.op == "eq":
        return value == test.value
    if test.op == "neq":
        return value != test.value
    if test.op == "in":
        return any(value == v for v in test.value)
    if test.op == "contains":
        if test.value == "dont_know":
            return value == "dont_know"
        return isinstance(value, list) and test.value in value
    numeric = isinstance(value, int | float) and not isinstance(value, bool)
    if not numeric:
        return False
    if test.op == "lt":
        return value < test.value
    if test.op == "lte":
        return value <= test.value
    if test.op == "gt":
        return value > test.value
    return value >= test.value


def _levels(rules) -> dict[str, int]:
    """Stratum of every rule: 1 + the stratum of any fact it excludes, at least that of facts it requires."""
    fact_level: dict[str, int] = {}
    rule_level = {r.id: 0 for r in rules}
    for _ in range(len(rules) + 2):
        for rule in rules:
            level = 0
            for part in rule.when.all:
                if isinstance(part, FactTest):
                    level = max(level, fact_level.get(part.fact, 0))
            for part in rule.when.none:
                if isinstance(part, FactTest):
                    level = max(level, fact_level.get(part.fact, 0) + 1)
            rule_level[rule.id] = level
            for fact in rule.derive:
                fact_level[fact] = max(fact_level.get(fact, 0), level)
    return rule_level


def reference_evaluate(kb, questionnaire_id: str, answers: dict) -> dict:
    questionnaire = kb.questionnaire(questionnaire_id)
    rules = kb.ruleset_for(questionnaire_id).rules
    follow_ups = {q for r in rules for q in r.ask}
    levels = _levels(rules)
    current = {q: v for q, v in answers.items() if questionnaire.has_question(q)}
    ignored: set[str] = set()
    while True:
        facts: set[str] = set()
        for level in range(max(levels.values(), default=0) + 1):
            changed = True
            while changed:
                changed = False
                for rule in rules:
                    if levels[rule.id] <= level and holds(rule.when, current, facts):
                        new = set(rule.derive) - facts
                        if new:
                            facts |= new
                            changed = True
        fired = [r for r in rules if holds(r.when, current, facts)]
        asked = {q for r in fired for q in r.ask}
        drop = {q for q in current if q in follow_ups and q not in asked}
        if not drop:
            break
        ignored |= drop
        for q in drop:
            del current[q]
    return {
        "fired": sorted(r.id for r in fired if not r.generated),
        "facts": sorted(facts),
        "asked": sorted(asked),
        "ignored": sorted(ignored),
    }
