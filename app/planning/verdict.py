"""The verdict: not ready, ready for Stage 1, or ready for Stage 2, with what stands in the way of the next step."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..knowledge.model import Catalogue, FindingSpec
from .plan import clause_sort_key

LEVELS = {"not_ready": "Not ready", "stage1": "Ready for Stage 1", "stage2": "Ready for Stage 2"}


@dataclass(frozen=True, kw_only=True)
class Blocker:
    """A finding that blocks the next step, or a required gate of the catalogue nothing was answered for."""

    title: str
    clauses: tuple[str, ...]
    finding: str | None = None
    severity: str | None = None  # a finding's
    gate: str | None = None

    def to_dict(self) -> dict[str, Any]:
        if self.gate is not None:
            return {"gate": self.gate, "title": self.title, "clauses": list(self.clauses)}
        return {"finding": self.finding, "title": self.title, "severity": self.severity, "clauses": list(self.clauses)}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Blocker:
        return cls(
            title=data["title"],
            clauses=tuple(data.get("clauses", ())),
            finding=data.get("finding"),
            severity=data.get("severity"),
            gate=data.get("gate"),
        )


@dataclass(frozen=True)
class Verdict:
    level: str  # not_ready | stage1 | stage2
    label: str
    blockers: tuple[Blocker, ...] = ()

    @property
    def blocks_next(self) -> str | None:
        """The step the blockers stand in the way of."""
        return {"not_ready": "Stage 1", "stage1": "Stage 2"}.get(self.level)

    def to_dict(self) -> dict[str, Any]:
        return {"level": self.level, "label": self.label, "blockers": [b.to_dict() for b in self.blockers]}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Verdict:
        level = data["level"]
        blockers = tuple(Blocker.from_dict(b) for b in data.get("blockers", ()))
        return cls(level, data.get("label") or LEVELS[level], blockers)


def verdict(catalogue: Catalogue, findings: list[tuple[str, FindingSpec]], assessed_clauses: set[str]) -> Verdict:
    """`assessed_clauses`: clauses with at least one real answer (not "don't know", not "not applicable")."""
    blocking: dict[str, list[Blocker]] = {"stage1": [], "stage2": []}
    for finding_id, spec in findings:
        stage = spec.blocks if spec.blocks != "none" else ("stage2" if spec.severity == "major" else None)
        if stage:
            clauses = tuple(sorted(spec.clauses, key=clause_sort_key))
            blocking[stage].append(
                Blocker(title=spec.title, clauses=clauses, finding=finding_id, severity=spec.severity)
            )
    for gate in catalogue.gates:
        clauses = tuple(sorted((c.id for c in catalogue.clauses if c.gate == gate.id), key=clause_sort_key))
        if gate.required and clauses and not assessed_clauses.intersection(clauses):
            blocking[gate.blocks].append(
                Blocker(title=f"Not assessed yet: {gate.title}", clauses=clauses, gate=gate.id)
            )
    level = "not_ready" if blocking["stage1"] else "stage1" if blocking["stage2"] else "stage2"
    blockers = blocking["stage1"] if level == "not_ready" else blocking["stage2"] if level == "stage1" else []
    return Verdict(level, LEVELS[level], tuple(blockers))
