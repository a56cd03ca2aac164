"""The transition view of an assessment: what the next edition of its standard changes for this organisation."""

from __future__ import annotations

from typing import Any

from ..extensions import knowledge_base
from ..models import Assessment
from ..planning.report import Report
from ..planning.transition import Transition, transition_for
from . import evaluation
from .answers import answer_values


def transition_of(
    assessment: Assessment, report: Report | None = None, values: dict[str, Any] | None = None
) -> Transition | None:
    """None when the knowledge base has no crosswalk leading on from the assessment's edition. `report` and
    `values` (answers by question id) when the caller has them already."""
    kb = knowledge_base()
    questionnaire = kb.questionnaire(assessment.questionnaire_id)
    report = report if report is not None else evaluation.evaluate(assessment)
    assert isinstance(report, Report)  # a full report: the plan's ranks are read
    if values is None:
        values = {q: row.value for q, row in answer_values(assessment).items()}
    values = {q: v for q, v in values.items() if questionnaire.has_question(q)}
    return transition_for(kb, assessment.questionnaire_id, values, report)
