"""One finding per gap: findings whose rules declare `merges_into` are folded into the finding they name.

Several rules often fire on one missing thing (no objectives, so no measurement history and no analysis); an
auditor writes that up once, with every piece of evidence. A merged finding keeps the target's wording, the
highest severity and the strongest `blocks` of the group, the union of the clauses graded at that severity, and
says which rules it merged, so nothing the engine found is lost. A rule whose target did not fire, and whose
target's target did not either, stands as a finding of its own.

Pure: the engine and its provenance are untouched; this runs on what fired.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

from ..knowledge.model import BLOCKS, SEVERITIES, FindingSpec


@dataclass(frozen=True)
class MergedGroup:
    """The finding that stands for a gap: the target's id, the combined spec, the target's own spec, and the rules
    folded into it, each with its own spec."""

    id: str
    spec: FindingSpec
    own: FindingSpec
    merged: tuple[tuple[str, FindingSpec], ...] = ()

    @property
    def members(self) -> tuple[tuple[str, FindingSpec], ...]:
        """Every rule behind this finding, the target first."""
        return ((self.id, self.own), *self.merged)


def merge_findings(findings: list[tuple[str, FindingSpec]], specs: Mapping[str, FindingSpec]) -> list[MergedGroup]:
    """`findings`: what fired, as (rule id, spec) in report order; `specs`: every rule's finding, to follow a
    `merges_into` chain through rules that did not fire. The groups in the order of their targets."""
    fired = dict(findings)
    targets = {finding_id: _target(finding_id, fired, specs) for finding_id in fired}
    merged: dict[str, list[tuple[str, FindingSpec]]] = {}
    for finding_id, spec in findings:
        if targets[finding_id] != finding_id:
            merged.setdefault(targets[finding_id], []).append((finding_id, spec))
    return [
        MergedGroup(finding_id, _combined(spec, merged.get(finding_id, [])), spec, tuple(merged.get(finding_id, ())))
        for finding_id, spec in findings
        if targets[finding_id] == finding_id
    ]


def _target(finding_id: str, fired: Mapping[str, FindingSpec], specs: Mapping[str, FindingSpec]) -> str:
    """The last rule up the `merges_into` chain that fired (the chain may pass through rules that did not); the
    finding itself when none did, or when the chain loops (kb check refuses that, a broken file must not lose a
    finding)."""
    target, seen = finding_id, {finding_id}
    current = _spec(finding_id, fired, specs).merges_into
    while current is not None:
        if current in seen:
            return finding_id
        seen.add(current)
        if current in fired:
            target = current
        spec = _spec(current, fired, specs)
        current = spec.merges_into if spec is not None else None
    return target


def _spec(finding_id: str, fired: Mapping[str, FindingSpec], specs: Mapping[str, FindingSpec]) -> FindingSpec | None:
    return fired.get(finding_id) or specs.get(finding_id)


def _combined(spec: FindingSpec, merged: list[tuple[str, FindingSpec]]) -> FindingSpec:
    if not merged:
        return spec
    specs = [spec, *(s for _, s in merged)]
    severity = min((s.severity for s in specs), key=SEVERITIES.index)
    # A clause carries the merged grade only where a rule graded it so: a minor on 8.7 folded into a major on 10.2
    # does not make 8.7 a major (it stays visible among the merged rules).
    clauses = [spec.clauses] + [s.clauses for s in specs if s.severity == severity]
    return replace(
        spec,
        severity=severity,
        blocks=min((s.blocks for s in specs), key=BLOCKS.index),
        clauses=tuple(dict.fromkeys(c for group in clauses for c in group)),
    )
