"""Assessments and their answers: start, answer, complete, repeat, compare, plan actions, import and export."""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.exc import StaleDataError

from ..extensions import db, knowledge_base
from ..knowledge.answer_file import AnswerFileInvalid, dump_answer_file, parse_answer_file
from ..knowledge.answers import Answer as AnswerValue
from ..knowledge.answers import check_answers, check_value
from ..knowledge.model import KnowledgeBase
from ..models import (
    ActionStatus,
    Answer,
    AnswerRevision,
    Assessment,
    AssessmentStatus,
    EvaluationSnapshot,
    PlanAction,
    User,
)
from ..models.base import utcnow
from ..planning.report import assess
from . import respondents, tenancy
from .errors import Conflict, Invalid, NotFound

# ---------------------------------------------------------------------------------------------- start


def start_assessment(user: User, organisation_id: int, questionnaire_id: str, title: str = "") -> Assessment:
    tenancy.organisation_for(user, organisation_id, manage=True)
    assessment = _new_assessment(user, organisation_id, questionnaire_id, title)
    refresh_summary(assessment)
    db.session.commit()
    return assessment


def _new_assessment(
    user: User, organisation_id: int, questionnaire_id: str, title: str, repeats: Assessment | None = None
) -> Assessment:
    knowledge = knowledge_base()
    if questionnaire_id not in knowledge.questionnaires:
        raise Invalid(
            "unknown questionnaire", {"questionnaire": [f"expected one of {', '.join(knowledge.questionnaires)}"]}
        )
    questionnaire = knowledge.questionnaire(questionnaire_id)
    assessment = Assessment(
        organisation_id=organisation_id,
        questionnaire_id=questionnaire_id,
        questionnaire_version=questionnaire.version,
        kb_version=knowledge.version,
        title=title.strip()[:200],
        started_by_id=user.id,
        repeats_id=repeats.id if repeats else None,
    )
    db.session.add(assessment)
    db.session.flush()
    return assessment


def repeat_assessment(user: User, assessment_id: int) -> Assessment:
    """A new assessment of the same organisation, answers copied and marked "to confirm", plan actions carried."""
    previous = tenancy.assessment_for(user, assessment_id, manage=True)
    questionnaire = knowledge_base().questionnaire(previous.questionnaire_id)
    fresh = _new_assessment(user, previous.organisation_id, previous.questionnaire_id, previous.title, previous)
    for old in previous.answers:
        if not questionnaire.has_question(old.question_id):
            continue
        value, error = check_value(questionnaire.question(old.question_id), old.value)
        if error:
            continue  # the question changed since; it is asked again rather than copied wrongly
        fresh.answers.append(
            Answer(
                question_id=old.question_id,
                value=value,
                note=old.note,
                evidence=old.evidence,
                to_confirm=True,
                answered_by_id=old.answered_by_id,
                answered_at=old.answered_at,
            )
        )
    for action in previous.plan_actions:
        fresh.plan_actions.append(
            PlanAction(
                action_id=action.action_id,
                title=action.title,
                status=action.status,
                owner=action.owner,
                due_date=action.due_date,
                notes=action.notes,
            )
        )
    refresh_summary(fresh)
    db.session.commit()
    return fresh


# ---------------------------------------------------------------------------------------------- answers


@dataclass
class SavedAnswer:
    answer: Answer
    report: dict[str, Any]
    previous_report: dict[str, Any] | None = None


def save_answer(
    user: User,
    assessment_id: int,
    question_id: str,
    value: Any,
    *,
    note: str | None = None,
    evidence: str | None = None,
    expected_version: int | None = None,
    with_previous_report: bool = False,
) -> SavedAnswer:
    """One answer, checked, saved in its own transaction with the earlier value kept, and re-evaluated."""
    assessment = tenancy.assessment_for(user, assessment_id, answer=True, own=True)
    previous_report = evaluate(assessment) if with_previous_report else None
    answer, report = write_answer(user, assessment, question_id, value, note, evidence, expected_version)
    db.session.commit()
    return SavedAnswer(answer, report, previous_report)


def write_answer(
    user: User,
    assessment: Assessment,
    question_id: str,
    value: Any,
    note: str | None = None,
    evidence: str | None = None,
    expected_version: int | None = None,
    *,
    values: dict[str, AnswerBrief] | None = None,
    brief: bool = False,
) -> tuple[Answer, dict[str, Any]]:
    """save_answer without the commit, for a caller that adds to the same transaction (the chat's bubbles).
    The caller has checked access with tenancy.assessment_for(..., answer=True) and must commit or roll back.
    `values`: the answers as the caller has just read them (answer_values), so they are not read again; `brief`:
    whether a brief report will do (see planning.report.assess). With several respondents the answer is the
    caller's own and the report is of the consolidated answers."""
    require_open(assessment)
    canonical = _checked(assessment, {question_id: _entry(value, note, evidence)})[question_id]
    if assessment.has_respondents:
        keep = (note is None, evidence is None)
        mine = respondents.write(user, assessment, question_id, canonical, expected_version, keep)
        return mine, refresh_summary(assessment)
    current = current_answer(assessment.id, question_id)
    if current is not None and (note is None or evidence is None):  # not given: keep what the answer says
        canonical = AnswerValue(
            canonical.value,
            current.note if note is None else canonical.note,
            current.evidence if evidence is None else canonical.evidence,
        )
    # Evaluate before writing: with SQLite the first write locks the database until the commit, so the
    # (comparatively slow) evaluation must not happen inside that window.
    if values is None:
        values = answer_values(assessment)
    projected = {**values, question_id: AnswerBrief(canonical.value, False)}
    report = evaluate(assessment, projected, brief=brief)
    answer = _write(assessment, user, question_id, canonical, expected_version, current)
    _set_summary(assessment, report)
    return answer, report


def write_floor_answer(user: User, assessment_id: int, question_id: str, value: Any) -> None:
    """For the benchmark's floor: the same access check and the same durable write as an answer, no evaluation."""
    assessment = tenancy.assessment_for(user, assessment_id, answer=True)
    require_open(assessment)
    canonical = _checked(assessment, {question_id: value})[question_id]
    _write(assessment, user, question_id, canonical, None)
    db.session.commit()


def save_answers(user: User, assessment_id: int, entries: dict[str, Any]) -> list[Answer]:
    """Several answers at once: all of them are checked first, then saved together or not at all."""
    assessment = tenancy.assessment_for(user, assessment_id, answer=True, own=True)
    require_open(assessment)
    checked = _checked(assessment, entries)
    versions = {q: e.get("version") for q, e in entries.items() if isinstance(e, dict)}
    if assessment.has_respondents:
        saved = [respondents.write(user, assessment, q, a, versions.get(q)) for q, a in checked.items()]
    else:
        saved = [_write(assessment, user, q, a, versions.get(q)) for q, a in checked.items()]
    refresh_summary(assessment)
    db.session.commit()
    return saved


def clear_answer(user: User, assessment_id: int, question_id: str) -> None:
    """Withdraw an answer (the question goes back to unanswered); its values stay in the history."""
    assessment = tenancy.assessment_for(user, assessment_id, answer=True)
    require_open(assessment)
    if assessment.has_respondents:
        respondents.withdraw(user, assessment, question_id)
    else:
        answer = current_answer(assessment.id, question_id)
        if answer is None:
            return
        blank(answer, user)
    refresh_summary(assessment)
    db.session.commit()


def blank(answer: Answer, user: User) -> None:
    """The question goes back to unanswered; the value it had stays in the history."""
    _keep_revision(answer)
    answer.value = None
    answer.note = answer.evidence = ""
    answer.version += 1
    answer.answered_by_id = user.id
    answer.answered_at = utcnow()
    db.session.flush()


def answers_of(assessment: Assessment) -> dict[str, Answer]:
    rows = db.session.scalars(sa.select(Answer).where(Answer.assessment_id == assessment.id)).all()
    return {a.question_id: a for a in rows if a.value is not None}


@dataclass(frozen=True)
class AnswerBrief:
    value: Any
    to_confirm: bool


def answer_values(assessment: Assessment) -> dict[str, AnswerBrief]:
    """Just the values (and whether each is still to confirm): what evaluation and the chat need, read cheaply."""
    rows = db.session.execute(
        sa.select(Answer.question_id, Answer.value, Answer.to_confirm).where(Answer.assessment_id == assessment.id)
    )
    return {q: AnswerBrief(v, c) for q, v, c in rows if v is not None}


def _entry(value: Any, note: str | None, evidence: str | None) -> Any:
    entry = {"value": value}
    if note is not None:
        entry["note"] = note
    if evidence is not None:
        entry["evidence"] = evidence
    return entry


def _checked(assessment: Assessment, entries: dict[str, Any]) -> dict[str, AnswerValue]:
    questionnaire = knowledge_base().questionnaire(assessment.questionnaire_id)
    raw = {
        q: ({k: v for k, v in e.items() if k != "version"} if isinstance(e, dict) else e) for q, e in entries.items()
    }
    checked, problems = check_answers(questionnaire, raw)
    if problems:
        raise Invalid("invalid answer", {p.question: [p.message] for p in problems})
    return checked


def current_answer(assessment_id: int, question_id: str) -> Answer | None:
    """The row that counts for one question (in an assessment with respondents: their consolidation)."""
    return db.session.scalar(
        sa.select(Answer).where(Answer.assessment_id == assessment_id, Answer.question_id == question_id)
    )


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


_UNREAD = object()


def store(
    assessment: Assessment, user: User, question_id: str, new: AnswerValue, expected: int | None, current=_UNREAD
) -> Answer:
    """Write the answer that counts for one question, keeping the replaced value in its history (no commit)."""
    return _write(assessment, user, question_id, new, expected, current)


def _write(
    assessment: Assessment, user: User, question_id: str, new: AnswerValue, expected: int | None, current=_UNREAD
) -> Answer:
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
    # Now it takes the values just written, as loaded from the database (not as changes to flush): reading the
    # row back would cost a query on every answer.
    for key, value in written.items():
        set_committed_value(current, key, value)
    return current


def refresh_summary(assessment: Assessment) -> dict[str, Any]:
    """Evaluate (answers flushed but not yet committed count) and keep the brief on the assessment row."""
    db.session.flush()
    report = evaluate(assessment)
    _set_summary(assessment, report)
    return report


ACTIVITY_RESOLUTION = timedelta(minutes=1)


def _set_summary(assessment: Assessment, report: dict[str, Any]) -> None:
    assessment.readiness = report["readiness"]["overall"]
    assessment.verdict = report["verdict"]["level"]
    assessment.open_major_ids = [f["id"] for f in report["findings"] if f["severity"] == "major"]
    assessment.open_majors = len(assessment.open_major_ids)
    # Lists show the last activity by the day: touching it at most once a minute lets an answer that changes
    # nothing in the summary leave the assessment row alone (unchanged values are not written).
    now = utcnow()
    if assessment.last_activity_at is None or now - assessment.last_activity_at >= ACTIVITY_RESOLUTION:
        assessment.last_activity_at = now


def require_open(assessment: Assessment) -> None:
    if assessment.status is AssessmentStatus.COMPLETED:
        raise Conflict("this assessment is completed; start a repeat assessment to change answers")


# ---------------------------------------------------------------------------------------------- evaluation


def evaluate(
    assessment: Assessment,
    values: dict[str, AnswerBrief] | None = None,
    *,
    brief: bool = False,
    one_voice: bool = False,
) -> dict[str, Any]:
    """The snapshot of a completed assessment, or a fresh evaluation of one in progress (of `values` when the
    caller has just read them; a brief report if the caller asks, see planning.report.assess). `one_voice`:
    `values` are one respondent's own answers, evaluated as if nobody else had answered (their chat)."""
    if assessment.status is AssessmentStatus.COMPLETED and assessment.snapshot is not None and not one_voice:
        return assessment.snapshot.result
    knowledge = knowledge_base()
    questionnaire = knowledge.questionnaire(assessment.questionnaire_id)
    with_others = assessment.has_respondents and not one_voice
    disputes = respondents.disputes_of(assessment) if with_others else {}
    answers = {}
    for question_id, row in (values if values is not None else answer_values(assessment)).items():
        if questionnaire.has_question(question_id):
            value, error = check_value(questionnaire.question(question_id), row.value)
            if not error:  # an answer the current questionnaire no longer accepts is asked again
                answers[question_id] = value
    return _assess_memo(knowledge, assessment.questionnaire_id, answers, disputes, brief)


_MEMO_SIZE = 256
_memo: OrderedDict[tuple, dict[str, Any]] = OrderedDict()
_memo_lock = threading.Lock()


def _assess_memo(
    knowledge: KnowledgeBase,
    questionnaire_id: str,
    answers: dict[str, Any],
    disputes: dict[str, str],
    brief: bool = False,
) -> dict[str, Any]:
    """assess() is a pure function of the knowledge base, the answers and the disagreements, so its results can be
    reused: the chat asks for the report before and after each answer. The result is shared; callers must not
    change it."""
    key = (knowledge.version, questionnaire_id, brief, json.dumps([answers, disputes], sort_keys=True))
    with _memo_lock:
        if key in _memo:
            _memo.move_to_end(key)
            return _memo[key]
    report = assess(knowledge, questionnaire_id, answers, disputes, brief=brief)
    with _memo_lock:
        _memo[key] = report
        while len(_memo) > _MEMO_SIZE:
            _memo.popitem(last=False)
    return report


def complete_assessment(user: User, assessment_id: int) -> Assessment:
    assessment = tenancy.assessment_for(user, assessment_id, manage=True)
    require_open(assessment)
    result = refresh_summary(assessment)
    assessment.snapshot = EvaluationSnapshot(kb_version=result["kb_version"], result=result)
    assessment.status = AssessmentStatus.COMPLETED
    assessment.completed_at = utcnow()
    db.session.commit()
    return assessment


# ---------------------------------------------------------------------------------------------- plan actions


def plan_of(assessment: Assessment, report: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """The evaluated plan with each action's stored status, owner, due date and notes."""
    report = report or evaluate(assessment)
    stored = {a.action_id: a for a in assessment.plan_actions}
    plan = []
    for item in report["plan"]:
        row = stored.get(item["id"])
        plan.append(
            {
                **item,
                "status": row.status.value if row else ActionStatus.TODO.value,
                "owner": row.owner if row else "",
                "due_date": row.due_date.isoformat() if row and row.due_date else None,
                "notes": row.notes if row else "",
                "version": row.version if row else 0,
            }
        )
    return plan


def update_plan_action(
    user: User, assessment_id: int, action_id: str, changes: dict[str, Any], expected_version: int | None = None
) -> PlanAction:
    assessment = tenancy.assessment_for(user, assessment_id, manage=True)
    item = next((i for i in evaluate(assessment)["plan"] if i["id"] == action_id), None)
    row = db.session.scalar(
        sa.select(PlanAction).where(PlanAction.assessment_id == assessment.id, PlanAction.action_id == action_id)
    )
    if item is None and row is None:
        raise NotFound("no such action in this assessment's plan")
    if expected_version is not None and expected_version != (row.version if row else 0):
        raise Conflict("this action was changed by someone else meanwhile; reload and try again")
    if row is None:
        row = PlanAction(assessment_id=assessment.id, action_id=action_id, title=item["title"])
        db.session.add(row)
    errors = {}
    if "status" in changes:
        try:
            row.status = ActionStatus(changes["status"])
        except ValueError:
            errors["status"] = [f"expected one of {', '.join(s.value for s in ActionStatus)}"]
    if "owner" in changes:
        row.owner = str(changes["owner"] or "")[:200]
    if "notes" in changes:
        row.notes = str(changes["notes"] or "")[:4000]
    if "due_date" in changes:
        due = changes["due_date"]
        try:
            row.due_date = (
                due if isinstance(due, date) or due is None else date.fromisoformat(str(due)) if due else None
            )
        except ValueError:
            errors["due_date"] = ["expected a date such as 2027-03-31"]
    if errors:
        db.session.rollback()
        raise Invalid("invalid plan action", errors)
    try:
        db.session.commit()
    except (IntegrityError, StaleDataError):
        db.session.rollback()
        raise Conflict("this action was changed by someone else meanwhile; reload and try again") from None
    return row


# ---------------------------------------------------------------------------------------------- import / export


def export_answers(user: User, assessment_id: int) -> str:
    assessment = tenancy.assessment_for(user, assessment_id)
    rows = answers_of(assessment)
    order = {q.id: i for i, q in enumerate(knowledge_base().questionnaire(assessment.questionnaire_id).questions)}
    # In questionnaire order, so the same answers always give the same file (databases return rows in any order).
    answers = {
        q: AnswerValue(rows[q].value, rows[q].note, rows[q].evidence)
        for q in sorted(rows, key=lambda q: (order.get(q, len(order)), q))
    }
    return dump_answer_file(assessment.questionnaire_id, {"name": assessment.organisation.name}, answers)


def import_answers(user: User, organisation_id: int, text: str, title: str = "") -> Assessment:
    tenancy.organisation_for(user, organisation_id, manage=True)
    try:
        parsed = parse_answer_file(text, knowledge_base())
    except AnswerFileInvalid as error:
        raise Invalid("invalid answers file", {p.where: [str(p)] for p in error.problems}) from None
    assessment = _new_assessment(user, organisation_id, parsed.questionnaire, title)
    add_checked_answers(assessment, user, parsed.answers)
    refresh_summary(assessment)
    db.session.commit()
    return assessment


def add_checked_answers(assessment: Assessment, user: User, answers: dict[str, AnswerValue], at=None) -> None:
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


def assessments_of(user: User, organisation_id: int) -> list[Assessment]:
    tenancy.organisation_for(user, organisation_id)
    return list(
        db.session.scalars(
            sa.select(Assessment)
            .where(Assessment.organisation_id == organisation_id)
            .order_by(Assessment.started_at.desc(), Assessment.id.desc())
        )
    )
