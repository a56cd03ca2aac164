"""Completing an assessment knowingly, and reopening one completed by mistake.

Completing freezes the report (services.assessments.complete_assessment); the web asks first, with what is still
unanswered. Reopening keeps the frozen report as a revision and records who reopened it and when, so a report
that was shared stays on file although the assessment can be answered again.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from ..extensions import db, knowledge_base
from ..interview.flow import relevant_questions
from ..models import Assessment, AssessmentStatus, Reopening, User
from . import answers, evaluation, tenancy
from .errors import Conflict


@dataclass(frozen=True)
class SectionGap:
    title: str
    unanswered: int


@dataclass(frozen=True)
class Outstanding:
    """What completing now would leave out: relevant questions without an answer, and copied answers of a repeat
    nobody confirmed (they count as given, as the report counts them, but nobody said they still hold)."""

    relevant: int
    unanswered: int
    unconfirmed: int
    sections: tuple[SectionGap, ...]  # the sections with unanswered questions, in questionnaire order

    @property
    def answered(self) -> int:
        return self.relevant - self.unanswered

    @property
    def complete(self) -> bool:
        return not self.unanswered and not self.unconfirmed


def outstanding(user: User, assessment_id: int) -> tuple[Assessment, Outstanding]:
    assessment = tenancy.assessment_for(user, assessment_id, manage=True)
    return assessment, outstanding_of(assessment)


def outstanding_of(assessment: Assessment) -> Outstanding:
    knowledge = knowledge_base()
    questionnaire = knowledge.questionnaire(assessment.questionnaire_id)
    values = answers.answer_values(assessment)
    report = evaluation.evaluate(assessment, values, brief=True)
    follow_ups = knowledge.ruleset_for(questionnaire.id).follow_ups
    relevant = relevant_questions(questionnaire, follow_ups, set(report.asked))
    missing = [q for q in relevant if q.id not in values]
    unconfirmed = sum(1 for q in relevant if q.id in values and values[q.id].to_confirm)
    sections = []
    for section in questionnaire.sections:
        count = sum(1 for q in missing if q.section == section.id)
        if count:
            sections.append(SectionGap(section.title, count))
    return Outstanding(len(relevant), len(missing), unconfirmed, tuple(sections))


def reopen(user: User, assessment_id: int) -> Assessment:
    """Open a completed assessment again (owners and consultants): its frozen report is kept as the next revision
    and the assessment is evaluated live again until it is completed anew."""
    assessment = tenancy.assessment_for(user, assessment_id, manage=True)
    if assessment.status is not AssessmentStatus.COMPLETED:
        raise Conflict("this assessment is not completed; only a completed assessment can be reopened")
    revision = 1 + (
        db.session.scalar(sa.select(sa.func.max(Reopening.revision)).where(Reopening.assessment_id == assessment.id))
        or 0
    )
    snapshot = assessment.snapshot
    assessment.reopenings.append(
        Reopening(
            revision=revision,
            reopened_by_id=user.id,
            completed_at=assessment.completed_at,
            kb_version=snapshot.kb_version if snapshot else assessment.kb_version,
            result=snapshot.result if snapshot else {},
        )
    )
    assessment.snapshot = None  # the next completion freezes a new one
    assessment.status = AssessmentStatus.IN_PROGRESS
    assessment.completed_at = None
    db.session.flush()
    evaluation.refresh_summary(assessment)
    db.session.commit()
    return assessment
