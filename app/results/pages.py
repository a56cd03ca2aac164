"""What the results and plan pages show, worked out from a report, the clause catalogue and the answers.

Plain Python (no Flask): the report is planning.report.Report; these functions only regroup and annotate it for
reading, they never grade anything themselves.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ..knowledge.answers import answer_label, check_value
from ..knowledge.model import SEVERITIES, Catalogue, Clause, ClauseGroup, Questionnaire
from ..labels import DI_STATUS_LABELS, DI_STATUS_MARKS, DOCUMENTED_INFORMATION_LABELS, PHASE_TITLES
from ..planning.plan import PHASES, TrackedItem, clause_sort_key
from ..planning.readiness import maturity
from ..planning.report import BriefFinding, BriefReport, Finding, Report

IN_PLACE_LEVEL = 3  # the maturity at which an answer shows something in place (yes, or 3+ on a scale)
CLOSED_STATUSES = ("done", "wont_do")


# ---------------------------------------------------------------------------------------------- filters


@dataclass(frozen=True)
class Filters:
    severity: str = ""
    group: str = ""

    @property
    def active(self) -> bool:
        return bool(self.severity or self.group)

    def as_args(self) -> dict[str, str]:
        return {k: v for k, v in (("severity", self.severity), ("group", self.group)) if v}


def filters_from(args: Mapping[str, str], catalogue: Catalogue) -> Filters:
    """The findings filters of a query string; a value that names nothing is ignored rather than refused."""
    severity = (args.get("severity") or "").strip()
    group = (args.get("group") or "").strip()
    return Filters(
        severity if severity in SEVERITIES else "",
        group if group in {g.id for g in catalogue.groups} else "",
    )


# ---------------------------------------------------------------------------------------------- answers


@dataclass(frozen=True)
class AnswerShown:
    question: str
    text: str
    label: str
    level: int | None

    @property
    def positive(self) -> bool:
        return self.level is not None and self.level >= IN_PLACE_LEVEL


def answers_by_clause(
    questionnaire: Questionnaire, answers: Mapping[str, Any], report: BriefReport
) -> dict[str, list[AnswerShown]]:
    """The scored answers the evaluation counted, per clause they inform (`answers`: question id -> stored value).

    Answers to follow-ups that are no longer relevant (the report's `ignored`) and answers the questionnaire no
    longer accepts are left out, as the evaluation leaves them out."""
    ignored = set(report.ignored)
    shown: dict[str, list[AnswerShown]] = {}
    for question in questionnaire.questions:
        if not question.scored or question.id not in answers or question.id in ignored:
            continue
        value, error = check_value(question, answers[question.id])
        if error:
            continue
        answer = AnswerShown(question.id, question.text, answer_label(question, value), maturity(question, value))
        for clause_id in question.clauses:
            shown.setdefault(clause_id, []).append(answer)
    return shown


def clauses_still_asked(questionnaire: Questionnaire, answers: Mapping[str, Any], report: BriefReport) -> set[str]:
    """Clauses that a relevant, scored question not yet answered would inform (a follow-up counts once asked)."""
    asked = set(report.asked)
    return {
        clause_id
        for question in questionnaire.questions
        if question.scored and question.id not in answers and (not question.follow_up or question.id in asked)
        for clause_id in question.clauses
    }


# ---------------------------------------------------------------------------------------------- findings


@dataclass
class ClauseFindings:
    clause: Clause
    score: int | None
    findings: list[Finding] = field(default_factory=list)  # shown here
    also: list[Finding] = field(default_factory=list)  # shown under another of their clauses


@dataclass(frozen=True)
class ClauseWithoutFindings:
    clause: Clause
    score: int | None
    answers: list[AnswerShown]  # every scored answer that informs it
    # Split once here: the template asks for each list twice (whether to show it, then to show it).
    satisfied_by: list[AnswerShown] = field(init=False)
    short_of: list[AnswerShown] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "satisfied_by", [a for a in self.answers if a.positive])
        object.__setattr__(self, "short_of", [a for a in self.answers if not a.positive])


@dataclass
class FindingsView:
    total: int  # findings in the report
    clauses: list[ClauseFindings]  # clauses with findings that pass the filters, in catalogue order
    shown: int  # findings that pass the filters
    without_findings: list[ClauseWithoutFindings]  # assessed clauses without any finding
    not_assessed: list[Clause]  # questions that would inform them are still open
    not_covered: list[Clause]  # no question of this questionnaire informs them
    not_applicable: list[Clause]


def findings_view(
    report: Report,
    catalogue: Catalogue,
    answers: Mapping[str, list[AnswerShown]],
    filters: Filters,
    still_asked: set[str] = frozenset(),
) -> FindingsView:
    """Findings grouped by clause: each finding is shown once, under the first of its clauses the filters keep,
    and mentioned under its other clauses. `still_asked`: clauses open questions would inform."""
    scores = report.readiness
    in_group = {c.id for c in catalogue.clauses if not filters.group or c.group == filters.group}
    by_clause: dict[str, ClauseFindings] = {}

    def entry(clause_id: str) -> ClauseFindings:
        if clause_id not in by_clause:
            by_clause[clause_id] = ClauseFindings(catalogue.clause(clause_id), scores.clause(clause_id).score)
        return by_clause[clause_id]

    shown = 0
    for finding in report.findings:
        if filters.severity and finding.severity != filters.severity:
            continue
        kept = [c for c in finding.clauses if c in in_group]
        if not kept:
            continue
        shown += 1
        entry(kept[0]).findings.append(finding)
        for other in kept[1:]:
            entry(other).also.append(finding)

    with_findings = {c for f in report.findings for c in f.clauses}
    without, not_assessed, not_covered, not_applicable = [], [], [], []
    for clause in catalogue.clauses:
        if clause.id not in in_group or clause.id in with_findings:
            continue
        readiness = scores.clause(clause.id)
        if readiness.score is not None:
            without.append(ClauseWithoutFindings(clause, readiness.score, answers.get(clause.id, [])))
        elif readiness.not_applicable:
            not_applicable.append(clause)
        elif clause.id in still_asked:
            not_assessed.append(clause)
        else:
            not_covered.append(clause)
    ordered = sorted(by_clause.values(), key=lambda c: clause_sort_key(c.clause.id))
    return FindingsView(len(report.findings), ordered, shown, without, not_assessed, not_covered, not_applicable)


# ---------------------------------------------------------------------------------------------- documented information


@dataclass(frozen=True)
class ChecklistItem:
    clause: Clause
    kind: str  # maintain | retain | both
    records: tuple[str, ...]
    status: str  # missing | in_place | unknown
    findings: list[BriefFinding]  # the major and minor findings that make it missing
    answers: list[AnswerShown]  # the scored answers that inform it

    @property
    def kind_label(self) -> str:
        return DOCUMENTED_INFORMATION_LABELS[self.kind]

    @property
    def status_label(self) -> str:
        return DI_STATUS_LABELS[self.status]

    @property
    def mark(self) -> str:
        return DI_STATUS_MARKS[self.status]


def documented_information(
    report: BriefReport, catalogue: Catalogue, answers: Mapping[str, list[AnswerShown]]
) -> list[ChecklistItem]:
    """Every clause that asks for documented information, with what an auditor expects to see and its status:
    missing while a major or minor finding sits on the clause; in place when the questions informing it were
    answered and every answer shows it in place (yes, or level 3+); unknown otherwise (not asked, "partly",
    "don't know")."""
    items = []
    for clause in catalogue.clauses:
        if clause.documented_information == "none":
            continue
        gaps = [f for f in report.findings if clause.id in f.clauses and f.severity in ("major", "minor")]
        given = [a for a in answers.get(clause.id, []) if a.level is not None]
        if gaps:
            status = "missing"
        elif given and all(a.positive for a in given):
            status = "in_place"
        else:
            status = "unknown"
        items.append(
            ChecklistItem(
                clause,
                clause.documented_information,
                clause.records,
                status,
                gaps,
                given,
            )
        )
    return items


# ---------------------------------------------------------------------------------------------- readiness


def group_scores(report: BriefReport, catalogue: Catalogue) -> list[tuple[ClauseGroup, int | None]]:
    return [(g, report.readiness.groups.get(g.id)) for g in catalogue.groups]


@dataclass(frozen=True)
class ClauseRow:
    clause: Clause
    score: int | None
    capped_at: int | None
    answered: int
    not_applicable: bool
    findings: int


def clause_rows(report: BriefReport, catalogue: Catalogue, group_id: str) -> list[ClauseRow]:
    rows = []
    for clause in catalogue.clauses:
        if clause.group != group_id:
            continue
        r = report.readiness.clause(clause.id)
        count = sum(1 for f in report.findings if clause.id in f.clauses)
        rows.append(ClauseRow(clause, r.score, r.cap, r.answered, r.not_applicable, count))
    return rows


# ---------------------------------------------------------------------------------------------- plan


@dataclass
class PlanRow:
    item: TrackedItem  # one entry of services.assessments.plan_of
    depends_on: list[str]  # titles
    closes: list[Finding]
    overdue: bool
    days_overdue: int

    @property
    def id(self) -> str:
        return self.item.id


@dataclass
class Phase:
    key: str
    title: str
    rows: list[PlanRow]


def is_overdue(item: TrackedItem, today: date) -> bool:
    due = item.due
    return due is not None and item.status not in CLOSED_STATUSES and due < today


def plan_row(item: TrackedItem, plan: list[TrackedItem], report: Report, today: date) -> PlanRow:
    titles = {i.id: i.title for i in plan}
    findings = {f.id: f for f in report.findings}
    overdue = is_overdue(item, today)
    days = (today - item.due).days if overdue else 0
    return PlanRow(
        item,
        [titles.get(d, d) for d in item.depends_on],
        [findings[f] for f in item.closes if f in findings],
        overdue,
        days,
    )


def phases(plan: list[TrackedItem], report: Report, today: date) -> list[Phase]:
    """The plan in its three phases, each in rank order."""
    return [
        Phase(
            key,
            PHASE_TITLES[key],
            [plan_row(i, plan, report, today) for i in sorted(plan, key=lambda i: i.rank) if i.phase == key],
        )
        for key in PHASES
    ]
