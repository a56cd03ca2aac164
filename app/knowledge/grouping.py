"""Checks on the two ways the knowledge base groups things: findings that merge into one (`merges_into`) and
actions bundled into one with steps (`steps`).

Both exist so that one gap reads as one finding and one purpose as one action; both are refused where they would
hide something: a merge into a rule that does not exist or has no finding, a merge that loops, a merge between
clauses that have nothing to do with each other; a step that is no action, an action that is a step of two bundles,
a bundle inside a bundle.
"""

from __future__ import annotations

from .errors import Problem
from .model import KnowledgeBase, RuleSet

MERGES_INTO = "then.finding.merges_into"


def check_grouping(kb: KnowledgeBase, ruleset: RuleSet) -> list[Problem]:
    return _check_merges(kb, ruleset) + _check_bundles(ruleset)


def related_clauses(a: str, b: str, dependencies: set[tuple[str, str]]) -> bool:
    """Whether a finding on clause `a` may be merged with one on clause `b`: the same clause, the same clause group
    (the standard's chapter), or one is a direct prerequisite of the other in the catalogue."""
    return a == b or a.split(".")[0] == b.split(".")[0] or (a, b) in dependencies or (b, a) in dependencies


def _check_merges(kb: KnowledgeBase, ruleset: RuleSet) -> list[Problem]:
    problems: list[Problem] = []
    rules = {r.id: r for r in ruleset.rules if not r.generated}
    dependencies = {
        pair
        for q in kb.questionnaires.values()
        if q.rules == ruleset.id
        for pair in kb.catalogue_for(q.id).dependencies
    }
    targets: dict[str, str] = {}
    for rule in rules.values():
        target_id = rule.finding.merges_into if rule.finding else None
        if target_id is None:
            continue
        target = rules.get(target_id)
        if target_id == rule.id:
            problems.append(Problem(rule.file, rule.id, MERGES_INTO, "a finding cannot merge into itself"))
        elif target is None:
            problems.append(Problem(rule.file, rule.id, MERGES_INTO, f"unknown rule '{target_id}'"))
        elif target.finding is None:
            problems.append(Problem(rule.file, rule.id, MERGES_INTO, f"rule '{target_id}' raises no finding"))
        elif not any(related_clauses(a, b, dependencies) for a in rule.finding.clauses for b in target.finding.clauses):
            problems.append(
                Problem(
                    rule.file,
                    rule.id,
                    MERGES_INTO,
                    f"clauses {', '.join(rule.finding.clauses)} are unrelated to those of '{target_id}' "
                    f"({', '.join(target.finding.clauses)}): merge only findings on the same gap",
                )
            )
        else:
            targets[rule.id] = target_id
    reported: set[str] = set()
    for start in sorted(targets):
        chain = [start]
        while chain[-1] in targets and targets[chain[-1]] not in chain:
            chain.append(targets[chain[-1]])
        if chain[-1] in targets and not reported.intersection(chain):
            loop = chain[chain.index(targets[chain[-1]]) :] + [targets[chain[-1]]]
            reported.update(loop)
            rule = rules[loop[0]]
            problems.append(
                Problem(rule.file, rule.id, MERGES_INTO, "findings merge into each other: " + " -> ".join(loop))
            )
    return problems


def _check_bundles(ruleset: RuleSet) -> list[Problem]:
    problems: list[Problem] = []
    file = f"rules/{ruleset.id}"
    bundle_of: dict[str, str] = {}
    for action in ruleset.actions.values():
        for step in action.steps:
            other = ruleset.actions.get(step)
            if step == action.id:
                problems.append(Problem(file, action.id, "steps", "an action cannot be a step of itself"))
            elif other is None:
                problems.append(Problem(file, action.id, "steps", f"unknown action '{step}'"))
            elif other.steps:
                problems.append(
                    Problem(file, action.id, "steps", f"'{step}' is a bundle itself: list its steps here instead")
                )
            elif step in bundle_of:
                problems.append(Problem(file, action.id, "steps", f"'{step}' is already a step of '{bundle_of[step]}'"))
            else:
                bundle_of[step] = action.id
    return problems
