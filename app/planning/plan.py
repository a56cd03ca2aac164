"""The improvement plan: actions that close findings, ranked and put in phases.

Ranking, in this order: what blocks certification first (Stage 1 before Stage 2), then severity, then
dependencies (an action moves up to just before the first action that needs it), then effort (quick wins first).
Dependencies come from the actions themselves and from the clause catalogue (scope before processes, policy before
objectives, internal audit before management review).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..knowledge.model import EFFORTS, SEVERITY_LABELS, Action, Catalogue, FindingSpec
from .readiness import severity_rank

PHASES = ("before Stage 1", "before Stage 2", "continual improvement")
_BLOCK_RANK = {"stage1": 0, "stage2": 1, "none": 2}


@dataclass
class PlanItem:
    id: str
    title: str
    effort: str
    lead_time: bool
    kind: str  # nonconformity | improvement | evidence
    findings: list[tuple[str, FindingSpec]] = field(default_factory=list)
    clauses: list[str] = field(default_factory=list)
    explicit_deps: tuple[str, ...] = ()
    block_rank: int = 2
    severity: int = 3
    phase: int = 2
    depends_on: list[str] = field(default_factory=list)
    pulled_before: str | None = None

    def key(self) -> tuple:
        return (
            self.phase,
            self.block_rank,
            self.severity,
            EFFORTS.index(self.effort),
            not self.lead_time,
            self.id,
        )


def build_plan(
    catalogue: Catalogue,
    actions: dict[str, Action],
    findings: list[tuple[str, FindingSpec]],
    evidence_gaps: list[dict[str, Any]],
) -> list[dict[str, Any]]:
    """`findings` are (finding id, spec); `evidence_gaps` are don't-know answers: {question, text, clauses}."""
    items: dict[str, PlanItem] = {}
    for finding_id, spec in findings:
        action = actions[spec.action]
        item = items.get(action.id)
        if item is None:
            item = items[action.id] = PlanItem(
                action.id,
                action.title,
                action.effort,
                action.lead_time,
                "improvement",
                explicit_deps=action.depends_on,
            )
        item.findings.append((finding_id, spec))
        item.block_rank = min(item.block_rank, _BLOCK_RANK[spec.blocks])
        item.severity = min(item.severity, severity_rank(spec.severity))
        if spec.severity in ("major", "minor"):
            item.kind = "nonconformity"
        for clause in spec.clauses:
            if clause not in item.clauses:
                item.clauses.append(clause)
    for gap in evidence_gaps:
        item_id = f"find-out-{gap['question'].replace('_', '-')}"
        items[item_id] = PlanItem(
            item_id,
            f"Find out and record the evidence: {gap['text']}",
            "S",
            False,
            "evidence",
            clauses=list(gap["clauses"]),
            block_rank=1,
            severity=severity_rank("observation"),
        )
    for item in items.values():
        if item.kind == "evidence" or item.block_rank == 0:
            item.phase = 0
        elif item.block_rank == 1 or item.severity <= severity_rank("minor"):
            item.phase = 1
        else:
            item.phase = 2

    before = _clause_order(catalogue)
    for item in items.values():
        deps = [d for d in item.explicit_deps if d in items]
        for other in items.values():
            if other.id in deps or not _precedes(other, item, before):
                continue
            deps.append(other.id)
        item.depends_on = sorted(deps)
    _keep_direct_dependencies(items)
    # A prerequisite belongs in the same phase as the earliest action that needs it.
    changed = True
    while changed:
        changed = False
        for item in items.values():
            for dep in item.depends_on:
                if items[dep].phase > item.phase:
                    items[dep].phase = item.phase
                    items[dep].pulled_before = item.id
                    changed = True

    ordered: list[PlanItem] = []
    placed: set[str] = set()

    def place(item: PlanItem, visiting: set[str]) -> None:
        if item.id in placed or item.id in visiting:
            return
        visiting.add(item.id)
        for dep in sorted((items[d] for d in item.depends_on), key=PlanItem.key):
            if dep.id not in placed:
                dep.pulled_before = dep.pulled_before or item.id
                place(dep, visiting)
        placed.add(item.id)
        ordered.append(item)

    for item in sorted(items.values(), key=PlanItem.key):
        place(item, set())
    return [_as_dict(rank, item, items) for rank, item in enumerate(ordered, start=1)]


def _precedes(first: PlanItem, second: PlanItem, before: set[tuple[str, str]]) -> bool:
    """Whether the clauses `first` closes come before those of `second` in the catalogue, and never after.

    Only a nonconformity counts as a prerequisite: an observation on 4.1 must not overtake a major on 8.4 just
    because context comes before operation in the standard."""
    if first.id == second.id or first.kind != "nonconformity" or second.kind == "evidence":
        return False
    pairs = [(a, b) for a in first.clauses for b in second.clauses]
    return any(p in before for p in pairs) and not any((b, a) in before for a, b in pairs)


def _keep_direct_dependencies(items: dict[str, PlanItem]) -> None:
    """Drop a dependency that another dependency already implies: 'after A' rather than 'after A and A's A'."""

    def reachable(start: str, seen: set[str]) -> set[str]:
        for dep in items[start].depends_on:
            if dep not in seen:
                seen.add(dep)
                reachable(dep, seen)
        return seen

    implied = {item_id: reachable(item_id, set()) for item_id in items}
    for item in items.values():
        item.depends_on = [
            d for d in item.depends_on if not any(d in implied[other] for other in item.depends_on if other != d)
        ]


def _clause_order(catalogue: Catalogue) -> set[tuple[str, str]]:
    """Every (before, after) pair of the catalogue's dependencies, transitively closed."""
    pairs = set(catalogue.dependencies)
    changed = True
    while changed:
        changed = False
        for a, b in list(pairs):
            for c, d in list(pairs):
                if b == c and (a, d) not in pairs and a != d:
                    pairs.add((a, d))
                    changed = True
    return pairs


def _as_dict(rank: int, item: PlanItem, items: dict[str, PlanItem]) -> dict[str, Any]:
    return {
        "rank": rank,
        "id": item.id,
        "title": item.title,
        "phase": PHASES[item.phase],
        "kind": item.kind,
        "clauses": sorted(item.clauses, key=clause_sort_key),
        "closes": sorted(f for f, _ in item.findings),
        "effort": item.effort,
        "lead_time": item.lead_time,
        "depends_on": item.depends_on,
        "why": _why(item, items),
    }


def _why(item: PlanItem, items: dict[str, PlanItem]) -> str:
    parts = []
    if item.kind == "evidence":
        parts.append("you answered “don't know”: find the evidence before an auditor asks for it")
    else:
        if item.block_rank == 0:
            parts.append("blocks Stage 1")
        elif item.block_rank == 1:
            parts.append("blocks Stage 2")
        parts.append(SEVERITY_LABELS[("major", "minor", "observation", "improvement")[item.severity]].lower())
    if item.pulled_before and item.pulled_before in items and item.pulled_before in _dependants(item, items):
        parts.append(f"needed before “{items[item.pulled_before].title}”")
    if item.depends_on:
        parts.append("after " + ", ".join(f"“{items[d].title}”" for d in item.depends_on))
    parts.append(f"effort {item.effort}")
    if item.lead_time:
        parts.append("start early: the evidence needs time to build up")
    text = "; ".join(parts)
    return text[0].upper() + text[1:]


def _dependants(item: PlanItem, items: dict[str, PlanItem]) -> set[str]:
    return {other.id for other in items.values() if item.id in other.depends_on}


def clause_sort_key(clause_id: str) -> tuple[int, ...]:
    return tuple(int(part) for part in clause_id.split("."))
