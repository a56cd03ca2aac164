"""Answer rows: the answer that counts for each question, written with its version check, its history of
revisions, and what is read of them. The bottom of the services: assessments, respondents and evaluation use it,
it uses none of them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.attributes import set_committed_value

from ..extensions import db, knowledge_base
from ..knowledge.answers import Answer as AnswerValue
from ..knowledge.answers import check_answers, check_notes
from ..models import Answer, AnswerRevision, Assessment, AssessmentStatus, Evidence, User
from ..models.base import utcnow
from .errors import Conflict, Invalid


def require_open(assessment: Assessment) -> None:
    if assessment.status is AssessmentStatus.COMPLETED:
        raise Conflict("this assessment is completed; start a repeat assessment to change answers")


@dataclass(frozen=True)
class AnswerBrief:
    value: Any
    to_confirm: bool
    checked: bool = False  # checked against the questionnaire on its way in (check_answer) in this very request
    note: str = ""  # a "not applicable" needs its reason (planning.exclusions)


def answers_of(assessment: Assessment) -> dict[str, Answer]:
    rows = db.session.scalars(sa.select(Answer).where(Answer.assessment_id == assessment.id)).all()
    return {a.question_id: a for a in rows if a.value is not None}


def answer_values(assessment: Assessment) -> dict[str, AnswerBrief]:
    """Just the values (and whether each is still to confirm): what evaluation and the chat need, read cheaply."""
    rows = db.session.execute(
        sa.select(Answer.question_id, Answer.value, Answer.to_confirm, Answer.note).where(
            Answer.assessment_id == assessment.id
        )
    )
    return {q: AnswerBrief(v, c, note=n or "") for q, v, c, n in rows if v is not None}


def current_answer(assessment_id: int, question_id: str) -> Answer | None:
    """The row that counts for one question (in an assessment with respondents: their consolidation)."""
    return db.session.scalar(
        sa.select(Answer).where(Answer.assessment_id == assessment_id, Answer.question_id == question_id)
    )


def entry(value: Any, note: str | None, evidence: str | None) -> Any:
    entry = {"value": value}
    if note is not None:
        entry["note"] = note
    if evidence is not None:
        entry["evidence"] = evidence
    return entry


def checked(assessment: Assessment, entries: dict[str, Any]) -> dict[str, AnswerValue]:
    questionnaire = knowledge_base().questionnaire(assessment.questionnaire_id)
    raw = {
        q: ({k: v for k, v in e.items() if k != "version"} if isinstance(e, dict) else e) for q, e in entries.items()
    }
    checked, problems = check_answers(questionnaire, raw)
    if problems:
        raise Invalid("invalid answer", {p.question: [p.message] for p in problems})
    return checked


def check_answer(
    assessment: Assessment,
    question_id: str,
    value: Any,
    note: str | None = None,
    evidence: str | None = None,
    *,
    canonical: bool = False,
) -> AnswerValue:
    """One answer checked on its way in, once: what assessments.write_checked takes; Invalid says what is wrong.
    `canonical`: the value is in canonical form already, as interview.understand gives it (it checks what it
    understood against the question), so only the note and the evidence are left to check."""
    if not canonical:
        return checked(assessment, {question_id: entry(value, note, evidence)})[question_id]
    error = check_notes(note or "", evidence or "")
    if error:
        raise Invalid("invalid answer", {question_id: [error]})
    return AnswerValue(value, note or "", evidence or "")


_UNREAD = object()


def write(
    assessment: Assessment, user: User, question_id: str, new: AnswerValue, expected: int | None, current=_UNREAD
) -> Answer:
    """Write the answer that counts for one question, keeping the replaced value in its history (no commit).
    `expected`: the version the caller last saw (None: any); `current`: the row if the caller has just read it."""
    if current is _UNREAD:
        current = current_answer(assessment.id, question_id)
    if current is None:
        if expected not in (None, 0):
            raise Conflict(f"'{question_id}' has no answer yet; reload before editing")
        answer = Answer(
            assessment_id=assessment.id,
            question_id=question_id,
            value=new.value,
            note=new.note,
            evidence=new.evidence,
            answered_by_id=user.id,
            answered_at=utcnow(),
            version=1,
        )
        db.session.add(answer)
        try:
            db.session.flush()
        except IntegrityError:
            db.session.rollback()
            raise Conflict(f"'{question_id}' was answered by someone else meanwhile; reload and try again") from None
        return answer
    if expected is not None and expected != current.version:
        db.session.rollback()  # answers saved before this one in the same call go too
        raise Conflict(f"'{question_id}' was changed by someone else meanwhile (now version {current.version})")
    # The version in the WHERE clause makes two simultaneous edits of one answer collide instead of one being lost.
    # The earlier value goes to the history only once the update has matched: an edit that lost the race would
    # otherwise insert the same revision as the winner and fail on its unique key (a 500, not a 409).
    written = {
        "value": new.value,
        "note": new.note,
        "evidence": new.evidence,
        "to_confirm": False,
        "answered_by_id": user.id,
        "answered_at": utcnow(),
        "version": current.version + 1,
    }
    result = db.session.execute(
        sa.update(Answer)
        .where(Answer.id == current.id, Answer.version == current.version)
        .values(**written)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        db.session.rollback()
        raise Conflict(f"'{question_id}' was changed by someone else meanwhile; reload and try again")
    _keep_revision(current)  # `current` still holds the replaced values: the UPDATE did not synchronise it
    if current.to_confirm and current.value == new.value:
        _confirm_carried_evidence(assessment.id, question_id)
    # Now it takes the values just written, as loaded from the database (not as changes to flush): reading the
    # row back would cost a query on every answer.
    for key, value in written.items():
        set_committed_value(current, key, value)
    return current


def _confirm_carried_evidence(assessment_id: int, question_id: str) -> None:
    """A repeat's answer confirmed as still true: the records carried over with it are taken to hold as well. A
    changed answer leaves them to be confirmed one by one (services.evidence.confirm), since they backed another
    value."""
    db.session.execute(
        sa.update(Evidence)
        .where(
            Evidence.assessment_id == assessment_id,
            Evidence.question_id == question_id,
            Evidence.to_confirm.is_(True),
        )
        .values(to_confirm=False)
        .execution_options(synchronize_session=False)
    )


def blank(answer: Answer, user: User) -> None:
    """The question goes back to unanswered; the value it had stays in the history."""
    _keep_revision(answer)
    answer.value = None
    answer.note = answer.evidence = ""
    answer.version += 1
    answer.answered_by_id = user.id
    answer.answered_at = utcnow()
    db.session.flush()


def add_checked(assessment: Assessment, user: User, answers: dict[str, AnswerValue], at=None) -> None:
    """First answers of a new assessment, already checked (an imported file, the demo); the caller commits."""
    for question_id, answer in answers.items():
        db.session.add(
            Answer(
                assessment_id=assessment.id,
                question_id=question_id,
                value=answer.value,
                note=answer.note,
                evidence=answer.evidence,
                answered_by_id=user.id,
                answered_at=at or utcnow(),
            )
        )
    db.session.flush()


def _keep_revision(answer: Answer) -> None:
    db.session.add(
        AnswerRevision(
            answer_id=answer.id,
            version=answer.version,
            value=answer.value,
            note=answer.note,
            evidence=answer.evidence,
            answered_by_id=answer.answered_by_id,
            answered_at=answer.answered_at,
        )
    )
