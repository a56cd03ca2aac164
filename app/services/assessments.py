"""Assessments and their answers: start, answer, complete, repeat, compare, plan actions, import and export."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from ..extensions import db, knowledge_base
from ..knowledge.answer_file import AnswerFileInvalid, dump_answer_file, parse_answer_file
from ..knowledge.answers import Answer as AnswerValue
from ..knowledge.answers import check_value
from ..models import (
    ActionStatus,
    Answer,
    Assessment,
    AssessmentStatus,
    EvaluationSnapshot,
    Organisation,
    PlanAction,
    User,
)
from ..models.base import utcnow
from ..planning.plan import PlanItem, TrackedItem
from ..planning.report import BriefReport, Report
from . import answers, editions, evaluation, evidence, respondents, suggestions, tenancy, titles
from .errors import Conflict, Invalid, NotFound

# ---------------------------------------------------------------------------------------------- start


def start_assessment(
    user: User, organisation_id: int, questionnaire_id: str, title: str = "", edition: str | None = None
) -> Assessment:
    tenancy.organisation_for(user, organisation_id, manage=True)
    assessment = _new_assessment(user, organisation_id, questionnaire_id, title, edition=edition)
    evaluation.refresh_summary(assessment)
    db.session.commit()
    return assessment


def _new_assessment(
    user: User,
    organisation_id: int,
    questionnaire_id: str,
    title: str,
    repeats: Assessment | None = None,
    edition: str | None = None,
) -> Assessment:
    """`edition`: the one asked for, else the organisation's default (a repeat too: a team that moved to the new
    edition repeats in it, and the comparison maps the clauses through the crosswalk)."""
    knowledge = knowledge_base()
    if questionnaire_id not in knowledge.questionnaires:
        raise Invalid(
            "unknown questionnaire", {"questionnaire": [f"expected one of {', '.join(knowledge.questionnaires)}"]}
        )
    questionnaire = knowledge.questionnaire(questionnaire_id)
    today = utcnow().date()
    if repeats is not None:
        title = titles.repeat_title(title or repeats.title or questionnaire.title, today)
    title = title.strip() or titles.new_title(questionnaire.title, today)
    assessment = Assessment(
        organisation_id=organisation_id,
        questionnaire_id=questionnaire_id,
        questionnaire_version=questionnaire.version,
        edition=editions.edition_for(db.session.get(Organisation, organisation_id), questionnaire_id, edition),
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
    carried: set[str] = set()
    for old in previous.answers:
        if not questionnaire.has_question(old.question_id):
            continue
        value, error = check_value(questionnaire.question(old.question_id), old.value)
        if error:
            continue  # the question changed since; it is asked again rather than copied wrongly
        carried.add(old.question_id)
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
    db.session.flush()
    evidence.carry_over(previous, fresh, carried)
    evaluation.refresh_summary(fresh)
    db.session.commit()
    return fresh


# ---------------------------------------------------------------------------------------------- answers


@dataclass
class SavedAnswer:
    answer: Answer
    report: Report
    previous_report: Report | None = None


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
    previous_report = evaluation.evaluate(assessment) if with_previous_report else None
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
    values: dict[str, answers.AnswerBrief] | None = None,
    brief: bool = False,
) -> tuple[Answer, BriefReport]:
    """save_answer without the commit, for a caller that adds to the same transaction.
    The caller has checked access with tenancy.assessment_for(..., answer=True) and must commit or roll back."""
    answers.require_open(assessment)
    checked = answers.check_answer(assessment, question_id, value, note, evidence)
    keep = (note is None, evidence is None)
    return write_checked(user, assessment, question_id, checked, expected_version, keep, values=values, brief=brief)


def write_checked(
    user: User,
    assessment: Assessment,
    question_id: str,
    checked: AnswerValue,
    expected_version: int | None = None,
    keep: tuple[bool, bool] = (False, False),
    *,
    values: dict[str, answers.AnswerBrief] | None = None,
    brief: bool = False,
) -> tuple[Answer, BriefReport]:
    """An answer answers.check_answer has checked, saved (its version checked against `expected_version`) and
    evaluated, without the commit, for a caller that adds to the same transaction (the chat's bubbles). `keep`:
    whether the note and the evidence already given stay (the caller gave none). `values`: the answers as the
    caller has just read them (answer_values), so they are not read again; `brief`: whether a brief report will
    do (see planning.assess). With several respondents the answer is the caller's own and the report is
    of the consolidated answers. The caller has checked access and must commit or roll back."""
    answers.require_open(assessment)
    if assessment.has_respondents:
        mine = respondents.write(user, assessment, question_id, checked, expected_version, keep)
        return mine, evaluation.refresh_summary(assessment)
    current = answers.current_answer(assessment.id, question_id)
    if current is not None and any(keep):  # not given: keep what the answer says
        checked = AnswerValue(
            checked.value,
            current.note if keep[0] else checked.note,
            current.evidence if keep[1] else checked.evidence,
        )
    # Evaluate before writing: with SQLite the first write locks the database until the commit, so the
    # (comparatively slow) evaluation must not happen inside that window.
    if values is None:
        values = answers.answer_values(assessment)
    projected = {**values, question_id: answers.AnswerBrief(checked.value, False, checked=True, note=checked.note)}
    report = evaluation.evaluate(assessment, projected, brief=brief)
    answer = answers.write(assessment, user, question_id, checked, expected_version, current)
    evaluation.set_summary(assessment, report)
    if question_id in suggestions.TRIGGERS:
        suggestions.offer(assessment, {q: a.value for q, a in projected.items()})
    return answer, report


def write_floor_answer(user: User, assessment_id: int, question_id: str, value: Any) -> None:
    """For the benchmark's floor: the same access check and the same durable write as an answer, no evaluation."""
    assessment = tenancy.assessment_for(user, assessment_id, answer=True)
    answers.require_open(assessment)
    canonical = answers.checked(assessment, {question_id: value})[question_id]
    answers.write(assessment, user, question_id, canonical, None)
    db.session.commit()


def save_answers(user: User, assessment_id: int, entries: dict[str, Any]) -> list[Answer]:
    """Several answers at once: all of them are checked first, then saved together or not at all."""
    assessment = tenancy.assessment_for(user, assessment_id, answer=True, own=True)
    answers.require_open(assessment)
    checked = answers.checked(assessment, entries)
    versions = {q: e.get("version") for q, e in entries.items() if isinstance(e, dict)}
    if assessment.has_respondents:
        saved = [respondents.write(user, assessment, q, a, versions.get(q)) for q, a in checked.items()]
    else:
        saved = [answers.write(assessment, user, q, a, versions.get(q)) for q, a in checked.items()]
        if suggestions.TRIGGERS & checked.keys():
            db.session.flush()
            suggestions.offer(assessment, {q: a.value for q, a in answers.answer_values(assessment).items()})
    evaluation.refresh_summary(assessment)
    db.session.commit()
    return saved


def clear_answer(user: User, assessment_id: int, question_id: str) -> None:
    """Withdraw an answer (the question goes back to unanswered); its values stay in the history."""
    assessment = tenancy.assessment_for(user, assessment_id, answer=True)
    answers.require_open(assessment)
    if assessment.has_respondents:
        respondents.withdraw(user, assessment, question_id)
    else:
        answer = answers.current_answer(assessment.id, question_id)
        if answer is None:
            return
        answers.blank(answer, user)
    evaluation.refresh_summary(assessment)
    db.session.commit()


# ---------------------------------------------------------------------------------------------- evaluation


def complete_assessment(user: User, assessment_id: int) -> Assessment:
    assessment = tenancy.assessment_for(user, assessment_id, manage=True)
    answers.require_open(assessment)
    result = evaluation.refresh_summary(assessment)
    assessment.snapshot = EvaluationSnapshot(kb_version=result.kb_version, result=result.to_dict())
    assessment.status = AssessmentStatus.COMPLETED
    assessment.completed_at = utcnow()
    db.session.commit()
    return assessment


# ---------------------------------------------------------------------------------------------- plan actions


def plan_of(assessment: Assessment, report: Report | None = None) -> list[TrackedItem]:
    """The evaluated plan with each action's stored status, owner, due date and notes."""
    report = report or evaluation.evaluate(assessment)
    stored = {a.action_id: a for a in assessment.plan_actions}
    plan = []
    for item in report.plan:
        row = stored.get(item.id)
        if row is None:
            plan.append(item.tracked(**_tracking_of_steps(item, stored)))
            continue
        due = row.due_date.isoformat() if row.due_date else None
        plan.append(
            item.tracked(status=row.status.value, owner=row.owner, due_date=due, notes=row.notes, version=row.version)
        )
    return plan


def _tracking_of_steps(item: PlanItem, stored: dict[str, PlanAction]) -> dict[str, Any]:
    """A bundle nobody has tracked yet shows what was tracked under its steps: plans tracked before actions were
    bundled (or tracked by step in a repeated assessment) keep their owners, dates and notes in view."""
    rows = [(step, stored[step.id]) for step in item.steps if step.id in stored]
    if not rows:
        return {"status": ActionStatus.TODO.value}
    finished = {ActionStatus.DONE, ActionStatus.WONT_DO}
    if len(rows) == len(item.steps) and all(row.status in finished for _, row in rows):
        status = ActionStatus.DONE
    elif any(row.status in (ActionStatus.DOING, ActionStatus.DONE) for _, row in rows):
        status = ActionStatus.DOING
    else:
        status = ActionStatus.TODO
    dates = [row.due_date for _, row in rows if row.due_date]
    return {
        "status": status.value,
        "owner": ", ".join(dict.fromkeys(row.owner for _, row in rows if row.owner))[:200],
        "due_date": min(dates).isoformat() if dates else None,
        "notes": "\n".join(f"{step.title}: {row.notes}" for step, row in rows if row.notes)[:4000],
    }


def update_plan_action(
    user: User, assessment_id: int, action_id: str, changes: dict[str, Any], expected_version: int | None = None
) -> PlanAction:
    assessment = tenancy.assessment_for(user, assessment_id, manage=True)
    item = next((i for i in evaluation.evaluate(assessment).plan if i.id == action_id), None)
    row = db.session.scalar(
        sa.select(PlanAction).where(PlanAction.assessment_id == assessment.id, PlanAction.action_id == action_id)
    )
    if item is None and row is None:
        raise NotFound("no such action in this assessment's plan")
    if expected_version is not None and expected_version != (row.version if row else 0):
        raise Conflict("this action was changed by someone else meanwhile; reload and try again")
    if row is None:
        row = PlanAction(assessment_id=assessment.id, action_id=action_id, title=item.title)
        if item.steps:  # the first edit of a bundle starts from what its steps showed, so nothing drops out of view
            stored = {a.action_id: a for a in assessment.plan_actions}
            carried = _tracking_of_steps(item, stored)
            row.status = ActionStatus(carried["status"])
            row.owner = carried.get("owner", "")
            row.notes = carried.get("notes", "")
            row.due_date = date.fromisoformat(carried["due_date"]) if carried.get("due_date") else None
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
    rows = answers.answers_of(assessment)
    order = {q.id: i for i, q in enumerate(knowledge_base().questionnaire(assessment.questionnaire_id).questions)}
    # In questionnaire order, so the same answers always give the same file (databases return rows in any order).
    ordered = {
        q: AnswerValue(rows[q].value, rows[q].note, rows[q].evidence)
        for q in sorted(rows, key=lambda q: (order.get(q, len(order)), q))
    }
    return dump_answer_file(
        assessment.questionnaire_id, {"name": assessment.organisation.name}, ordered, assessment.edition
    )


def import_answers(user: User, organisation_id: int, text: str, title: str = "") -> Assessment:
    tenancy.organisation_for(user, organisation_id, manage=True)
    try:
        parsed = parse_answer_file(text, knowledge_base())
    except AnswerFileInvalid as error:
        raise Invalid("invalid answers file", {p.where: [str(p)] for p in error.problems}) from None
    assessment = _new_assessment(user, organisation_id, parsed.questionnaire, title, edition=parsed.edition)
    answers.add_checked(assessment, user, parsed.answers)
    evaluation.refresh_summary(assessment)
    db.session.commit()
    return assessment


def assessments_of(user: User, organisation_id: int) -> list[Assessment]:
    tenancy.organisation_for(user, organisation_id)
    return list(
        db.session.scalars(
            sa.select(Assessment)
            .where(Assessment.organisation_id == organisation_id)
            .order_by(Assessment.started_at.desc(), Assessment.id.desc())
        )
    )
