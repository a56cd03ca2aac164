"""What an assessment's downloads contain: the report, the plan with its tracking, the answers with who gave them,
and the answers file.

Read-only use cases; the formats (Markdown, CSV, XLSX, PDF) are made in app/formats/ and served by app/exports/.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from ..extensions import db, knowledge_base
from ..knowledge.answers import answer_label
from ..models import Answer, Assessment, Respondent, RespondentAnswer, User
from ..models.base import utcnow
from ..planning.plan import TrackedItem
from ..planning.report import Report
from . import tenancy
from .assessments import export_answers, plan_of
from .evaluation import evaluate


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


@dataclass(frozen=True)
class ExportData:
    assessment: Assessment
    organisation: str
    report: Report
    plan: list[TrackedItem]
    answers: list[AnswerRow]
    generated_at: datetime
    respondent_answers: list[RespondentAnswerRow]  # empty unless the assessment has several respondents


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


def export_data(user: User, assessment_id: int, *, with_answers: bool = True) -> ExportData:
    """Everything an export of one assessment shows, for a member of its organisation (anyone else: NotFound)."""
    assessment = tenancy.assessment_for(user, assessment_id)
    report = evaluate(assessment)
    return ExportData(
        assessment=assessment,
        organisation=assessment.organisation.name,
        report=report,
        plan=plan_of(assessment, report),
        answers=answer_rows(assessment) if with_answers else [],
        generated_at=utcnow(),
        respondent_answers=respondent_answer_rows(assessment) if with_answers and assessment.has_respondents else [],
    )


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
