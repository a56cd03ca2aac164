"""Evaluation of an assessment: the rules run on its answers (memoised, since the report is a pure function of
them), the snapshot of a completed one, and the summary kept on the assessment row for lists."""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from ..extensions import db, knowledge_base
from ..knowledge.answers import Answer as AnswerValue
from ..knowledge.answers import check_value
from ..knowledge.model import NOT_APPLICABLE, KnowledgeBase
from ..knowledge.rekey import edition_or_default
from ..models import Assessment, AssessmentStatus
from ..models.base import utcnow
from ..planning.assess import assess
from ..planning.report import BriefReport, Report
from . import consolidation, evidence
from .answers import AnswerBrief, answer_values


def evaluate(
    assessment: Assessment,
    values: dict[str, AnswerBrief] | None = None,
    *,
    brief: bool = False,
    one_voice: bool = False,
) -> Report | BriefReport:
    """The snapshot of a completed assessment (always a full report), or a fresh evaluation of one in progress
    (of `values` when the caller has just read them; a brief report if the caller asks, see planning.assess).
    `one_voice`: `values` are one respondent's own answers, evaluated as if nobody else had answered (their chat).
    A caller that needs the plan asks for a full report (the default) and reads a Report; only a full report reads
    which answers have evidence (one query), for the evidenced readiness and the plan's evidence actions."""
    return evaluate_keyed(assessment, values, brief=brief, one_voice=one_voice)[0]


def evaluate_keyed(
    assessment: Assessment,
    values: dict[str, AnswerBrief] | None = None,
    *,
    brief: bool = False,
    one_voice: bool = False,
) -> tuple[Report | BriefReport, tuple]:
    """evaluate(), and a key that names everything the report is a function of: equal keys, equal reports. What
    a page renders from the report alone can be cached under it (results.views caches the findings)."""
    snapshot = assessment.snapshot if assessment.status is AssessmentStatus.COMPLETED and not one_voice else None
    if snapshot is not None:
        # A snapshot is frozen: it is replaced (completion.reopen, then a new completion), never changed, and a new
        # one has another creation time.
        key = ("snapshot", snapshot.id, snapshot.created_at.isoformat(), snapshot.kb_version)
        return Report.from_dict(snapshot.result), key
    knowledge = knowledge_base()
    questionnaire = knowledge.questionnaire(assessment.questionnaire_id)
    with_others = assessment.has_respondents and not one_voice
    disputes = consolidation.disputes_of(assessment) if with_others else {}
    rows = values if values is not None else answer_values(assessment)
    answers = _checked_values(knowledge, questionnaire, rows)
    # Of the notes, only whether an exclusion gives its reason changes the report (planning.exclusions).
    noted = sorted(q for q, v in answers.items() if v == NOT_APPLICABLE and rows[q].note.strip())
    # An edition the knowledge base no longer reaches from the questionnaire reads in the default one.
    edition = edition_or_default(knowledge, assessment.questionnaire_id, assessment.edition)
    # Which answers evidence backs is part of what a full report is a function of (planning.evidenced): evidence
    # added, deleted or confirmed changes the key, so neither the memo nor a page cached under it goes stale.
    backed = None if brief else evidence.backed_questions(assessment)
    key = _key(knowledge, assessment.questionnaire_id, edition, brief, answers, disputes, noted, backed)
    report = _assess_memo(knowledge, assessment.questionnaire_id, answers, disputes, brief, noted, edition, key, backed)
    return report, key


def _key(knowledge, questionnaire_id, edition, brief, answers, disputes, noted, backed) -> tuple:
    evidenced = None if backed is None else sorted(backed)
    return (
        knowledge.version,
        questionnaire_id,
        edition,
        brief,
        json.dumps([answers, disputes, noted, evidenced], sort_keys=True),
    )


def _checked_values(knowledge: KnowledgeBase, questionnaire, rows: dict[str, AnswerBrief]) -> dict[str, Any]:
    """The stored values the current questionnaire accepts, in canonical form. They were checked on their way in,
    but perhaps against another knowledge base: an answer the current questionnaire no longer accepts is asked
    again, so each is checked anew, once per knowledge base version and set of stored values (memoised)."""
    if any(row.checked for row in rows.values()):  # just checked on its way in: checking again would find nothing
        return _check_each(questionnaire, rows)
    key = (knowledge.version, questionnaire.id, json.dumps({q: r.value for q, r in rows.items()}, sort_keys=True))
    with _memo_lock:
        if key in _checked_memo:
            _checked_memo.move_to_end(key)
            return dict(_checked_memo[key])
    answers = _check_each(questionnaire, rows)
    with _memo_lock:
        _checked_memo[key] = dict(answers)
        while len(_checked_memo) > _MEMO_SIZE:
            _checked_memo.popitem(last=False)
    return answers


def _check_each(questionnaire, rows: dict[str, AnswerBrief]) -> dict[str, Any]:
    answers = {}
    for question_id, row in rows.items():
        if row.checked:
            answers[question_id] = row.value
        elif questionnaire.has_question(question_id):
            value, error = check_value(questionnaire.question(question_id), row.value)
            if not error:
                answers[question_id] = value
    return answers


_MEMO_SIZE = 256
_memo: OrderedDict[tuple, Report | BriefReport] = OrderedDict()
_memo_lock = threading.Lock()
_checked_memo: OrderedDict[tuple, dict[str, Any]] = OrderedDict()


def _assess_memo(
    knowledge: KnowledgeBase,
    questionnaire_id: str,
    answers: dict[str, Any],
    disputes: dict[str, str],
    brief: bool = False,
    noted: Sequence[str] = (),
    edition: str | None = None,
    key: tuple | None = None,
    backed: frozenset[str] | None = None,
) -> Report | BriefReport:
    """assess() is a pure function of the knowledge base, the answers, the disagreements and which answers have
    evidence, so its results can be reused: the chat asks for the report before and after each answer (reports are
    frozen, so sharing is safe)."""
    if key is None:
        key = _key(knowledge, questionnaire_id, edition, brief, answers, disputes, noted, backed)
    with _memo_lock:
        if key in _memo:
            _memo.move_to_end(key)
            return _memo[key]
    given = {**answers, **{q: AnswerValue(answers[q], note="(a reason is given)") for q in noted}}
    report = assess(knowledge, questionnaire_id, given, disputes, brief=brief, edition=edition, backed=backed)
    with _memo_lock:
        _memo[key] = report
        while len(_memo) > _MEMO_SIZE:
            _memo.popitem(last=False)
    return report


def refresh_summary(assessment: Assessment) -> Report:
    """Evaluate (answers flushed but not yet committed count) and keep the brief on the assessment row."""
    db.session.flush()
    report = evaluate(assessment)
    set_summary(assessment, report)
    return report


ACTIVITY_RESOLUTION = timedelta(minutes=1)


def set_summary(assessment: Assessment, report: BriefReport) -> None:
    assessment.readiness = report.readiness.overall
    assessment.verdict = report.verdict.level
    assessment.open_major_ids = report.major_ids
    assessment.open_majors = len(assessment.open_major_ids)
    # Lists show the last activity by the day: touching it at most once a minute lets an answer that changes
    # nothing in the summary leave the assessment row alone (unchanged values are not written).
    now = utcnow()
    if assessment.last_activity_at is None or now - assessment.last_activity_at >= ACTIVITY_RESOLUTION:
        assessment.last_activity_at = now
