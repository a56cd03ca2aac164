"""Stratification of rules by negation.

A rule that requires the absence of a derived fact may only be evaluated once every rule that could derive that
fact has finished. Facts get a stratum (how many negations lie below them); a rule's stratum is the lowest one at
which everything it tests is final. A fact that depends on its own absence has no stratum: that is a cycle through
negation, and the knowledge base is refused.
"""

from __future__ import annotations

from .model import FactTest, Rule


class NegationCycle(ValueError):
    def __init__(self, facts: list[str]):
        self.facts = facts
        super().__init__("these facts depend on their own absence (a cycle through 'none'): " + ", ".join(facts))


def required_facts(rule: Rule) -> tuple[str, ...]:
    return tuple(c.fact for c in rule.when.all if isinstance(c, FactTest))


def excluded_facts(rule: Rule) -> tuple[str, ...]:
    return tuple(c.fact for c in rule.when.none if isinstance(c, FactTest))


def fact_strata(rules: tuple[Rule, ...] | list[Rule]) -> dict[str, int]:
    strata: dict[str, int] = {}
    for rule in rules:
        for fact in (*rule.derive, *required_facts(rule), *excluded_facts(rule)):
            strata.setdefault(fact, 0)
    limit = len(strata) + 1
    changed = True
    while changed:
        changed = False
        for rule in rules:
            level = rule_stratum(rule, strata)
            for fact in rule.derive:
                if strata[fact] < level:
                    strata[fact] = level
                    changed = True
                    if level > limit:
                        raise NegationCycle(sorted(f for f, s in strata.items() if s > limit - 1))
    return strata


def rule_stratum(rule: Rule, strata: dict[str, int]) -> int:
    levels = [strata.get(f, 0) for f in required_facts(rule)]
    levels += [strata.get(f, 0) + 1 for f in excluded_facts(rule)]
    return max(levels, default=0)
