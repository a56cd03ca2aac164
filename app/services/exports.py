"""What an assessment's downloads contain: the report, the plan with its tracking, the answers with who gave them,
the evidence that backs them, and the answers file.

Read-only use cases; the formats (Markdown, CSV, XLSX, PDF) are made in app/formats/ and served by app/exports/.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime

import sqlalchemy as sa

from ..extensions import db, evidence_storage, knowledge_base
from ..knowledge.answers import answer_label
from ..labels import STATUS_LABELS
from ..models import Answer, Assessment, Evidence, EvidenceKind, Respondent, RespondentAnswer, User
from ..models.base import utcnow
from ..planning.plan import TrackedItem
from ..planning.report import Report
from . import editions, tenancy
from .assessments import export_answers, plan_of
from .evaluation import evaluate
from .evidence import live_of


@dataclass(frozen=True)
class AnswerRow:
    section: str
    question_id: str
    question: str
    answer: str
    note: str
    evidence: str
    answered_by: str
    answered_at: datetime | None
    to_confirm: bool


@dataclass(frozen=True)
class RespondentAnswerRow:
    respondent: str
    section: str
    question_id: str
    question: str
    answer: str
    note: str
    evidence: str
    answered_at: datetime | None


# What a piece of evidence does for the assessment now (the status column of the exports).
BACKS_THE_ANSWER = "backs the answer"
TO_CONFIRM = "carried over, to confirm"
FOR_THE_ACTION = "for the plan action"


@dataclass(frozen=True)
class EvidenceRow:
    """One live piece of evidence, with what it serves in words: the question (its text and the answer given) or
    the plan action (its title and tracking status), and the clauses of the assessment's edition it is filed under."""

    id: int
    question_id: str | None
    action_id: str | None
    clauses: tuple[tuple[str, str], ...]  # (clause id, title), in clause order; none for a question the edition
    # does not grade (a profile question, one the questionnaire no longer has) or an action outside the plan
    subject: str  # the question's text, or the action's title
    answer: str  # the answer in words, or the action's status; "" if none
    kind: str  # file | link | reference
    title: str
    filename: str  # a file's sanitised name, or a reference's path in the team's repository
    url: str
    sha256: str
    size: int | None
    content_type: str
    added_by: str
    added_at: datetime | None
    to_confirm: bool
    missing: bool = False  # a file whose bytes the storage no longer has (set by evidence_pack only)

    @property
    def status(self) -> str:
        if self.action_id is not None:
            return FOR_THE_ACTION
        return TO_CONFIRM if self.to_confirm else BACKS_THE_ANSWER

    @property
    def clause_ids(self) -> str:
        return ", ".join(c for c, _ in self.clauses)


@dataclass(frozen=True)
class ExportData:
    assessment: Assessment
    organisation: str
    report: Report
    plan: list[TrackedItem]
    answers: list[AnswerRow]
    generated_at: datetime
    respondent_answers: list[RespondentAnswerRow]  # empty unless the assessment has several respondents
    evidence: list[EvidenceRow] = field(default_factory=list)  # empty unless asked for (with_evidence)


@dataclass(frozen=True)
class AnswersFile:
    """The answers file of an assessment (the YAML of `clausewise assess`), with what its download is named after."""

    assessment: Assessment
    organisation: str
    text: str
    generated_at: datetime


def answers_file(user: User, assessment_id: int) -> AnswersFile:
    """For a member of the assessment's organisation (anyone else: NotFound)."""
    text = export_answers(user, assessment_id)
    assessment = tenancy.assessment_for(user, assessment_id)
    return AnswersFile(assessment, assessment.organisation.name, text, utcnow())


def export_data(
    user: User, assessment_id: int, *, with_answers: bool = True, with_evidence: bool = False
) -> ExportData:
    """Everything an export of one assessment shows, for a member of its organisation (anyone else: NotFound)."""
    assessment = tenancy.assessment_for(user, assessment_id)
    report = evaluate(assessment)
    plan = plan_of(assessment, report)
    return ExportData(
        assessment=assessment,
        organisation=assessment.organisation.name,
        report=report,
        plan=plan,
        answers=answer_rows(assessment) if with_answers else [],
        generated_at=utcnow(),
        respondent_answers=respondent_answer_rows(assessment) if with_answers and assessment.has_respondents else [],
        evidence=evidence_rows(assessment, plan) if with_evidence else [],
    )


def evidence_pack(user: User, assessment_id: int) -> ExportData:
    """The export data of the evidence pack: every live piece of evidence, each file marked `missing` if the
    storage no longer has its bytes, so that the pack's index says so instead of the download failing halfway."""
    data = export_data(user, assessment_id, with_answers=False, with_evidence=True)
    storage = evidence_storage()
    present: dict[str, bool] = {}
    rows = []
    for row in data.evidence:
        if row.kind == EvidenceKind.FILE.value:
            if row.sha256 not in present:
                present[row.sha256] = storage.exists(row.sha256)
            if not present[row.sha256]:
                row = replace(row, missing=True)
        rows.append(row)
    return replace(data, evidence=rows)


def evidence_rows(assessment: Assessment, plan: list[TrackedItem]) -> list[EvidenceRow]:
    """The assessment's live evidence: answers' evidence in questionnaire order, then the plan actions' in plan
    order, each oldest first. Who added them is read in one query for all."""
    view = editions.view_of(assessment)
    questionnaire, catalogue = view.questionnaire, view.catalogue
    titles = {c.id: c.title for c in catalogue.clauses}
    clause_rank = {c.id: i for i, c in enumerate(catalogue.clauses)}
    answers = {
        a.question_id: a.value
        for a in db.session.scalars(sa.select(Answer).where(Answer.assessment_id == assessment.id))
        if a.value is not None
    }
    adders = sa.select(Evidence.added_by_id).where(Evidence.assessment_id == assessment.id)
    users = {u.id: u.name or u.email for u in db.session.scalars(sa.select(User).where(User.id.in_(adders)))}
    order = {q.id: i for i, q in enumerate(questionnaire.questions)}
    # An action may be a step of a bundle in the plan: it is filed with its bundle's clauses and tracking.
    planned = {item.id: (rank, item, "") for rank, item in enumerate(plan)}
    for rank, item in enumerate(plan):
        for step in item.steps:
            planned.setdefault(step.id, (rank, item, step.title))
    actions = knowledge_base().ruleset_for(assessment.questionnaire_id).actions
    rows: list[tuple[tuple, EvidenceRow]] = []
    for item in live_of(assessment):
        if item.question_id is not None:
            known = questionnaire.has_question(item.question_id)
            question = questionnaire.question(item.question_id) if known else None
            value = answers.get(item.question_id)
            clause_ids = question.clauses if question else ()
            subject = question.text if question else item.question_id
            answer = "" if value is None else answer_label(question, value) if question else str(value)
            key = (0, order.get(item.question_id, len(order)))
        else:
            rank, tracked, step = planned.get(item.action_id, (len(planned), None, ""))
            action = actions.get(item.action_id)
            clause_ids = tracked.clauses if tracked else ()
            subject = tracked.title if tracked else action.title if action else item.action_id
            if step:
                subject = f"{step} (a step of: {subject})"
            answer = STATUS_LABELS.get(tracked.status, tracked.status) if tracked else ""
            key = (1, rank)
        ranked = sorted(set(clause_ids), key=lambda c: (clause_rank.get(c, len(clause_rank)), c))
        clauses = tuple((c, titles.get(c, "")) for c in ranked)
        rows.append(
            (
                key,
                EvidenceRow(
                    id=item.id,
                    question_id=item.question_id,
                    action_id=item.action_id,
                    clauses=clauses,
                    subject=subject,
                    answer=answer,
                    kind=item.kind.value,
                    title=item.title,
                    filename=item.filename or "",
                    url=item.url or "",
                    sha256=item.sha256 or "",
                    size=item.size,
                    content_type=item.content_type or "",
                    added_by=users.get(item.added_by_id, ""),
                    added_at=item.added_at,
                    to_confirm=item.to_confirm,
                ),
            )
        )
    # live_of is oldest first and sorted() is stable: within one question or action, the oldest stays first.
    return [row for _, row in sorted(rows, key=lambda r: r[0])]


def answer_rows(assessment: Assessment) -> list[AnswerRow]:
    """The current answers in questionnaire order, in words, with who answered: one query, users joined."""
    questionnaire = knowledge_base().questionnaire(assessment.questionnaire_id)
    rows = db.session.execute(
        sa.select(Answer, User.name, User.email)
        .outerjoin(User, User.id == Answer.answered_by_id)
        .where(Answer.assessment_id == assessment.id)
    ).all()
    order = {q.id: i for i, q in enumerate(questionnaire.questions)}
    sections = {q.id: s.title for s in questionnaire.sections for q in s.questions}
    out = []
    for answer, name, email in sorted(rows, key=lambda r: (order.get(r[0].question_id, len(order)), r[0].question_id)):
        if answer.value is None:  # withdrawn: the question is unanswered again
            continue
        known = questionnaire.has_question(answer.question_id)
        question = questionnaire.question(answer.question_id) if known else None
        out.append(
            AnswerRow(
                section=sections.get(answer.question_id, ""),
                question_id=answer.question_id,
                question=question.text if question else answer.question_id,
                answer=answer_label(question, answer.value) if question else str(answer.value),
                note=answer.note or "",
                evidence=answer.evidence or "",
                answered_by=name or email or "",
                answered_at=answer.answered_at,
                to_confirm=answer.to_confirm,
            )
        )
    return out


def respondent_answer_rows(assessment: Assessment) -> list[RespondentAnswerRow]:
    """Every respondent's own answers, by respondent then in questionnaire order."""
    questionnaire = knowledge_base().questionnaire(assessment.questionnaire_id)
    rows = db.session.execute(
        sa.select(Respondent.name, RespondentAnswer)
        .join(RespondentAnswer, RespondentAnswer.respondent_id == Respondent.id)
        .where(Respondent.assessment_id == assessment.id)
        .order_by(Respondent.id)
    ).all()
    order = {q.id: i for i, q in enumerate(questionnaire.questions)}
    sections = {q.id: s.title for s in questionnaire.sections for q in s.questions}
    out = []
    for name, answer in sorted(rows, key=lambda r: (r[1].respondent_id, order.get(r[1].question_id, len(order)))):
        question = (
            questionnaire.question(answer.question_id) if questionnaire.has_question(answer.question_id) else None
        )
        out.append(
            RespondentAnswerRow(
                respondent=name,
                section=sections.get(answer.question_id, ""),
                question_id=answer.question_id,
                question=question.text if question else answer.question_id,
                answer=answer_label(question, answer.value) if question else str(answer.value),
                note=answer.note or "",
                evidence=answer.evidence or "",
                answered_at=answer.answered_at,
            )
        )
    return out
