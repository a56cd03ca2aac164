"""One evaluation: (knowledge base, questionnaire, answers) -> which rules fired, why, and what to ask next.

A pure function of its inputs: the same answers give the same result, and nothing survives between calls except
the compiled rules, which are built once per process and knowledge-base version.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..knowledge.answers import answer_label, answer_test_holds
from ..knowledge.model import (
    AnswerTest,
    Condition,
    FactTest,
    Group,
    KnowledgeBase,
    Question,
    Rule,
    iter_leaves,
)
from ..knowledge.questions import questions_for_ruleset
from ..knowledge.strata import excluded_facts, required_facts
from .runtime import Program

_programs: dict[tuple[str, str], Program] = {}
_programs_lock = threading.Lock()


@dataclass(frozen=True)
class Reason:
    """One link of a provenance chain: an answer, a derived fact (with its own reasons), or an absent fact."""

    kind: str  # answer | fact | absent
    id: str  # question or fact id
    text: str
    value: Any = None
    because: tuple[Reason, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"kind": self.kind, "id": self.id, "text": self.text}
        if self.kind == "answer":
            data["value"] = self.value
        if self.because:
            data["because"] = [r.as_dict() for r in self.because]
        return data


@dataclass(frozen=True)
class Firing:
    rule: Rule
    because: tuple[Reason, ...]


@dataclass(frozen=True)
class Evaluation:
    firings: tuple[Firing, ...]  # in the order the rules are written
    facts: tuple[str, ...]  # derived facts, sorted
    asked: frozenset[str]  # follow-up questions made relevant
    ignored: tuple[str, ...]  # answers to follow-ups that are not relevant, left out of the evaluation
    unanswered: tuple[dict[str, Any], ...] = field(default=())  # open questions that rules read


def program_for(kb: KnowledgeBase, ruleset_id: str) -> Program:
    key = (kb.version, ruleset_id)
    with _programs_lock:
        program = _programs.get(key)
        if program is None:
            program = _programs[key] = Program(kb.rulesets[ruleset_id], questions_for_ruleset(kb, ruleset_id))
        return program


def forget_programs() -> None:
    """Release every compiled ruleset (tests, and reloading a changed knowledge base)."""
    with _programs_lock:
        for program in _programs.values():
            program.close()
        _programs.clear()


def evaluate(kb: KnowledgeBase, questionnaire_id: str, answers: Mapping[str, Any]) -> Evaluation:
    """Answers are canonical values by question id (see knowledge.answers.check_answers)."""
    questionnaire = kb.questionnaire(questionnaire_id)
    ruleset = kb.ruleset_for(questionnaire_id)
    program = program_for(kb, ruleset.id)
    follow_ups = {q for r in ruleset.rules for q in r.ask}
    current = {q: v for q, v in answers.items() if questionnaire.has_question(q)}
    ignored: list[str] = []
    # An answer to a follow-up that is no longer asked must not count; dropping it can only remove firings,
    # so this ends after at most one pass per follow-up.
    while True:
        run = program.run(current)
        asked = {q for r in run.fired for q in r.rule.ask}
        dropped = sorted(q for q in current if q in follow_ups and q not in asked)
        if not dropped:
            break
        ignored += dropped
        for question_id in dropped:
            del current[question_id]

    order = {rule.id: i for i, rule in enumerate(ruleset.rules)}
    fired_rules = sorted({r.rule.id: r.rule for r in run.fired}.values(), key=lambda r: order[r.id])
    explainer = _Explainer(questionnaire.question, ruleset.facts, current, [r.rule for r in run.fired])
    firings = tuple(Firing(rule, explainer.reasons(rule)) for rule in fired_rules if not rule.generated)
    relevant = [q for q in questionnaire.questions if q.id not in follow_ups or q.id in asked]
    return Evaluation(
        firings=firings,
        facts=tuple(sorted(run.facts)),
        asked=frozenset(asked),
        ignored=tuple(sorted(ignored)),
        unanswered=_open_questions(relevant, current, _readers_of(kb, ruleset)),
    )


_readers: dict[tuple[str, str], dict[str, list[str]]] = {}


def _readers_of(kb: KnowledgeBase, ruleset) -> dict[str, list[str]]:
    """Question id -> the rules that read it; fixed for a knowledge-base version, so built once."""
    key = (kb.version, ruleset.id)
    readers = _readers.get(key)
    if readers is None:
        readers = _readers[key] = _build_readers(ruleset.rules)
    return readers


def _open_questions(relevant: list[Question], answers: Mapping[str, Any], readers) -> tuple[dict[str, Any], ...]:
    return tuple(
        {"question": q.id, "text": q.text, "rules": readers[q.id]}
        for q in relevant
        if q.id not in answers and q.id in readers
    )


def _build_readers(rules) -> dict[str, list[str]]:
    readers: dict[str, list[str]] = {}
    for rule in rules:
        for leaf in iter_leaves(rule.when):
            if isinstance(leaf, AnswerTest):
                readers.setdefault(leaf.question, [])
                if not rule.generated and rule.id not in readers[leaf.question]:
                    readers[leaf.question].append(rule.id)
    return readers


class _Explainer:
    """Builds 'because you answered X and Y, which means Z' chains, each derived fact traced to its answers."""

    def __init__(self, question, facts, answers, fired_in_order: list[Rule]):
        self.question = question
        self.facts = facts
        self.answers = answers
        self.first_derivation: dict[str, Rule] = {}
        for rule in fired_in_order:
            for fact in rule.derive:
                self.first_derivation.setdefault(fact, rule)
        self._memo: dict[str, tuple[Reason, ...]] = {}

    def reasons(self, rule: Rule) -> tuple[Reason, ...]:
        if rule.id not in self._memo:
            self._memo[rule.id] = ()  # guards a positive cycle between facts
            found: list[Reason] = []
            self._answers(rule.when, found)
            for fact in required_facts(rule):
                origin = self.first_derivation.get(fact)
                nested = self.reasons(origin) if origin is not None else ()
                found.append(Reason("fact", fact, f"which means {self.facts[fact].means}", because=nested))
            for fact in excluded_facts(rule):
                found.append(Reason("absent", fact, f"and nothing shows that {self.facts[fact].means}"))
            self._memo[rule.id] = tuple(found)
        return self._memo[rule.id]

    def _answers(self, condition: Condition, found: list[Reason]) -> None:
        cited = {r.id for r in found if r.kind == "answer"}
        for question_id in self._cited_questions(condition):
            if question_id in cited or question_id not in self.answers:
                continue
            cited.add(question_id)
            question = self.question(question_id)
            value = self.answers[question_id]
            label = answer_label(question, value)
            found.append(Reason("answer", question_id, f"you answered “{label}” to “{question.text}”", value))

    def _cited_questions(self, condition: Condition) -> list[str]:
        if isinstance(condition, AnswerTest):
            return [condition.question]
        if isinstance(condition, FactTest):
            return []
        cited: list[str] = []
        for part in condition.all:
            cited += self._cited_questions(part)
        for part in condition.any:  # only the alternatives that actually hold
            if _holds(part, self.answers):
                cited += self._cited_questions(part)
        for part in condition.none:
            cited += [leaf.question for leaf in iter_leaves(part) if isinstance(leaf, AnswerTest)]
        return cited


def _holds(condition: Condition, answers: Mapping[str, Any]) -> bool:
    """Answer-only truth of a condition part, used to pick which `any` alternatives to cite."""
    if isinstance(condition, AnswerTest):
        return answer_test_holds(condition, answers)
    if isinstance(condition, FactTest):
        return True
    group: Group = condition
    return (
        all(_holds(c, answers) for c in group.all)
        and (not group.any or any(_holds(c, answers) for c in group.any))
        and not any(_holds(c, answers) for c in group.none if not isinstance(c, FactTest))
    )
