"""The whole result of one assessment: findings with provenance, readiness, verdict, plan and advice.

`assess` is the single entry point the CLI, the web pages and the API use; it is a pure function of the knowledge
base and the answers. The chat, which evaluates on every answer, asks for a brief report: the same figures for a
fraction of the cost.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from ..engine import evaluate
from ..knowledge.answers import Answer, answer_label
from ..knowledge.model import DONT_KNOW, NOT_APPLICABLE, SEVERITIES, KnowledgeBase
from .plan import build_plan, clause_sort_key
from .readiness import readiness
from .verdict import verdict

_PLACEHOLDER = re.compile(r"\{([a-z][a-z0-9_]*)\}")


def assess(
    kb: KnowledgeBase,
    questionnaire_id: str,
    answers: Mapping[str, Answer | Any],
    disputes: Mapping[str, str] | None = None,
    *,
    brief: bool = False,
) -> dict[str, Any]:
    """The report. A `brief` one has the readiness, the verdict, the findings without their explanation and
    provenance, and what the engine asked or ignored; no plan, suggestions or facts (they cost the most).
    `disputes`: the questions respondents strongly disagree on, each with how they split (see
    planning.consensus); empty for an assessment with one respondent."""
    questionnaire = kb.questionnaire(questionnaire_id)
    ruleset = kb.ruleset_for(questionnaire_id)
    catalogue = kb.catalogue_for(questionnaire_id)
    values = {q: (a.value if isinstance(a, Answer) else a) for q, a in answers.items()}
    evaluation = evaluate(kb, questionnaire_id, values, disputes)
    counted = {q: v for q, v in values.items() if q not in evaluation.ignored}
    follow_ups = ruleset.follow_ups
    relevant = [q for q in questionnaire.questions if q.id not in follow_ups or q.id in evaluation.asked]

    findings = [(f.rule.id, f.rule.finding) for f in evaluation.firings if f.rule.finding is not None]
    findings.sort(key=lambda f: (SEVERITIES.index(f[1].severity), clause_sort_key(f[1].clauses[0]), f[0]))
    scores = readiness(catalogue, relevant, counted, [spec for _, spec in findings])
    assessed = {
        c
        for q in relevant
        if q.scored and counted.get(q.id) not in (None, DONT_KNOW, NOT_APPLICABLE)
        for c in q.clauses
    }
    summary = {
        "kb_version": kb.version,
        "standard": catalogue.edition,
        "questionnaire": {"id": questionnaire.id, "version": questionnaire.version},
        "readiness": scores.as_dict(),
        "verdict": verdict(catalogue, findings, assessed),
    }
    engine = {
        "asked": sorted(evaluation.asked),
        "unanswered": list(evaluation.unanswered),
        "ignored": list(evaluation.ignored),
    }
    if brief:
        return {**summary, "findings": [_finding_brief(fid, spec) for fid, spec in findings], **engine}

    evidence_gaps = [
        {"question": q.id, "text": q.text, "clauses": q.clauses}
        for q in relevant
        if q.scored and counted.get(q.id) == DONT_KNOW
    ]
    because = {f.rule.id: f.because for f in evaluation.firings}
    suggestions = list(dict.fromkeys(s for f in evaluation.firings for s in f.rule.suggest))
    return {
        **summary,
        "findings": [_finding(kb, fid, spec, because[fid], questionnaire, counted) for fid, spec in findings],
        "plan": build_plan(catalogue, ruleset.actions, findings, evidence_gaps),
        "suggestions": [
            {"id": s, "title": ruleset.suggestions[s].title, "text": ruleset.suggestions[s].text} for s in suggestions
        ],
        "facts": [{"id": f, "means": ruleset.facts[f].means} for f in evaluation.facts],
        **engine,
    }


def findings_brief(kb: KnowledgeBase, questionnaire_id: str, finding_ids: list[str]) -> list[dict[str, Any]]:
    """The findings of these ids as a brief report has them, without evaluating anything (ids the knowledge base
    no longer has are left out)."""
    specs = kb.ruleset_for(questionnaire_id).findings
    return [_finding_brief(fid, specs[fid]) for fid in finding_ids if fid in specs]


def _finding_brief(finding_id, spec) -> dict[str, Any]:
    return {
        "id": finding_id,
        "rule": finding_id,
        "clauses": sorted(spec.clauses, key=clause_sort_key),
        "severity": spec.severity,
        "blocks": spec.blocks,
        "title": spec.title,
    }


def _finding(kb, finding_id, spec, because, questionnaire, answers) -> dict[str, Any]:
    return {
        **_finding_brief(finding_id, spec),
        "explanation": _render(spec.explanation, questionnaire, answers),
        "because": [r.as_dict() for r in because],
        "recommendation": _render(spec.recommendation, questionnaire, answers),
        "practices": [{"id": p, "name": kb.practices[p].name} for p in spec.practices],
        "evidence": list(spec.evidence),
        "action": spec.action,
    }


def _render(template: str, questionnaire, answers: Mapping[str, Any]) -> str:
    def label(match: re.Match) -> str:
        question_id = match.group(1)
        if question_id not in answers or not questionnaire.has_question(question_id):
            return "(not answered)"
        return answer_label(questionnaire.question(question_id), answers[question_id])

    return _PLACEHOLDER.sub(label, " ".join(template.split()))
