"""Working out the report of one assessment (planning.report) from the knowledge base and the answers.

`assess` is the single entry point the CLI, the web pages and the API use; it is a pure function of the knowledge
base and the answers. The chat, which evaluates on every answer, asks for a brief report: the same figures for a
fraction of the cost.
"""

from __future__ import annotations

import json
import re
from collections.abc import Collection, Mapping
from functools import lru_cache
from typing import Any, Literal, overload

from ..engine import evaluate
from ..knowledge import rekey
from ..knowledge.answers import Answer, answer_label
from ..knowledge.model import DONT_KNOW, NOT_APPLICABLE, SEVERITIES, FindingSpec, KnowledgeBase
from ..knowledge.relations import Way, way_of
from . import evidenced, exclusions
from .merging import MergedGroup, merge_findings
from .plan import EvidenceGap, build_plan, clause_sort_key
from .readiness import readiness
from .report import (
    BriefFinding,
    BriefReport,
    Fact,
    Finding,
    MergedRule,
    OpenQuestion,
    Practice,
    QuestionnaireRef,
    Report,
    Suggestion,
    WordedFor,
)
from .verdict import verdict

_PLACEHOLDER = re.compile(r"\{([a-z][a-z0-9_]*)\}")


@overload
def assess(
    kb: KnowledgeBase,
    questionnaire_id: str,
    answers: Mapping[str, Answer | Any],
    disputes: Mapping[str, str] | None = ...,
    *,
    brief: Literal[False] = ...,
    edition: str | None = ...,
    backed: Collection[str] | None = ...,
) -> Report: ...
@overload
def assess(
    kb: KnowledgeBase,
    questionnaire_id: str,
    answers: Mapping[str, Answer | Any],
    disputes: Mapping[str, str] | None = ...,
    *,
    brief: bool,
    edition: str | None = ...,
    backed: Collection[str] | None = ...,
) -> BriefReport: ...
def assess(kb, questionnaire_id, answers, disputes=None, *, brief=False, edition=None, backed=None):
    """The report; a `brief` one leaves out the plan, suggestions, facts and the findings' explanation and
    provenance (they cost the most). `disputes`: the questions respondents strongly disagree on, each with how
    they split (see planning.consensus); empty for an assessment with one respondent. `edition`: the catalogue the
    report's clauses are in (the questionnaire's own when None), its questions and findings re-keyed to it
    (knowledge.rekey); the rules run as written. `backed`: the questions whose answers have evidence attached, for
    the evidenced readiness and the plan's evidence actions (planning.evidenced); None when the evidence is not
    known (an answers file), which leaves both out of the report."""
    view = rekey.view(kb, questionnaire_id, edition)
    questionnaire, catalogue = view.questionnaire, view.catalogue
    ruleset = kb.ruleset_for(questionnaire_id)
    given = {q: (a.value if isinstance(a, Answer) else a) for q, a in answers.items()}
    # "Not applicable" where ISO 9001 allows no exclusion is graded as the absence it hides (planning.exclusions).
    values = exclusions.graded_values(questionnaire, given)
    evaluation = evaluate(kb, questionnaire_id, values, disputes)
    counted = {q: v for q, v in values.items() if q not in evaluation.ignored}
    # What the report quotes back: the answers as given.
    shown = counted if values is given else {q: v for q, v in given.items() if q not in evaluation.ignored}
    excluded = exclusions.excluded(questionnaire, shown, answers)
    follow_ups = ruleset.follow_ups
    relevant = [q for q in questionnaire.questions if q.id not in follow_ups or q.id in evaluation.asked]

    on_scope = exclusions.findings(ruleset.exclusions, catalogue, questionnaire, excluded) if excluded else []
    findings = [(f.rule.id, view.spec(f.rule.id, f.rule.finding)) for f in evaluation.firings if f.rule.finding]
    findings += [(f.id, view.spec(f.id, f.spec)) for f in on_scope]
    findings.sort(key=lambda f: (SEVERITIES.index(f[1].severity), clause_sort_key(f[1].clauses[0]), f[0]))
    groups = merge_findings(findings, view.findings)
    per_gap = [(g.id, g.spec) for g in groups]  # one finding per gap; readiness still reads every rule's own grade
    assessed = {
        c
        for q in relevant
        if q.scored and counted.get(q.id) not in (None, DONT_KNOW, NOT_APPLICABLE)
        for c in q.clauses
    }
    common: dict[str, Any] = dict(
        kb_version=kb.version,
        standard=catalogue.edition,
        edition=catalogue.id,
        questionnaire=QuestionnaireRef(questionnaire.id, questionnaire.version),
        readiness=readiness(catalogue, relevant, counted, [spec for _, spec in findings]),
        verdict=verdict(catalogue, per_gap, assessed),
        asked=tuple(sorted(evaluation.asked)),
        unanswered=tuple(OpenQuestion(q["question"], q["text"], tuple(q["rules"])) for q in evaluation.unanswered),
        ignored=tuple(evaluation.ignored),
    )
    if brief:
        return BriefReport(**common, findings=tuple(_finding_brief(fid, spec) for fid, spec in per_gap))

    gaps = [
        EvidenceGap(q.id, q.text, tuple(q.clauses)) for q in relevant if q.scored and counted.get(q.id) == DONT_KNOW
    ]
    graded_as_no = {
        q: exclusions.answer_reason(ruleset.exclusions.not_permitted_reason, questionnaire.question(q))
        for q in excluded.not_permitted
    }
    # The same answers scored again with the claims nobody has shown a record of as "don't know"; the findings and
    # their caps stay: missing evidence changes no grade.
    shown_evidence = (
        None
        if backed is None
        else evidenced.evidenced(catalogue, relevant, counted, [spec for _, spec in findings], frozenset(backed))
    )
    because = {f.rule.id: [r.as_dict() for r in f.because] for f in evaluation.firings if f.rule.finding}
    because = {fid: exclusions.shown_as_given(links, graded_as_no) for fid, links in because.items()}
    scope = {f.id: f for f in on_scope}
    suggestions = list(dict.fromkeys(s for f in evaluation.firings for s in f.rule.suggest))
    way = way_of(kb.ways, shown)
    return Report(
        **common,
        findings=tuple(
            _scope_finding(kb, scope[g.id]) if g.id in scope else _finding(kb, g, because, questionnaire, shown, way)
            for g in groups
        ),
        # Every rule's action still counts, as closing the finding its rule was merged into.
        plan=build_plan(
            catalogue,
            ruleset.actions,
            [(g.id, spec) for g in groups for _, spec in g.members],
            gaps,
            shown_evidence.unevidenced if shown_evidence else (),
        ),
        suggestions=tuple(
            Suggestion(s, ruleset.suggestions[s].title, ruleset.suggestions[s].text) for s in suggestions
        ),
        facts=tuple(Fact(f, ruleset.facts[f].means) for f in evaluation.facts),
        worded_for=WordedFor(way.id, way.name) if way else None,
        evidenced=shown_evidence,
    )


def findings_brief(
    kb: KnowledgeBase, questionnaire_id: str, finding_ids: list[str], edition: str | None = None
) -> list[BriefFinding]:
    """The findings of these ids as a brief report has them (their clauses in `edition`), without evaluating
    anything (ids the knowledge base no longer has are left out)."""
    ruleset = kb.ruleset_for(questionnaire_id)
    view = rekey.view(kb, questionnaire_id, edition)
    specs = {**ruleset.findings, **(ruleset.exclusions.specs() if ruleset.exclusions else {})}
    return [_finding_brief(fid, view.spec(fid, specs[fid])) for fid in finding_ids if fid in specs]


def _brief_fields(finding_id: str, spec: FindingSpec) -> dict[str, Any]:
    return dict(
        id=finding_id,
        rule=finding_id,
        clauses=tuple(sorted(spec.clauses, key=clause_sort_key)),
        severity=spec.severity,
        blocks=spec.blocks,
        title=spec.title,
    )


@lru_cache(maxsize=4096)  # a function of the knowledge base's spec (frozen), made for every finding of every answer
def _finding_brief(finding_id: str, spec: FindingSpec) -> BriefFinding:
    return BriefFinding(**_brief_fields(finding_id, spec))


def _finding(kb, group: MergedGroup, because, questionnaire, answers, way: Way | None) -> Finding:
    """The finding of a gap: its target rule's wording (the recommendation in the team's way of working, where the
    rule words it so), with the reasons, practices and evidence of every rule merged into it."""
    spec, members = group.spec, [s for _, s in group.members]
    return Finding(
        **_brief_fields(group.id, spec),
        explanation=_render(spec.explanation, questionnaire, answers),
        because=_unique(r for rule_id, _ in group.members for r in because[rule_id]),
        recommendation=_render(spec.recommendation_in(way.id if way else None), questionnaire, answers),
        practices=tuple(
            Practice(p, kb.practices[p].name) for p in dict.fromkeys(p for s in members for p in s.practices)
        ),
        evidence=tuple(dict.fromkeys(e for s in members for e in s.evidence)),
        action=spec.action,
        merged=tuple(
            MergedRule(rule_id, s.title, s.severity, tuple(sorted(s.clauses, key=clause_sort_key)))
            for rule_id, s in group.merged
        ),
    )


def _unique(reasons) -> tuple[dict[str, Any], ...]:
    """Reasons in order, each once: two merged rules often read the same answer."""
    seen: dict[str, dict[str, Any]] = {}
    for reason in reasons:
        seen.setdefault(json.dumps(reason, sort_keys=True, default=str), reason)
    return tuple(seen.values())


def _scope_finding(kb, finding: exclusions.ExclusionFinding) -> Finding:
    spec = finding.spec
    return Finding(
        **_brief_fields(finding.id, spec),
        explanation=finding.render(spec.explanation),
        because=finding.because(),
        recommendation=finding.render(spec.recommendation),
        practices=tuple(Practice(p, kb.practices[p].name) for p in spec.practices),
        evidence=tuple(spec.evidence),
        action=spec.action,
    )


def _render(template: str, questionnaire, answers: Mapping[str, Any]) -> str:
    def label(match: re.Match) -> str:
        question_id = match.group(1)
        if question_id not in answers or not questionnaire.has_question(question_id):
            return "(not answered)"
        return answer_label(questionnaire.question(question_id), answers[question_id])

    return _PLACEHOLDER.sub(label, " ".join(template.split()))
