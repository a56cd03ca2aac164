"""The consolidation of several respondents' answers: for each question, what they gave, how far they agree
(app.planning.consensus) and any pick a consultant made, written back as the answer that counts."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from ..extensions import db, knowledge_base
from ..knowledge.answers import Answer as AnswerValue
from ..knowledge.answers import check_value
from ..models import AnswerResolution, Assessment, Respondent, RespondentAnswer, User
from ..planning import consensus
from ..planning.consensus import Consensus, Given
from . import answers, editions

MAX_NOTE = 4000


def consensus_of(assessment: Assessment, only: str | None = None) -> dict[str, Consensus]:
    """Every answered question's consolidation (or just `only`'s), respondents in the order they were added."""
    questionnaire = knowledge_base().questionnaire(assessment.questionnaire_id)
    query = (
        sa.select(RespondentAnswer.question_id, RespondentAnswer.value, Respondent.name)
        .join(Respondent, RespondentAnswer.respondent_id == Respondent.id)
        .where(Respondent.assessment_id == assessment.id)
        .order_by(Respondent.id)
    )
    picks = sa.select(AnswerResolution.question_id, AnswerResolution.value).where(
        AnswerResolution.assessment_id == assessment.id
    )
    if only is not None:
        query = query.where(RespondentAnswer.question_id == only)
        picks = picks.where(AnswerResolution.question_id == only)
    given: dict[str, list[Given]] = {}
    for question_id, value, name in db.session.execute(query):
        if value is None or not questionnaire.has_question(question_id):
            continue
        value, error = check_value(questionnaire.question(question_id), value)
        if not error:  # an answer the current questionnaire no longer accepts is not counted
            given.setdefault(question_id, []).append(Given(name, value))
    resolutions = dict(db.session.execute(picks).all())
    return {
        q: consensus.consolidate(questionnaire.question(q), items, resolutions.get(q)) for q, items in given.items()
    }


def disputes_of(assessment: Assessment) -> dict[str, str]:
    """What the rules are given: contradicted questions with how respondents split (names only if chosen)."""
    return consensus.disputes(consensus_of(assessment).values(), names=assessment.show_respondent_names)


def alignment_of(assessment: Assessment) -> dict[str, Any] | None:
    if not assessment.has_respondents:
        return None
    # Per clause of the assessment's edition (knowledge.rekey), as the results page shows them.
    return consensus.alignment(editions.view_of(assessment).questionnaire, consensus_of(assessment))


def store_consolidated(assessment: Assessment, user: User, question_id: str) -> None:
    found = consensus_of(assessment, only=question_id).get(question_id)
    current = answers.current_answer(assessment.id, question_id)
    value = found.value if found is not None else None
    note = _joined_notes(found, assessment, question_id, "note")
    evidence = _joined_notes(found, assessment, question_id, "evidence")
    if current is not None and (current.value, current.note, current.evidence) == (value, note, evidence):
        return
    if value is None:
        if current is not None:
            answers.blank(current, user)
        return
    answers.write(assessment, user, question_id, AnswerValue(value, note, evidence), None, current)


def _joined_notes(found: Consensus | None, assessment: Assessment, question_id: str, field: str) -> str:
    """Respondents' notes (or evidence) on one question, each signed, for the consolidated answer."""
    if found is None:
        return ""
    rows = db.session.execute(
        sa.select(Respondent.name, getattr(RespondentAnswer, field))
        .join(RespondentAnswer, RespondentAnswer.respondent_id == Respondent.id)
        .where(Respondent.assessment_id == assessment.id, RespondentAnswer.question_id == question_id)
        .order_by(Respondent.id)
    ).all()
    texts = [(name, text) for name, text in rows if text]
    if len(texts) == 1 and len(found.given) == 1:
        return texts[0][1]
    return "\n".join(f"{name}: {text}" for name, text in texts)[:MAX_NOTE]
