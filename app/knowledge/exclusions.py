"""Checks of the findings on exclusions (rules/shared/exclusions.yaml): every questionnaire's rules need them,
since any "not applicable" answer may raise one, and what they name must exist."""

from __future__ import annotations

import re

from .errors import Problem
from .model import KnowledgeBase, RuleSet

# The placeholders the texts of these findings may use (planning.exclusions fills them in).
PLACEHOLDERS = ("questions", "clauses")
_PLACEHOLDER = re.compile(r"\{([a-z][a-z0-9_]*)\}")
_REASON_PLACEHOLDERS = ("answer", "question")


def check_exclusions(kb: KnowledgeBase) -> list[Problem]:
    problems: list[Problem] = []
    for questionnaire in kb.questionnaires.values():
        ruleset = kb.rulesets.get(questionnaire.rules)
        catalogue = kb.catalogues.get(questionnaire.standard)
        if ruleset is None or catalogue is None:
            continue  # reported by cross_check
        problems += _check_ruleset(kb, ruleset, {c.id for c in catalogue.clauses})
    return sorted(set(problems))


def _check_ruleset(kb: KnowledgeBase, ruleset: RuleSet, clause_ids: set[str]) -> list[Problem]:
    exclusions = ruleset.exclusions
    if exclusions is None:
        where = f"rules/{ruleset.id}"
        return [Problem(where, "", "exclusions", "no findings on exclusions: add rules/shared/exclusions.yaml")]
    problems: list[Problem] = []
    rule_ids = {r.id for r in ruleset.rules}
    for finding_id, spec in exclusions.specs().items():
        found: list[tuple[str, str]] = []
        if finding_id in rule_ids:
            found.append(("id", "a rule has this id too"))
        found += [("clauses", f"no clause '{c}' in the catalogue") for c in spec.clauses if c not in clause_ids]
        found += [("practices", f"no practice '{p}'") for p in spec.practices if p not in kb.practices]
        if spec.action not in ruleset.actions:
            found.append(("action", f"no action '{spec.action}'"))
        for name in ("explanation", "recommendation"):
            for placeholder in _PLACEHOLDER.findall(getattr(spec, name)):
                if placeholder not in PLACEHOLDERS:
                    found.append((name, f"{{{placeholder}}}: these texts take only {{questions}} and {{clauses}}"))
        problems += [Problem(exclusions.file, finding_id, field, message) for field, message in found]
    reasons = (
        ("not_permitted.reason", exclusions.not_permitted_reason),
        ("unjustified.reason", exclusions.unjustified_reason),
    )
    for field, reason in reasons:
        for placeholder in _PLACEHOLDER.findall(reason):
            if placeholder not in _REASON_PLACEHOLDERS:
                message = f"{{{placeholder}}}: a reason takes only {{answer}} and {{question}}"
                problems.append(Problem(exclusions.file, "", field, message))
    return problems
