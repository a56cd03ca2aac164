"""The improvement plan: actions that close findings, ranked and put in phases.

Actions that serve one purpose are bundled: an action of the knowledge base with `steps:` stands in the plan for
every one of its steps the findings need, shown as its steps in the order written there.

Ranking, in this order: an action that leads the plan first (`leads_plan`: containment of ongoing harm such as
false records, or a nonconformity the last audit raised still open), then what blocks certification (Stage 1
before Stage 2), then what decides the audit (a major, or a gap on a clause of a readiness gate) before the rest,
then severity, then the catalogue's gate order (scope, policy, objectives, processes, ... as an auditor reads
them), then dependencies (an action moves up to just before the first action that needs it), then effort (quick
wins first). Dependencies come from the actions themselves and from the clause catalogue (scope before processes,
policy before objectives, corrective action and internal audit before management review); an action off the gates
is never pulled in front of a major on a gate, not even because one of the major's bundled steps names it.

Answers that claim a practice an auditor will test against a record, with no record attached (planning.evidenced),
become "collect evidence" actions: one per clause group, the groups whose claims carry the most weight on mandatory
documented information first, at most MAX_EVIDENCE_ACTIONS. They close no finding (grading does not change) and
come after every action that closes a major: before Stage 1 for the documents Stage 1 reads (the clauses of its
gates), before Stage 2 for the records Stage 2 samples, and never in an earlier phase than a major.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from datetime import date
from functools import lru_cache
from typing import Any

from ..knowledge.model import EFFORTS, SEVERITY_LABELS, Action, Catalogue, FindingSpec
from .evidenced import Claim
from .readiness import severity_rank

PHASES = ("before Stage 1", "before Stage 2", "continual improvement")
_BLOCK_RANK = {"stage1": 0, "stage2": 1, "none": 2}
MAX_EVIDENCE_ACTIONS = 5  # a handful: the rest of the unevidenced claims are listed with the results
CLAIMS_NAMED = 4  # the records one evidence action names; the others are counted


@dataclass(frozen=True)
class PlanStep:
    """One step of a bundled action: an action of the knowledge base that serves the bundle's purpose."""

    id: str
    title: str
    clauses: tuple[str, ...] = ()
    closes: tuple[str, ...] = ()
    effort: str = "M"

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "clauses": list(self.clauses),
            "closes": list(self.closes),
            "effort": self.effort,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> PlanStep:
        return cls(
            data["id"],
            data.get("title", ""),
            tuple(data.get("clauses", ())),
            tuple(data.get("closes", ())),
            data.get("effort", "M"),
        )


@dataclass(frozen=True, kw_only=True)
class PlanItem:
    """One action of a report's plan, in rank order."""

    rank: int
    id: str
    title: str
    phase: str  # one of PHASES
    kind: str  # nonconformity | improvement | evidence
    clauses: tuple[str, ...]
    closes: tuple[str, ...]  # finding ids
    effort: str
    lead_time: bool
    depends_on: tuple[str, ...]
    why: str
    steps: tuple[PlanStep, ...] = ()  # a bundle's steps the findings need, in the order they are done

    def to_dict(self) -> dict[str, Any]:
        return {
            "rank": self.rank,
            "id": self.id,
            "title": self.title,
            "phase": self.phase,
            "kind": self.kind,
            "clauses": list(self.clauses),
            "closes": list(self.closes),
            "effort": self.effort,
            "lead_time": self.lead_time,
            "depends_on": list(self.depends_on),
            "why": self.why,
            "steps": [step.to_dict() for step in self.steps],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> PlanItem:
        return cls(
            rank=data["rank"],
            id=data["id"],
            title=data["title"],
            phase=data["phase"],
            kind=data.get("kind", "improvement"),
            clauses=tuple(data.get("clauses", ())),
            closes=tuple(data.get("closes", ())),
            effort=data.get("effort", "M"),
            lead_time=bool(data.get("lead_time", False)),
            depends_on=tuple(data.get("depends_on", ())),
            why=data.get("why", ""),
            steps=tuple(PlanStep.from_dict(step) for step in data.get("steps", ())),
        )

    def tracked(self, **tracking: Any) -> TrackedItem:
        """This action with its tracking (TrackedItem's own fields)."""
        return TrackedItem(**{f.name: getattr(self, f.name) for f in fields(PlanItem)}, **tracking)


@dataclass(frozen=True, kw_only=True)
class TrackedItem(PlanItem):
    """A plan action with how the organisation tracks it (status, owner, due date, notes)."""

    status: str = "todo"  # todo | doing | done | wont_do
    owner: str = ""
    due_date: str | None = None  # ISO date, as the API sends it
    notes: str = ""
    version: int = 0  # of the stored tracking row, 0 before anything was stored

    @property
    def due(self) -> date | None:
        return date.fromisoformat(self.due_date) if self.due_date else None

    def to_dict(self) -> dict[str, Any]:
        return {
            **super().to_dict(),
            "status": self.status,
            "owner": self.owner,
            "due_date": self.due_date,
            "notes": self.notes,
            "version": self.version,
        }


@dataclass(frozen=True)
class EvidenceGap:
    """A scored question answered "don't know": its evidence is to be found before an auditor asks."""

    question: str
    text: str
    clauses: tuple[str, ...]


@dataclass
class _Draft:
    """A plan action while it is ranked: everything the ranking reads, changed as the plan is worked out."""

    id: str
    title: str
    effort: str
    lead_time: bool
    kind: str  # nonconformity | improvement | evidence
    findings: list[tuple[str, FindingSpec]] = field(default_factory=list)
    clauses: list[str] = field(default_factory=list)
    explicit_deps: tuple[str, ...] = ()
    step_deps: tuple[str, ...] = ()  # prerequisites a bundle's steps name outside any bundle
    block_rank: int = 2
    severity: int = 3
    phase: int = 2
    depends_on: list[str] = field(default_factory=list)
    pulled_before: str | None = None
    steps: list[_Draft] = field(default_factory=list)
    leads_plan: bool = False  # containment or a repeat finding: first, whatever its clause
    gate_rank: int = 99  # the earliest readiness gate its clauses feed, in catalogue order
    collects: int | None = None  # an action collecting records of claims: the phase those records are read in
    reason: str = ""  # what the action is for, when neither a finding nor a "don't know" says it
    order: int = 0  # among evidence actions otherwise alike: the one on the weightiest claims first

    @property
    def on_gate(self) -> bool:
        return self.gate_rank != 99

    @property
    def decides(self) -> bool:
        """Whether this action decides the audit: it closes a major, or a nonconformity on a gate clause."""
        return self.kind == "nonconformity" and (self.severity == 0 or self.on_gate)

    def key(self) -> tuple:
        return (
            self.phase,
            not self.leads_plan,
            self.block_rank,
            not self.decides,
            self.severity,
            self.gate_rank,
            EFFORTS.index(self.effort),
            not self.lead_time,
            self.order,
            self.id,
        )


def build_plan(
    catalogue: Catalogue,
    actions: dict[str, Action],
    findings: list[tuple[str, FindingSpec]],
    evidence_gaps: list[EvidenceGap],
    unevidenced: list[Claim] | tuple[Claim, ...] = (),
) -> tuple[PlanItem, ...]:
    """`findings` are (finding id, spec), `evidence_gaps` the don't-know answers, `unevidenced` the claims without
    a record, most important first (planning.evidenced.claims); the plan in rank order."""
    items = _bundled(actions, _drafts_of_findings(actions, findings))
    items.update(_drafts_of_gaps(evidence_gaps))
    items.update(_drafts_of_claims(catalogue, unevidenced))
    gates = _gate_ranks(catalogue)
    for item in items.values():
        item.phase = _phase(item)
        if item.kind == "nonconformity":
            item.gate_rank = min((gates[c] for c in item.clauses if c in gates), default=99)
    _link_dependencies(items, _clause_order(catalogue))
    _pull_prerequisites(items)
    _after_majors(items)
    ordered = _in_order(items)
    return tuple(_item(rank, item, items) for rank, item in enumerate(ordered, start=1))


def _drafts_of_findings(actions: dict[str, Action], findings: list[tuple[str, FindingSpec]]) -> dict[str, _Draft]:
    """One action per action id the findings name, closing all of them."""
    items: dict[str, _Draft] = {}
    for finding_id, spec in findings:
        action = actions[spec.action]
        item = items.get(action.id)
        if item is None:
            item = items[action.id] = _Draft(
                action.id,
                action.title,
                action.effort,
                action.lead_time,
                "improvement",
                explicit_deps=action.depends_on,
                leads_plan=action.leads_plan,
            )
        item.findings.append((finding_id, spec))
        item.block_rank = min(item.block_rank, _BLOCK_RANK[spec.blocks])
        item.severity = min(item.severity, severity_rank(spec.severity))
        if spec.severity in ("major", "minor"):
            item.kind = "nonconformity"
        for clause in spec.clauses:
            if clause not in item.clauses:
                item.clauses.append(clause)
    return items


def _bundled(actions: dict[str, Action], items: dict[str, _Draft]) -> dict[str, _Draft]:
    """Each action that is a step of a bundle folded into the bundle's action: one purpose, one action."""
    bundle_of = {step: a.id for a in actions.values() for step in a.steps}
    out: dict[str, _Draft] = {}
    for item in items.values():
        bundle_id = bundle_of.get(item.id)
        if bundle_id is None:
            out.setdefault(item.id, item)
            continue
        bundle = actions[bundle_id]
        draft = out.get(bundle_id) or items.get(bundle_id)
        if draft is None:
            draft = _Draft(bundle.id, bundle.title, bundle.effort, bundle.lead_time, "improvement")
        out[bundle_id] = draft
        draft.explicit_deps = tuple(dict.fromkeys((*bundle.depends_on, *draft.explicit_deps)))
        draft.steps.append(item)
    for draft in out.values():
        if not draft.steps:
            continue
        position = {step: i for i, step in enumerate(actions[draft.id].steps)}
        draft.steps.sort(key=lambda step: position[step.id])
        for step in draft.steps:
            draft.findings += [f for f in step.findings if f not in draft.findings]
            draft.clauses += [c for c in step.clauses if c not in draft.clauses]
            draft.block_rank = min(draft.block_rank, step.block_rank)
            draft.severity = min(draft.severity, step.severity)
            draft.lead_time = draft.lead_time or step.lead_time
            if step.kind == "nonconformity":
                draft.kind = "nonconformity"
            # Between bundles, the order is what the bundle says: a step needing another bundle's step is not
            # allowed to turn that order round.
            deps = (d for d in step.explicit_deps if d not in bundle_of)
            draft.step_deps += tuple(d for d in deps if d != draft.id and d not in draft.step_deps)
    for item in out.values():
        if not item.steps:  # a single action that needs a step needs its bundle
            item.explicit_deps = tuple(dict.fromkeys(bundle_of.get(d, d) for d in item.explicit_deps))
    return out


def _gate_ranks(catalogue: Catalogue) -> dict[str, int]:
    """Each gate clause with its gate's position in the catalogue: the order in which an auditor reads them."""
    order = {gate.id: i for i, gate in enumerate(catalogue.gates)}
    return {c.id: order[c.gate] for c in catalogue.clauses if c.gate in order}


def _drafts_of_gaps(evidence_gaps: list[EvidenceGap]) -> dict[str, _Draft]:
    items = {}
    for gap in evidence_gaps:
        item_id = f"find-out-{gap.question.replace('_', '-')}"
        items[item_id] = _Draft(
            item_id,
            f"Find out and record the evidence: {gap.text}",
            "S",
            False,
            "evidence",
            clauses=list(gap.clauses),
            block_rank=1,
            severity=severity_rank("observation"),
        )
    return items


def _drafts_of_claims(catalogue: Catalogue, unevidenced: list[Claim] | tuple[Claim, ...]) -> dict[str, _Draft]:
    """One "collect evidence" action per clause group of the claims without a record, the groups that carry the
    most weight of mandatory documented information first, then the most weight of the others."""
    groups = {g.id: g for g in catalogue.groups}
    by_group: dict[str, list[Claim]] = {}
    for claim in unevidenced:
        clause = _known_clause(catalogue, claim.clause)
        if clause is not None and clause.group in groups:
            by_group.setdefault(clause.group, []).append(claim)
    order = [g.id for g in catalogue.groups]

    def weight(group_id: str) -> tuple[int, int, int]:
        found = by_group[group_id]
        return (
            -sum(c.weight for c in found if c.mandatory),
            -sum(c.weight for c in found if not c.mandatory),
            order.index(group_id),
        )

    stage1 = {g.id for g in catalogue.gates if g.blocks == "stage1"}
    items = {}
    for n, group_id in enumerate(sorted(by_group, key=weight)[:MAX_EVIDENCE_ACTIONS]):
        found = by_group[group_id]
        clauses = list(dict.fromkeys(c for claim in found for c in claim.clauses))
        read_at_stage1 = any(getattr(_known_clause(catalogue, c), "gate", None) in stage1 for c in clauses)
        item_id = f"collect-evidence-{group_id.replace('.', '-')}"
        items[item_id] = _Draft(
            item_id,
            f"Collect evidence for what you claim in {groups[group_id].title}",
            "S",
            False,
            "evidence",
            clauses=clauses,
            block_rank=_BLOCK_RANK["none"],  # missing evidence blocks nothing by itself: the findings say what does
            severity=severity_rank("observation"),
            collects=0 if read_at_stage1 else 1,
            reason=_claims_reason(found, 0 if read_at_stage1 else 1),
            order=n,
        )
    return items


def _claims_reason(found: list[Claim], phase: int) -> str:
    named = "; ".join(f"{c.record} ({c.clause})" if c.record else c.clause for c in found[:CLAIMS_NAMED])
    more = len(found) - CLAIMS_NAMED
    when = "Stage 1 reads these documents" if phase == 0 else "Stage 2 samples these records"
    return (
        f"{len(found)} of your answers {'claims' if len(found) == 1 else 'claim'} a practice an auditor will test "
        f"against a record, and no record is attached yet. {when}: show {named}"
        f"{f'; and {more} more' if more > 0 else ''}. Most come straight out of the tools the team already works "
        "in (the repository, the pipeline, the tracker, the wiki): attach each to its answer as a file, a link or a "
        "repository reference. Until then these answers count as “don't know” in the evidenced readiness; the "
        "claimed readiness and the findings do not change"
    )


def _known_clause(catalogue: Catalogue, clause_id: str):
    try:
        return catalogue.clause(clause_id)
    except KeyError:
        return None


def _after_majors(items: dict[str, _Draft]) -> None:
    """Collecting the records of claims waits for closing the majors: never in an earlier phase than one (in its
    phase its key puts it after them: it decides nothing and blocks nothing)."""
    majors = [i.phase for i in items.values() if i.kind == "nonconformity" and i.severity == severity_rank("major")]
    latest = max(majors, default=0)
    for item in items.values():
        if item.collects is not None:
            item.phase = max(item.collects, latest)


def _phase(item: _Draft) -> int:
    if item.collects is not None:
        return item.collects
    if item.kind == "evidence" or item.block_rank == 0 or item.leads_plan:
        return 0
    if item.block_rank == 1 or item.severity <= severity_rank("minor"):
        return 1
    return 2


def _link_dependencies(items: dict[str, _Draft], before: set[tuple[str, str]]) -> None:
    """Each action's prerequisites: the ones it names, and those whose clauses come first in the catalogue."""
    for item in items.values():
        deps = [d for d in item.explicit_deps if d in items]
        deps += [d for d in item.step_deps if d in items and d not in deps and not _spares(items[d], item)]
        for other in items.values():
            if other.id in deps or not _precedes(other, item, before):
                continue
            deps.append(other.id)
        item.depends_on = [] if item.leads_plan else sorted(deps)  # what leads the plan waits for nothing
    _keep_direct_dependencies(items)


def _spares(step_prerequisite: _Draft, bundle: _Draft) -> bool:
    """Whether a bundle can start without what one of its steps needs: a major on a gate is not planned behind an
    action off the gates (auditors' competence records are kept while the first audit is prepared, not before it)."""
    return bundle.on_gate and bundle.severity == 0 and not step_prerequisite.on_gate


def _pull_prerequisites(items: dict[str, _Draft]) -> None:
    """A prerequisite belongs in the same phase as the earliest action that needs it."""
    changed = True
    while changed:
        changed = False
        for item in items.values():
            for dep in item.depends_on:
                if items[dep].phase > item.phase:
                    items[dep].phase = item.phase
                    items[dep].pulled_before = item.id
                    changed = True


def _in_order(items: dict[str, _Draft]) -> list[_Draft]:
    """Ranked by key, each action's prerequisites placed just before it."""
    ordered: list[_Draft] = []
    placed: set[str] = set()

    def place(item: _Draft, visiting: set[str]) -> None:
        if item.id in placed or item.id in visiting:
            return
        visiting.add(item.id)
        for dep in sorted((items[d] for d in item.depends_on), key=_Draft.key):
            if dep.id not in placed:
                dep.pulled_before = dep.pulled_before or item.id
                place(dep, visiting)
        placed.add(item.id)
        ordered.append(item)

    for item in sorted(items.values(), key=_Draft.key):
        place(item, set())
    return ordered


def _precedes(first: _Draft, second: _Draft, before: set[tuple[str, str]]) -> bool:
    """Whether the clauses `first` closes come before those of `second` in the catalogue, and never after.

    Only a nonconformity counts as a prerequisite: an observation on 4.1 must not overtake a major on 8.4 just
    because context comes before operation in the standard. Nor does an action off the gates count for a major on
    a gate: competence records matter for the audit, but a missing audit is not planned behind them."""
    if first.id == second.id or first.kind != "nonconformity" or second.kind == "evidence":
        return False
    if second.on_gate and second.severity == 0 and not first.on_gate:  # a major on a gate is not held up
        return False
    if first.steps and second.steps:  # bundles span many clauses; their order is what their depends_on says
        return False
    if second.leads_plan:  # stopping ongoing harm, or a repeat finding, waits for nothing
        return False
    pairs = [(a, b) for a in first.clauses for b in second.clauses]
    return any(p in before for p in pairs) and not any((b, a) in before for a, b in pairs)


def _keep_direct_dependencies(items: dict[str, _Draft]) -> None:
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


def _item(rank: int, item: _Draft, items: dict[str, _Draft]) -> PlanItem:
    return PlanItem(
        rank=rank,
        id=item.id,
        title=item.title,
        phase=PHASES[item.phase],
        kind=item.kind,
        clauses=tuple(sorted(item.clauses, key=clause_sort_key)),
        closes=tuple(sorted({f for f, _ in item.findings})),
        effort=item.effort,
        lead_time=item.lead_time,
        depends_on=tuple(item.depends_on),
        why=_why(item, items),
        steps=tuple(
            PlanStep(
                step.id,
                step.title,
                tuple(sorted(step.clauses, key=clause_sort_key)),
                tuple(sorted({f for f, _ in step.findings})),
                step.effort,
            )
            for step in item.steps
        ),
    )


def _why(item: _Draft, items: dict[str, _Draft]) -> str:
    parts = []
    if item.reason:
        parts.append(item.reason)
    elif item.kind == "evidence":
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


def _dependants(item: _Draft, items: dict[str, _Draft]) -> set[str]:
    return {other.id for other in items.values() if item.id in other.depends_on}


@lru_cache(maxsize=4096)  # every evaluation sorts its findings by clause: the same few hundred ids each time
def clause_sort_key(clause_id: str) -> tuple[int, ...]:
    return tuple(int(part) for part in clause_id.split("."))
