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
    disputed_fact,
    disputed_question,
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

    kind: str  # answer | fact | absent | disputed
    id: str  # question or fact id
    text: str
    value: Any = None
    because: tuple[Reason, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"kind": self.kind, "id": self.id, "text": self.text}
        if self.kind == "answer":
            data["value"] = self.value
        elif self.kind == "disputed":
            data["split"] = self.value
        if self.because:
            data["because"] = [r.as_dict() for r in self.because]
        return data


@dataclass(frozen=True)
class Firing:
    """A rule that fired. Its provenance is worked out when first read: most firings only derive facts."""

    rule: Rule
    _explainer: Any = field(repr=False, compare=False)

    @property
    def because(self) -> tuple[Reason, ...]:
        return self._explainer.reasons(self.rule)


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


class _Index:
    """What a ruleset's evaluations look up again and again, built once per knowledge-base version."""

    def __init__(self, ruleset):
        self.follow_ups = {q for r in ruleset.rules for q in r.ask}
        self.order = {rule.id: i for i, rule in enumerate(ruleset.rules)}
        self.askers: dict[str, list[Rule]] = {}
        for rule in ruleset.rules:
            for question_id in rule.ask:
                self.askers.setdefault(question_id, []).append(rule)
        # Follow-ups asked only by rules that read answers alone can be settled before the engine runs, by the
        # asking conditions; almost all of them are one test, unwrapped here because they are tested every time.
        self.decidable = {q for q, rules in self.askers.items() if all(not _reads_facts(r.when) for r in rules)}
        self.asking_conditions = {q: tuple(_unwrapped(r.when) for r in self.askers[q]) for q in self.decidable}
        self.readers: dict[str, list[str]] = {}
        for rule in ruleset.rules:
            for leaf in iter_leaves(rule.when):
                if isinstance(leaf, AnswerTest):
                    readers = self.readers.setdefault(leaf.question, [])
                    if not rule.generated and rule.id not in readers:
                        readers.append(rule.id)
        self._decidable_order: dict[str, tuple[str, ...]] = {}
        self._read_order: dict[str, tuple[Question, ...]] = {}
        # Which answers a rule cites depends on the answers only through `any`; without one it is fixed.
        self.static_citations = {
            rule.id: _cited_questions(rule.when, {}) for rule in ruleset.rules if not _has_any(rule.when)
        }

    def decidable_in_order(self, questionnaire) -> tuple[str, ...]:
        order = self._decidable_order.get(questionnaire.id)
        if order is None:
            order = tuple(q.id for q in questionnaire.questions if q.id in self.decidable)
            self._decidable_order[questionnaire.id] = order
        return order

    def read_in_order(self, questionnaire) -> tuple[Question, ...]:
        """The questions some rule reads, in questionnaire order: those an unanswered one is reported for."""
        order = self._read_order.get(questionnaire.id)
        if order is None:
            order = tuple(q for q in questionnaire.questions if q.id in self.readers)
            self._read_order[questionnaire.id] = order
        return order


_indexes: dict[tuple[str, str], _Index] = {}


def _index_of(kb: KnowledgeBase, ruleset) -> _Index:
    key = (kb.version, ruleset.id)
    index = _indexes.get(key)
    if index is None:
        index = _indexes[key] = _Index(ruleset)
    return index


def evaluate(
    kb: KnowledgeBase,
    questionnaire_id: str,
    answers: Mapping[str, Any],
    disputes: Mapping[str, str] | None = None,
) -> Evaluation:
    """Answers are canonical values by question id (see knowledge.answers.check_answers). `disputes` names the
    questions on which respondents strongly disagree, each with how they split ("2 said “Yes”, 1 said “No”");
    rules read them as `{disputed: QUESTION}`."""
    disputes = disputes or {}
    given = [disputed_fact(q) for q in disputes]
    questionnaire = kb.questionnaire(questionnaire_id)
    ruleset = kb.ruleset_for(questionnaire_id)
    program = program_for(kb, ruleset.id)
    index = _index_of(kb, ruleset)
    current = {q: v for q, v in answers.items() if questionnaire.has_question(q)}
    ignored = _settle_follow_ups(questionnaire, index, current)
    # An answer to a follow-up that is no longer asked must not count. The pass above settles the follow-ups
    # that depend on answers alone; the engine decides the rest, and each round only ever removes answers.
    while True:
        run = program.run(current, given)
        dropped = sorted(index.follow_ups.intersection(current).difference(run.asked))
        if not dropped:
            break
        ignored += dropped
        for question_id in dropped:
            del current[question_id]

    # One firing per rule, in the order the rules are written: the engine's firing order is not part of the result.
    by_position = {index.order[r.id]: r for r in run.fired}
    explainer = _Explainer(questionnaire.question, ruleset.facts, current, run.first_derivation, index, disputes)
    firings = tuple(Firing(by_position[i], explainer) for i in sorted(by_position) if not by_position[i].generated)
    return Evaluation(
        firings=firings,
        facts=tuple(sorted(run.facts)),
        asked=run.asked,
        ignored=tuple(sorted(ignored)),
        unanswered=tuple(
            {"question": q.id, "text": q.text, "rules": index.readers[q.id]}
            for q in index.read_in_order(questionnaire)
            if q.id not in current and (q.id not in index.follow_ups or q.id in run.asked)
        ),
    )


def _settle_follow_ups(questionnaire, index: _Index, current: dict[str, Any]) -> list[str]:
    """Drop answers to follow-ups whose asking rules read answers only and none of which holds. Questionnaire
    order matters: a follow-up of a follow-up then sees the earlier one already settled."""
    dropped = []
    for question_id in index.decidable_in_order(questionnaire):
        if question_id in current and not any(_holds(c, current) for c in index.asking_conditions[question_id]):
            del current[question_id]
            dropped.append(question_id)
    return dropped


class _Explainer:
    """Builds 'because you answered X and Y, which means Z' chains, each derived fact traced to its answers."""

    def __init__(self, question, facts, answers, first_derivation: Mapping[str, Rule], index: _Index, disputes):
        self.question = question
        self.disputes = disputes
        self.facts = facts
        self.answers = dict(answers)
        self.index = index
        self._lock = threading.Lock()
        self.first_derivation = first_derivation  # recorded by the runtime as the facts were derived
        self._memo: dict[str, tuple[Reason, ...]] = {}

    def reasons(self, rule: Rule) -> tuple[Reason, ...]:
        with self._lock:  # one Evaluation may be read from several threads
            return self._reasons(rule)

    def _reasons(self, rule: Rule) -> tuple[Reason, ...]:
        if rule.id not in self._memo:
            self._memo[rule.id] = ()  # guards a positive cycle between facts
            found: list[Reason] = self._answers(rule)
            for fact in required_facts(rule):
                if disputed_question(fact) is not None:
                    found.append(self._dispute(disputed_question(fact)))
                    continue
                origin = self.first_derivation.get(fact)
                nested = self._reasons(origin) if origin is not None else ()
                found.append(Reason("fact", fact, f"which means {self.facts[fact].means}", because=nested))
            for fact in excluded_facts(rule):
                if disputed_question(fact) is not None:
                    question = self.question(disputed_question(fact))
                    found.append(Reason("absent", fact, f"and respondents agree on “{question.text}”"))
                    continue
                found.append(Reason("absent", fact, f"and nothing shows that {self.facts[fact].means}"))
            self._memo[rule.id] = tuple(found)
        return self._memo[rule.id]

    def _dispute(self, question_id: str) -> Reason:
        split = self.disputes.get(question_id, "")
        text = f"respondents contradict each other on “{self.question(question_id).text}”" + (
            f": {split}" if split else ""
        )
        return Reason("disputed", question_id, text, split)

    def _answers(self, rule: Rule) -> list[Reason]:
        cited = self.index.static_citations.get(rule.id)
        if cited is None:
            cited = _cited_questions(rule.when, self.answers)
        found = []
        for question_id in dict.fromkeys(cited):
            if question_id not in self.answers:
                continue
            question = self.question(question_id)
            value = self.answers[question_id]
            label = answer_label(question, value)
            found.append(Reason("answer", question_id, f"you answered “{label}” to “{question.text}”", value))
        return found


def _cited_questions(condition: Condition, answers: Mapping[str, Any]) -> list[str]:
    """The questions a condition cites: its `all` and `none` parts, and those `any` alternatives that hold."""
    if isinstance(condition, AnswerTest):
        return [condition.question]
    if isinstance(condition, FactTest):
        return []
    cited: list[str] = []
    for part in condition.all:
        cited += _cited_questions(part, answers)
    for part in condition.any:
        if _holds(part, answers):
            cited += _cited_questions(part, answers)
    for part in condition.none:
        cited += [leaf.question for leaf in iter_leaves(part) if isinstance(leaf, AnswerTest)]
    return cited


def _has_any(condition: Condition) -> bool:
    return isinstance(condition, Group) and (
        bool(condition.any) or any(_has_any(c) for c in (*condition.all, *condition.none))
    )


def _unwrapped(condition: Condition) -> Condition:
    """The same condition without groups that hold exactly one condition: `all: [x]` holds when x does."""
    while isinstance(condition, Group) and len(condition.all) == 1 and not (condition.any or condition.none):
        condition = condition.all[0]
    return condition


def _reads_facts(condition: Condition) -> bool:
    return any(isinstance(leaf, FactTest) for leaf in iter_leaves(condition))


def _holds(condition: Condition, answers: Mapping[str, Any]) -> bool:
    """Answer-only truth of a condition (fact tests are not looked at: callers use it where there are none)."""
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
