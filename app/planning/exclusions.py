"""Answers of "not applicable" graded as ISO 9001 allows them (see docs/knowledge-base.md, "Exclusions").

A requirement may be declared not applicable only where it cannot be applied and conformity does not depend on it;
the catalogue says which clauses that can be, and a question inherits it from its clauses. Elsewhere "not
applicable" is no answer an auditor accepts: it is graded as the outright absence ("no"), so the rules that grade
that absence fire, and the scope (4.3) gets a finding naming the questions. A permitted exclusion needs its reason
in the answer's note; without one, the scope gets a minor finding. Pure: the answers file, the API, the chat and
the section forms all reach it through planning.assess.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from ..knowledge.answers import Answer, answer_label
from ..knowledge.model import NOT_APPLICABLE, Catalogue, ExclusionFindings, FindingSpec, Question, Questionnaire
from .plan import clause_sort_key

GRADED_AS = "no"  # the yes/no answer that says a requirement is absent
_STAGES = ("stage1", "stage2", "none")  # strictest first


@dataclass(frozen=True)
class Excluded:
    """The "not applicable" answers that do not stand as they are, by question id in questionnaire order."""

    not_permitted: tuple[str, ...] = ()  # on a question that cannot be excluded: graded as "no"
    unjustified: tuple[str, ...] = ()  # a permitted exclusion without a reason in the note

    def __bool__(self) -> bool:
        return bool(self.not_permitted or self.unjustified)


def not_permitted(question: Question, value: Any) -> bool:
    """Whether this answer is "not applicable" where ISO 9001 allows no exclusion."""
    return value == NOT_APPLICABLE and question.scored and not question.excludable


def unjustified(question: Question, value: Any, note: str) -> bool:
    """Whether this answer is a permitted exclusion without a reason."""
    return value == NOT_APPLICABLE and question.scored and question.excludable and not note.strip()


def _note(answer: Answer | Any) -> str:
    return answer.note if isinstance(answer, Answer) else ""  # an answer given as a bare value carries none


def graded_values(questionnaire: Questionnaire, values: dict[str, Any]) -> dict[str, Any]:
    """The values the rules and the readiness see: "not applicable" where it cannot stand becomes "no" (the same
    dict when nothing changes)."""
    wrong = [q for q, v in values.items() if v == NOT_APPLICABLE and questionnaire.has_question(q)]
    wrong = [q for q in wrong if not_permitted(questionnaire.question(q), NOT_APPLICABLE)]
    return {**values, **dict.fromkeys(wrong, GRADED_AS)} if wrong else values


def excluded(questionnaire: Questionnaire, values: Mapping[str, Any], answers: Mapping[str, Answer | Any]) -> Excluded:
    """`values`: the answers as given, only those that count (follow-ups no longer asked left out); `answers`: as
    assess received them, with their notes where they are Answers."""
    if NOT_APPLICABLE not in values.values():
        return Excluded()
    given = [q for q in questionnaire.questions if values.get(q.id) == NOT_APPLICABLE]  # in questionnaire order
    wrong = tuple(q.id for q in given if not_permitted(q, NOT_APPLICABLE))
    bare = tuple(q.id for q in given if unjustified(q, NOT_APPLICABLE, _note(answers.get(q.id))))
    return Excluded(wrong, bare)


def blocked_stage(catalogue: Catalogue, questions: Iterable[Question]) -> str:
    """The stage the requirements these questions cannot exclude stand in the way of: their readiness gate's, or
    Stage 2 for a blocker clause without one; "none" when they block nothing."""
    gates = {g.id: g.blocks for g in catalogue.gates}
    stages = {"none"}
    for question in questions:
        for clause_id in question.clauses:
            clause = catalogue.clause(clause_id)
            if clause.not_applicable != "never":
                continue
            if clause.gate in gates:
                stages.add(gates[clause.gate])
            elif clause.weight == "blocker":
                stages.add("stage2")
    return next(s for s in _STAGES if s in stages)


@dataclass(frozen=True)
class ExclusionFinding:
    id: str
    spec: FindingSpec
    questions: tuple[Question, ...]
    clauses: tuple[str, ...]  # the clauses behind the questions that the finding is about
    reason: str  # the "because" line of each answer, with {answer} and {question}

    def because(self) -> tuple[dict[str, Any], ...]:
        return tuple(answer_reason(self.reason, q) for q in self.questions)

    def render(self, text: str) -> str:
        quoted = ", ".join(f"“{q.text}”" for q in self.questions)
        text = " ".join(text.split()).replace("{questions}", quoted)
        return text.replace("{clauses}", _and(self.clauses))


def findings(
    texts: ExclusionFindings, catalogue: Catalogue, questionnaire: Questionnaire, found: Excluded
) -> list[ExclusionFinding]:
    """The findings on the scope these answers raise, as the knowledge base words them."""
    result = []
    if found.not_permitted:
        questions = tuple(questionnaire.question(q) for q in found.not_permitted)
        finding_id, spec = texts.not_permitted[blocked_stage(catalogue, questions)]
        never = {c for q in questions for c in q.clauses if catalogue.clause(c).not_applicable == "never"}
        clauses = tuple(sorted(never, key=clause_sort_key))
        result.append(ExclusionFinding(finding_id, spec, questions, clauses, texts.not_permitted_reason))
    if found.unjustified:
        questions = tuple(questionnaire.question(q) for q in found.unjustified)
        finding_id, spec = texts.unjustified
        clauses = tuple(sorted({c for q in questions for c in q.clauses}, key=clause_sort_key))
        result.append(ExclusionFinding(finding_id, spec, questions, clauses, texts.unjustified_reason))
    return result


def _and(items: tuple[str, ...]) -> str:
    return ", ".join(items[:-1]) + " and " + items[-1] if len(items) > 1 else "".join(items)


def answer_reason(reason: str, question: Question) -> dict[str, Any]:
    """The "because" link of a "not applicable" answer, shaped as engine.Reason.as_dict shapes answers."""
    text = reason.replace("{answer}", answer_label(question, NOT_APPLICABLE)).replace("{question}", question.text)
    return {"kind": "answer", "id": question.id, "text": text, "value": NOT_APPLICABLE}


def shown_as_given(because: Iterable[Mapping[str, Any]], reasons: Mapping[str, dict[str, Any]]) -> tuple:
    """A provenance chain whose answers graded as "no" say what was really answered (`reasons`, by question)."""
    if not reasons:
        return tuple(because)
    return tuple(_as_given(link, reasons) for link in because)


def _as_given(link: Mapping[str, Any], reasons: Mapping[str, dict[str, Any]]) -> Mapping[str, Any]:
    if link.get("kind") == "answer" and link.get("id") in reasons:
        return reasons[link["id"]]
    if "because" in link:
        return {**link, "because": [_as_given(inner, reasons) for inner in link["because"]]}
    return link
