"""What changed between two assessments of one organisation: readiness per clause, findings, actions, alignment.

Plain computation on what the services gather of each assessment (its report in the stored form, the plan actions
marked done, the respondents' alignment); schemas.assessments.ComparisonSchema dumps the result for the API.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ..knowledge.relations import Crosswalk
from .plan import clause_sort_key

Finding = Mapping[str, Any]  # a finding of the report, as stored: id, severity, clauses, title, ...


@dataclass(frozen=True)
class Facts:
    """What the comparison reads of one assessment."""

    id: int
    started_at: datetime
    report: Mapping[str, Any]  # planning.report.assess, stored form: readiness, findings, plan, kb_version
    done_actions: frozenset[str] = frozenset()  # plan actions marked done
    alignment: Mapping[str, Any] | None = None  # planning.consensus.alignment; None with a single respondent
    edition: str = ""  # the catalogue id its report's clauses are in ("" when it is not known)


@dataclass(frozen=True)
class Side:
    id: int
    started_at: datetime
    kb_version: str


@dataclass(frozen=True)
class Change:
    before: int | None
    after: int | None


@dataclass(frozen=True)
class ClauseChange(Change):
    delta: int | None  # None unless both sides have a score


@dataclass(frozen=True)
class FindingChanges:
    resolved: tuple[Finding, ...]  # raised before, not any more
    new: tuple[Finding, ...]  # not raised before, on a clause whose readiness did not drop
    regressed: tuple[Finding, ...]  # new, on a clause whose readiness dropped
    persisting: tuple[Finding, ...]  # raised both times (as the later assessment words it)

    def every(self) -> tuple[Finding, ...]:
        return (*self.resolved, *self.new, *self.regressed, *self.persisting)


@dataclass(frozen=True)
class DoneButPersisting:
    action: str
    findings: tuple[str, ...]  # what it was meant to close and is still raised


@dataclass(frozen=True)
class AlignmentChange:
    overall: Change
    clauses: dict[str, Change]  # in clause order


@dataclass(frozen=True)
class Comparison:
    before: Side  # the earlier assessment, whichever order they were given in
    after: Side
    overall: Change
    clauses: dict[str, ClauseChange]  # every clause of the later assessment
    findings: FindingChanges
    done_but_persisting: tuple[DoneButPersisting, ...]
    alignment: AlignmentChange | None  # None when neither assessment had several respondents
    notes: tuple[str, ...]


def compare(first: Facts, second: Facts, crosswalk: Crosswalk | None = None) -> Comparison:
    """`first` and `second` in either order: the one started earlier (then the lower id) is `before`. Two
    assessments read in different editions are compared in the later one's: `crosswalk` (between the two, in
    either direction) carries the earlier one's clauses over. Findings are compared by rule, whatever the edition."""
    if (second.started_at, second.id) < (first.started_at, first.id):
        first, second = second, first
    before, after = first.report, second.report
    moved = crosswalk is not None and first.edition != second.edition
    earlier = before["readiness"]["clauses"]
    if moved:
        earlier = carried(earlier, crosswalk, forward=crosswalk.target == second.edition)
    clauses = clause_changes(earlier, after["readiness"]["clauses"])
    old = {f["id"]: f for f in before["findings"]}
    new = {f["id"]: f for f in after["findings"]}
    raised_before, raised_after = _raised(before["findings"]), _raised(after["findings"])
    dropped = {c for c, change in clauses.items() if change.delta is not None and change.delta < 0}
    appeared = [new[f] for f in new if f not in raised_before]
    regressed = [f for f in appeared if set(f["clauses"]) & dropped]
    return Comparison(
        before=Side(first.id, first.started_at, before["kb_version"]),
        after=Side(second.id, second.started_at, after["kb_version"]),
        overall=Change(before["readiness"]["overall"], after["readiness"]["overall"]),
        clauses=clauses,
        findings=FindingChanges(
            resolved=tuple(old[f] for f in old if f not in raised_after),
            new=tuple(f for f in appeared if f not in regressed),
            regressed=tuple(regressed),
            persisting=tuple(new[f] for f in new if f in raised_before),
        ),
        done_but_persisting=done_but_persisting(first, second, _standing_for(after["findings"])),
        alignment=alignment_change(
            _carried_alignment(first.alignment, crosswalk, second.edition) if moved else first.alignment,
            second.alignment,
        ),
        notes=tuple(
            notes(before["kb_version"], after["kb_version"])
            + (edition_note(crosswalk, first.edition, second.edition) if moved else [])
        ),
    )


def carried(scores: Mapping[str, Any], crosswalk: Crosswalk, forward: bool) -> dict[str, dict[str, Any]]:
    """Readiness per clause of one edition read as the other's, through `crosswalk` (`forward`: from its older
    edition to its newer one). A clause that was split gives its score to each part; clauses merged into one, or
    the parts of a split clause read backwards, give the mean of those assessed. A clause new in the newer edition
    has no earlier score."""
    pairs = [(c.source, t) for c in crosswalk.clauses if c.source for t in c.targets]
    out: dict[str, dict[str, Any]] = {}
    for clause in dict.fromkeys(t if forward else s for s, t in pairs):
        sources = [s if forward else t for s, t in pairs if (t if forward else s) == clause]
        found = [scores[c]["score"] for c in sources if scores.get(c, {}).get("score") is not None]
        out[clause] = {"score": round(sum(found) / len(found)) if found else None}
    return out


def _carried_alignment(alignment: Mapping[str, Any] | None, crosswalk: Crosswalk, edition: str):
    if alignment is None:
        return None
    return {**alignment, "clauses": carried(alignment["clauses"], crosswalk, forward=crosswalk.target == edition)}


def edition_note(crosswalk: Crosswalk, earlier: str, later: str) -> list[str]:
    return [
        f"The earlier assessment was read in {earlier}, the later one in {later}: the earlier clauses are shown as "
        f"the {later} clauses they became (crosswalk {crosswalk.id}), a split clause's score under each part. "
        "A requirement the edition changed may score differently with the same practice."
    ]


def _rules(finding: Mapping[str, Any]) -> set[str]:
    """The rules behind a finding: its own and those merged into it (planning.merging)."""
    return {finding["id"], *(m["id"] for m in finding.get("merged", ()))}


def _raised(findings) -> set[str]:
    """Every rule a report raises, merged or not: a finding merged into another since (or split out of one) is
    still raised, neither resolved nor new; a target that no longer fires is resolved even if what was merged
    into it still stands on its own."""
    return {rule for f in findings for rule in _rules(f)}


def _standing_for(findings) -> dict[str, str]:
    """Each rule a report raises, with the id of the finding that shows it (itself, or the one it merged into)."""
    return {rule: f["id"] for f in findings for rule in _rules(f)}


def clause_changes(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, ClauseChange]:
    """Readiness per clause of the later assessment (`after`), with the earlier one's where it had that clause."""
    changes = {}
    for clause_id, now in after.items():
        then = before.get(clause_id, {}).get("score")
        score = now["score"]
        delta = score - then if score is not None and then is not None else None
        changes[clause_id] = ClauseChange(then, score, delta)
    return changes


def done_but_persisting(first: Facts, second: Facts, raised: Mapping[str, str]) -> tuple[DoneButPersisting, ...]:
    """Actions marked done in either assessment while a finding they close is still `raised` in the later one
    (`raised`: rule id -> the later finding that shows it)."""
    closes = {item["id"]: set(item["closes"]) for item in (*first.report["plan"], *second.report["plan"])}
    done = first.done_actions | second.done_actions
    still = {action: {raised[f] for f in closes.get(action, set()) if f in raised} for action in sorted(done)}
    return tuple(DoneButPersisting(action, tuple(sorted(found))) for action, found in still.items() if found)


def alignment_change(before: Mapping[str, Any] | None, after: Mapping[str, Any] | None) -> AlignmentChange | None:
    """How far respondents agreed, before and after (None when neither assessment had several respondents)."""
    if before is None and after is None:
        return None

    def score(alignment, clause=None):
        if alignment is None:
            return None
        return (alignment["clauses"].get(clause, {}) if clause else alignment["overall"]).get("score")

    clause_ids = sorted({*(before or {}).get("clauses", {}), *(after or {}).get("clauses", {})}, key=clause_sort_key)
    return AlignmentChange(
        overall=Change(score(before), score(after)),
        clauses={c: Change(score(before, c), score(after, c)) for c in clause_ids},
    )


def notes(kb_before: str, kb_after: str) -> list[str]:
    """What a reader should know before reading the differences as changes in practice."""
    if kb_before == kb_after:
        return []
    return [
        f"The knowledge base changed between these assessments ({kb_before} -> {kb_after}): "
        "some differences may come from changed rules rather than changed practice."
    ]
