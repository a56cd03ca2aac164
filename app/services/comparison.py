"""What changed between two assessments of one organisation: readiness per clause, findings, actions, alignment."""

from __future__ import annotations

from typing import Any

from ..models import ActionStatus, Assessment, User
from ..planning.plan import clause_sort_key
from . import consolidation, tenancy
from .errors import NotFound
from .evaluation import evaluate


def compare(user: User, first_id: int, second_id: int) -> dict[str, Any]:
    """The API form of the comparison (its findings as Report.to_dict has them)."""
    first = tenancy.assessment_for(user, first_id)
    second = tenancy.assessment_for(user, second_id)
    if first.organisation_id != second.organisation_id:
        raise NotFound("no such assessment in this organisation")
    if (second.started_at, second.id) < (first.started_at, first.id):
        first, second = second, first
    before, after = evaluate(first), evaluate(second)
    clauses = {}
    for clause_id, now in after.readiness.clauses.items():
        then = before.readiness.clause(clause_id).score
        score = now.score
        delta = score - then if score is not None and then is not None else None
        clauses[clause_id] = {"before": then, "after": score, "delta": delta}
    old = {f.id: f.to_dict() for f in before.findings}
    new = {f.id: f.to_dict() for f in after.findings}
    dropped = {c for c, d in clauses.items() if d["delta"] is not None and d["delta"] < 0}
    appeared = [new[f] for f in new if f not in old]
    regressed = [f for f in appeared if set(f["clauses"]) & dropped]
    closes = {item.id: set(item.closes) for item in before.plan + after.plan}
    done = {a.action_id for a in (*first.plan_actions, *second.plan_actions) if a.status is ActionStatus.DONE}
    done_but_persisting = [
        {"action": action, "findings": sorted(closes.get(action, set()) & set(new))}
        for action in sorted(done)
        if closes.get(action, set()) & set(new)
    ]
    notes = []
    if before.kb_version != after.kb_version:
        notes.append(
            f"The knowledge base changed between these assessments ({before.kb_version} -> {after.kb_version}): "
            "some differences may come from changed rules rather than changed practice."
        )
    return {
        "before": {"id": first.id, "started_at": first.started_at.isoformat(), "kb_version": before.kb_version},
        "after": {"id": second.id, "started_at": second.started_at.isoformat(), "kb_version": after.kb_version},
        "overall": {"before": before.readiness.overall, "after": after.readiness.overall},
        "clauses": clauses,
        "findings": {
            "resolved": [old[f] for f in old if f not in new],
            "new": [f for f in appeared if f not in regressed],
            "regressed": regressed,
            "persisting": [new[f] for f in new if f in old],
        },
        "done_but_persisting": done_but_persisting,
        "alignment": _alignment_change(first, second),
        "notes": notes,
    }


def _alignment_change(first: Assessment, second: Assessment) -> dict[str, Any] | None:
    """How far respondents agreed, before and after (None when neither assessment had several respondents)."""
    before, after = consolidation.alignment_of(first), consolidation.alignment_of(second)
    if before is None and after is None:
        return None

    def score(alignment, clause=None):
        if alignment is None:
            return None
        return (alignment["clauses"].get(clause, {}) if clause else alignment["overall"]).get("score")

    clause_ids = sorted({*(before or {}).get("clauses", {}), *(after or {}).get("clauses", {})}, key=clause_sort_key)
    return {
        "overall": {"before": score(before), "after": score(after)},
        "clauses": {c: {"before": score(before, c), "after": score(after, c)} for c in clause_ids},
    }
