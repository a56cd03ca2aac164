"""Comparing two assessments of one organisation, for the comparison page and the API: this gathers what
planning.comparison reads of each, and the titles a page needs to show the result in words."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..extensions import knowledge_base
from ..knowledge.model import ClauseGroup
from ..knowledge.relations import Crosswalk
from ..models import ActionStatus, Assessment, Organisation, User
from ..planning import comparison
from . import consolidation, editions, tenancy
from .errors import Invalid, NotFound
from .evaluation import evaluate


@dataclass(frozen=True)
class Compared:
    result: comparison.Comparison  # what the API returns (schemas.assessments.ComparisonSchema)
    before: Assessment
    after: Assessment
    organisation: Organisation
    action_titles: dict[str, str]
    findings: dict[str, Any]  # every finding of either assessment, by id
    clause_titles: dict[str, str]
    groups: list[tuple[ClauseGroup, list[str]]]  # clause ids per group, in catalogue order


def compare(user: User, first_id: int, second_id: int) -> Compared:
    """Two assessments of one organisation that `user` can read, in either order."""
    first = tenancy.assessment_for(user, first_id)
    second = tenancy.assessment_for(user, second_id)
    if first.organisation_id != second.organisation_id:
        raise NotFound("no such assessment in this organisation")
    if first.id == second.id:
        raise Invalid("choose two different assessments to compare", {"b": ["the same assessment as a"]})
    result = comparison.compare(facts_of(first), facts_of(second), _crosswalk_between(first, second))
    before, after = (first, second) if result.before.id == first.id else (second, first)
    knowledge = knowledge_base()
    actions = {}
    for assessment in (before, after):
        actions.update({a.id: a.title for a in knowledge.ruleset_for(assessment.questionnaire_id).actions.values()})
    catalogue = editions.catalogue_of(after)  # the later assessment's edition: the comparison is read in it
    return Compared(
        result=result,
        before=before,
        after=after,
        organisation=after.organisation,
        action_titles=actions,
        findings={f["id"]: f for f in result.findings.every()},
        clause_titles={c.id: c.title for c in catalogue.clauses},
        groups=[(g, [c.id for c in catalogue.clauses if c.group == g.id]) for g in catalogue.groups],
    )


def facts_of(assessment: Assessment) -> comparison.Facts:
    report = evaluate(assessment).to_dict()
    return comparison.Facts(
        id=assessment.id,
        started_at=assessment.started_at,
        report=report,
        done_actions=frozenset(a.action_id for a in assessment.plan_actions if a.status is ActionStatus.DONE),
        alignment=consolidation.alignment_of(assessment),
        # A snapshot frozen before editions has none: it was read in the questionnaire's own.
        edition=report.get("edition") or knowledge_base().questionnaire(assessment.questionnaire_id).standard,
    )


def _crosswalk_between(first: Assessment, second: Assessment) -> Crosswalk | None:
    pair = {first.edition, second.edition}
    return next((c for c in knowledge_base().crosswalks if {c.source, c.target} == pair), None)
