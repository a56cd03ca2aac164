"""Readiness 0-100 per clause, per clause group and overall (the formula is in README.md, "Readiness")."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..knowledge.model import (
    DONT_KNOW,
    NOT_APPLICABLE,
    SEVERITIES,
    YES_NO_LEVELS,
    Catalogue,
    FindingSpec,
    Question,
)

# The highest readiness a clause can show while it carries a finding of this severity.
SEVERITY_CAPS = {"major": 25, "minor": 60, "observation": 85, "improvement": 100}
FORMULA = (
    "clause = 100 x sum(weight x credit) / sum(weight) over its answered questions, credit 1 at maturity 3+, "
    "0.5 at 2, 0 below ('don't know' counts as 1; 'not applicable' is left out unless the clause cannot be); "
    "then capped by its worst finding (major 25, minor 60, observation 85); "
    "group and overall = mean of assessed clauses, blocker clauses counted twice"
)


def maturity(question: Question, value: Any) -> int | None:
    """The maturity level 0-5 an answer shows, or None when it says nothing about maturity."""
    if value == DONT_KNOW:
        return 1
    if question.kind == "yes_no":
        return YES_NO_LEVELS.get(value)
    if question.kind == "scale":
        return value
    if question.kind == "single_choice":
        option = question.option(value)
        return option.level if option else None
    if question.kind == "multiple_choice":
        levels = [o.level for o in question.options if o.value in value and o.level is not None]
        return max(levels) if levels else None
    return None


def credit(level: int) -> float:
    return 1.0 if level >= 3 else 0.5 if level == 2 else 0.0


@dataclass(frozen=True)
class ClauseReadiness:
    clause: str
    score: int | None  # None: nothing answered and no finding, so not assessed
    answered: int
    cap: int | None
    not_applicable: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "score": self.score,
            "answered": self.answered,
            "capped_at": self.cap,
            "not_applicable": self.not_applicable,
        }

    @classmethod
    def from_dict(cls, clause: str, data: Mapping[str, Any]) -> ClauseReadiness:
        return cls(
            clause,
            data.get("score"),
            data.get("answered", 0),
            data.get("capped_at"),
            bool(data.get("not_applicable", False)),
        )


@dataclass(frozen=True)
class Readiness:
    overall: int | None
    groups: Mapping[str, int | None]
    clauses: Mapping[str, ClauseReadiness]
    formula: str = FORMULA  # as it was when the report was made (a stored report keeps its own)

    def clause(self, clause_id: str) -> ClauseReadiness:
        """A clause's readiness; a report made before the catalogue gained the clause has none (not assessed)."""
        return self.clauses.get(clause_id) or ClauseReadiness(clause_id, None, 0, None)

    def to_dict(self) -> dict[str, Any]:
        return {
            "overall": self.overall,
            "formula": self.formula,
            "groups": dict(self.groups),
            "clauses": {c: r.to_dict() for c, r in self.clauses.items()},
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Readiness:
        return cls(
            data.get("overall"),
            dict(data.get("groups", {})),
            {c: ClauseReadiness.from_dict(c, r) for c, r in data.get("clauses", {}).items()},
            data.get("formula", FORMULA),
        )


def readiness(
    catalogue: Catalogue,
    questions: list[Question],
    answers: Mapping[str, Any],
    findings: list[FindingSpec],
) -> Readiness:
    """Questions are the relevant ones only (follow-ups that are not asked do not count)."""
    sums: dict[str, list[float]] = {c.id: [0.0, 0.0, 0] for c in catalogue.clauses}
    na_only: dict[str, bool] = {}
    for question in questions:
        if not question.scored or question.id not in answers:
            continue
        value = answers[question.id]
        for clause_id in question.clauses:
            clause = catalogue.clause(clause_id)
            if value == NOT_APPLICABLE and clause.not_applicable != "never":
                na_only.setdefault(clause_id, True)
                continue
            level = 0 if value == NOT_APPLICABLE else maturity(question, value)
            if level is None:
                continue
            na_only[clause_id] = False
            entry = sums[clause_id]
            entry[0] += question.weight * credit(level)
            entry[1] += question.weight
            entry[2] += 1
    caps: dict[str, int] = {}
    for finding in findings:
        for clause_id in finding.clauses:
            cap = SEVERITY_CAPS[finding.severity]
            caps[clause_id] = min(caps.get(clause_id, 100), cap)

    clauses: dict[str, ClauseReadiness] = {}
    for clause in catalogue.clauses:
        got, possible, answered = sums[clause.id]
        cap = caps.get(clause.id)
        if possible:
            score = 100 * got / possible
        elif cap is not None:
            score = 100.0
        else:
            score = None
        if score is not None and cap is not None:
            score = min(score, cap)
        clauses[clause.id] = ClauseReadiness(
            clause.id,
            None if score is None else _round(score),
            int(answered),
            cap if cap is not None and cap < 100 else None,
            not_applicable=bool(na_only.get(clause.id)) and score is None,
        )
    weights = {c.id: 2 if c.weight == "blocker" else 1 for c in catalogue.clauses}
    groups = {
        group.id: _mean({c.id: clauses[c.id].score for c in catalogue.clauses if c.group == group.id}, weights)
        for group in catalogue.groups
    }
    overall = _mean({c: r.score for c, r in clauses.items()}, weights)
    return Readiness(overall, groups, clauses)


def _mean(scores: Mapping[str, int | None], weights: Mapping[str, int]) -> int | None:
    assessed = {c: s for c, s in scores.items() if s is not None}
    if not assessed:
        return None
    total = sum(weights[c] for c in assessed)
    return _round(sum(weights[c] * s for c, s in assessed.items()) / total)


def _round(value: float) -> int:
    return int(value + 0.5)


def severity_rank(severity: str) -> int:
    return SEVERITIES.index(severity)
