"""Moving to another edition: what the next edition adds or changes, and where this organisation stands on each.

Read from an assessment as it is (its answers and its report) through the crosswalk between the two editions.
For every requirement the crosswalk marks as changed, split, merged, renumbered or new: the clauses in the new
edition, what changed, a status, the questions still to answer and the plan actions that close it.

- `gap`: a nonconformity on the clause today, or an answer to a question the crosswalk names for the change that
  shows it is not in place (maturity below 3, the same threshold readiness gives full credit at);
- `not_asked`: the questions that show it are not answered yet (or answered "don't know");
- `met`: every such question answered positively and no nonconformity on the clause. A questionnaire that asks
  none of them (the quick scan) never reads `met`: nothing shows the change is in place.

Ranked by what stands between the organisation and the transition deadline: gaps first, then what is not known
yet, then what is met; in clause order within each.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from ..knowledge.answers import answer_label
from ..knowledge.model import DONT_KNOW, Catalogue, KnowledgeBase, Questionnaire
from ..knowledge.relations import Crosswalk
from .plan import clause_sort_key
from .readiness import maturity
from .report import Report

STATUSES = ("gap", "not_asked", "met")
_NONCONFORMITIES = ("major", "minor")


@dataclass(frozen=True)
class TransitionItem:
    clause: str  # in the new edition (the first, where a clause was split)
    clauses: tuple[str, ...]  # every clause of the new edition it became
    title: str
    change: str  # the crosswalk's relation
    note: str
    status: str  # one of STATUSES
    previous: tuple[str, ...]  # the clauses of the current edition it comes from
    findings: tuple[str, ...]  # findings of this report on those clauses
    questions: tuple[dict[str, str], ...]  # still to answer: {"id", "text"}
    plan: tuple[int, ...]  # ranks of the plan actions that close it
    because: tuple[str, ...] = ()  # the answers and findings that make it a gap

    def to_dict(self) -> dict[str, Any]:
        return {
            "clause": self.clause,
            "clauses": list(self.clauses),
            "title": self.title,
            "change": self.change,
            "note": self.note,
            "status": self.status,
            "previous": list(self.previous),
            "findings": list(self.findings),
            "questions": [dict(q) for q in self.questions],
            "plan": list(self.plan),
            "because": list(self.because),
        }


@dataclass(frozen=True)
class Transition:
    edition: str  # the new edition's catalogue id
    title: str
    status: str  # of the new edition's catalogue: draft | published
    deadline: date | None
    deadline_fixed: bool
    items: tuple[TransitionItem, ...]

    def counts(self) -> dict[str, int]:
        return {status: sum(item.status == status for item in self.items) for status in STATUSES}

    def to_dict(self) -> dict[str, Any]:
        return {
            "edition": self.edition,
            "title": self.title,
            "status": self.status,
            "deadline": self.deadline.isoformat() if self.deadline else None,
            "deadline_fixed": self.deadline_fixed,
            "counts": self.counts(),
            "items": [item.to_dict() for item in self.items],
        }


def transition(
    crosswalk: Crosswalk,
    newer: Catalogue,
    questionnaire: Questionnaire,
    answers: Mapping[str, Any],
    report: Report,
) -> Transition:
    """The transition from the report's edition to `newer`, through `crosswalk` (whose source is that edition)."""
    items = []
    for change in crosswalk.changes():
        previous = (change.source,) if change.source else ()
        # A report read in the new edition (knowledge.rekey) has its findings on the new clauses already.
        keys = set(change.targets) if report.edition == newer.id else set(previous)
        on_clause = [f for f in report.findings if set(f.clauses) & keys]
        # A shorter questionnaire (the quick scan) may not ask them: the status then rests on the findings alone.
        questions = [q for q in questionnaire.questions if q.id in change.asks]
        unanswered = [q for q in questions if q.id not in answers or answers[q.id] == DONT_KNOW]
        short = [q for q in questions if q not in unanswered and (maturity(q, answers[q.id]) or 0) < 3]
        nonconformities = [f for f in on_clause if f.severity in _NONCONFORMITIES]
        because = tuple(
            [f"you answered “{answer_label(q, answers[q.id])}” to “{q.text}”" for q in short]
            + [f"{f.severity} finding today: {f.title}" for f in nonconformities]
        )
        if because:
            status = "gap"
        elif unanswered or not questions:  # "met" needs an answer that shows it, never the absence of one
            status = "not_asked"
        else:
            status = "met"
        finding_ids = {f.id for f in on_clause}
        gaps = finding_ids if status == "gap" else set()
        ranks = tuple(item.rank for item in report.plan if gaps & set(item.closes))
        items.append(
            TransitionItem(
                clause=change.targets[0],
                clauses=change.targets,
                title=" / ".join(newer.clause(target).title for target in change.targets),
                change=change.relation,
                note=change.note,
                status=status,
                previous=previous,
                findings=tuple(sorted(finding_ids)),
                questions=tuple({"id": q.id, "text": q.text} for q in unanswered),
                plan=ranks,
                because=because,
            )
        )
    items.sort(key=lambda item: (STATUSES.index(item.status), clause_sort_key(item.clause)))
    return Transition(
        edition=newer.id,
        title=newer.title,
        status=newer.status,
        deadline=newer.transition.deadline if newer.transition else None,
        deadline_fixed=bool(newer.transition and newer.transition.fixed),
        items=tuple(items),
    )


def transition_for(
    kb: KnowledgeBase, questionnaire_id: str, answers: Mapping[str, Any], report: Report
) -> Transition | None:
    """The transition of an assessment of `questionnaire_id` (answers as values), or None when the knowledge base
    has no crosswalk leading on from its edition."""
    questionnaire = kb.questionnaire(questionnaire_id)
    crosswalk = crosswalk_from(kb.crosswalks, questionnaire.standard)
    if crosswalk is None:
        return None
    return transition(crosswalk, kb.catalogues[crosswalk.target], questionnaire, answers, report)


def certified(answers: Mapping[str, Any]) -> bool:
    """Whether the organisation already holds a certificate: its next audits fall in the transition period, so the
    transition is shown without being asked for."""
    return answers.get("audit_type") in ("surveillance", "recertification")


def to_lines(found: Transition, markdown: bool = False) -> list[str]:
    """The transition as text or Markdown lines, for the CLI and the Markdown report."""
    when = found.deadline.isoformat() if found.deadline else "not known"
    state = "" if found.deadline_fixed else " (expected, not fixed yet)"
    draft = ", written from the final draft" if found.status == "draft" else ""
    counts = found.counts()
    head = f"Moving to {found.title}{draft}: transition ends {when}{state}"
    out = [f"## {head}" if markdown else head, ""]
    out.append(f"{counts['gap']} gap(s), {counts['not_asked']} not asked yet, {counts['met']} met.")
    out.append("")
    for item in found.items:
        label = {"gap": "GAP", "not_asked": "NOT ASKED", "met": "met"}[item.status]
        line = (
            f"{'- ' if markdown else '  '}[{label}] {', '.join(item.clauses)} {item.title} ({item.change}): {item.note}"
        )
        out.append(line)
        for reason in item.because:
            out.append(f"{'  - ' if markdown else '      '}because {reason}")
        for question in item.questions:
            out.append(f"{'  - ' if markdown else '      '}still to answer: {question['text']}")
        if item.plan:
            out.append(f"{'  - ' if markdown else '      '}plan actions: {', '.join(f'#{r}' for r in item.plan)}")
    return out + [""]


def crosswalk_from(crosswalks: tuple[Crosswalk, ...], standard: str) -> Crosswalk | None:
    """The crosswalk that leads on from an assessment's edition, if the knowledge base has one."""
    return next((c for c in crosswalks if c.source == standard), None)
