"""The verdict: not ready, ready for Stage 1, or ready for Stage 2, with what stands in the way of the next step."""

from __future__ import annotations

from typing import Any

from ..knowledge.model import Catalogue, FindingSpec
from .plan import clause_sort_key

LEVELS = {"not_ready": "Not ready", "stage1": "Ready for Stage 1", "stage2": "Ready for Stage 2"}


def verdict(
    catalogue: Catalogue, findings: list[tuple[str, FindingSpec]], assessed_clauses: set[str]
) -> dict[str, Any]:
    """`assessed_clauses`: clauses with at least one real answer (not "don't know", not "not applicable")."""
    blocking: dict[str, list[dict[str, Any]]] = {"stage1": [], "stage2": []}
    for finding_id, spec in findings:
        stage = spec.blocks if spec.blocks != "none" else ("stage2" if spec.severity == "major" else None)
        if stage:
            blocking[stage].append(
                {
                    "finding": finding_id,
                    "title": spec.title,
                    "severity": spec.severity,
                    "clauses": sorted(spec.clauses, key=clause_sort_key),
                }
            )
    for gate in catalogue.gates:
        clauses = sorted((c.id for c in catalogue.clauses if c.gate == gate.id), key=clause_sort_key)
        if gate.required and clauses and not assessed_clauses.intersection(clauses):
            blocking[gate.blocks].append(
                {
                    "gate": gate.id,
                    "title": f"Not assessed yet: {gate.title}",
                    "clauses": clauses,
                }
            )
    level = "not_ready" if blocking["stage1"] else "stage1" if blocking["stage2"] else "stage2"
    blockers = blocking["stage1"] if level == "not_ready" else blocking["stage2"] if level == "stage1" else []
    return {"level": level, "label": LEVELS[level], "blockers": blockers}
