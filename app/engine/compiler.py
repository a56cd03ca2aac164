"""Compiling a RuleSet into one durable-rules ruleset definition.

How the knowledge base maps onto the engine (the reasons are in docs/engine.md):
- all answers of an assessment travel in ONE fact (`t: answers`), one property per question; every rule's answer
  condition becomes one boolean expression on that fact;
- "don't know" for number, scale and multiple-choice questions is a separate property `<question>-dk`, because the
  engine compares a string with a number without complaint (`"dont_know" > 3` holds);
- `none` over answers is pushed down to the leaves (De Morgan), so the engine's own negation is used only for
  derived facts, and there behind a gate fact asserted once all lower strata have stopped firing;
- rules testing the answers fact are spread over bucket properties (`_b0`, `_b1`, ...) so that no node of the
  engine's network has more than RULES_PER_BUCKET children: more than 64 tests matching one fact at one level
  make an assertion fail with error 303.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from ..knowledge.model import DONT_KNOW, AnswerTest, Condition, FactTest, Group, Question, Rule, RuleSet
from ..knowledge.strata import excluded_facts, fact_strata, required_facts, rule_stratum

RULES_PER_BUCKET = 32
MAX_BUCKETS = 60
MAX_FACT_PROPERTIES = 250  # the engine refuses a fact with more than 254 properties
MAX_FACTS = 480  # 512 distinct tests under one node make the engine loop forever
DK_KINDS = ("number", "scale", "multiple_choice")
SENTINEL_RULE = "r_sentinel"


@dataclass(frozen=True)
class Encoding:
    """How answers are written into the engine's fact: short property names and small integer codes.

    The engine parses the answers fact once per evaluation and copies it into the message of every firing, so its
    size is paid sixty times over; `q12: 2` costs a tenth of `release_approval_documented: "partly"`.
    """

    properties: dict[str, str]  # question id -> property
    dk_properties: dict[str, str]  # question id -> property that holds "don't know" (number, scale, choices)
    codes: dict[str, dict[str, int]]  # question id -> answer value -> code (yes/no and choice questions)

    @classmethod
    def for_questions(cls, questions: dict[str, Question]) -> Encoding:
        properties, dk_properties, codes = {}, {}, {}
        for index, question_id in enumerate(sorted(questions)):
            question = questions[question_id]
            properties[question_id] = f"q{index}"
            if question.kind in DK_KINDS:
                dk_properties[question_id] = f"k{index}"
            if question.kind in ("yes_no", "single_choice", "multiple_choice"):
                values = dict.fromkeys((*question.allowed_values(), DONT_KNOW))
                codes[question_id] = {value: code for code, value in enumerate(values)}
        return cls(properties, dk_properties, codes)

    def code(self, question_id: str, value: Any) -> Any:
        return self.codes.get(question_id, {}).get(value, value) if isinstance(value, str) else value


@dataclass(frozen=True)
class CompiledRule:
    """One rule of the engine; knowledge-base rules with the same condition share it (one test, one firing)."""

    rules: tuple[Rule, ...]
    name: str  # the engine's name for the rule: short, so the action message can be read cheaply
    stratum: int
    gated: bool

    @property
    def derive(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(f for r in self.rules for f in r.derive))


@dataclass(frozen=True)
class Compiled:
    definition: dict[str, Any]
    rules: dict[str, CompiledRule]  # by engine name
    buckets: int
    strata: int  # highest stratum that needs a gate
    dk_questions: frozenset[str]
    fact_ids: tuple[str, ...]
    property_names: tuple[str, ...]
    encoding: Encoding


def compile_ruleset(ruleset: RuleSet, questions: dict[str, Question]) -> Compiled:
    strata = fact_strata(ruleset.rules)
    dk_questions = frozenset(q.id for q in questions.values() if q.kind in DK_KINDS)
    encoding = Encoding.for_questions(questions)
    translator = _Translator(encoding)
    definition: dict[str, Any] = {SENTINEL_RULE: {"all": [{"s": {"t": "sentinel"}}]}}
    compiled: dict[str, CompiledRule] = {}
    by_condition: dict[str, str] = {}
    answer_rules = 0
    max_gate = 0
    for index, rule in enumerate(ruleset.rules):
        stratum = rule_stratum(rule, strata)
        gated = bool(excluded_facts(rule))
        answer_expression = translator.expression(_answer_part(rule.when))
        condition = json.dumps(
            [stratum if gated else None, answer_expression, sorted(required_facts(rule)), sorted(excluded_facts(rule))],
            sort_keys=True,
        )
        if condition in by_condition:  # the same test written twice: one engine rule serves both
            shared = compiled[by_condition[condition]]
            compiled[shared.name] = CompiledRule((*shared.rules, rule), shared.name, stratum, gated)
            continue
        name = by_condition[condition] = f"r{index}"
        patterns: list[dict[str, Any]] = []
        if gated:
            patterns.append({"g": {"$and": [{"t": "gate"}, {"s": stratum}]}})
            max_gate = max(max_gate, stratum)
        if answer_expression is not None or not (required_facts(rule) or gated):
            bucket = answer_rules // RULES_PER_BUCKET
            answer_rules += 1
            tests: list[Any] = [{"t": "answers"}, {f"_b{bucket}": 1}]
            if answer_expression is not None:
                tests.append(answer_expression)
            patterns.append({"a": {"$and": tests}})
        for i, fact in enumerate(required_facts(rule)):
            patterns.append({f"f{i}": {"$and": [{"t": "fact"}, {"name": fact}]}})
        for i, fact in enumerate(excluded_facts(rule)):
            patterns.append({f"x{i}$not": {"$and": [{"t": "fact"}, {"name": fact}]}})
        definition[name] = {"all": patterns}
        compiled[name] = CompiledRule((rule,), name, stratum, gated)
    buckets = (answer_rules + RULES_PER_BUCKET - 1) // RULES_PER_BUCKET
    facts = sorted({f for r in ruleset.rules for f in (*r.derive, *required_facts(r), *excluded_facts(r))})
    properties = ["t", "id", "sid", "s", "name", *(f"_b{b}" for b in range(buckets))]
    properties += sorted(encoding.properties.values()) + sorted(encoding.dk_properties.values())
    return Compiled(
        definition=definition,
        rules=compiled,
        buckets=buckets,
        strata=max_gate,
        dk_questions=dk_questions,
        fact_ids=(
            "answers",
            "sentinel",
            *(f"gate:{s}" for s in range(1, max_gate + 1)),
            *(f"fact:{f}" for f in facts),
        ),
        property_names=tuple(properties),
        encoding=encoding,
    )


def _answer_part(group: Group) -> Group | None:
    """The condition without its fact tests (those become patterns of their own)."""
    part = Group(
        all=tuple(c for c in group.all if not isinstance(c, FactTest)),
        any=group.any,
        none=tuple(c for c in group.none if not isinstance(c, FactTest)),
    )
    return part if (part.all or part.any or part.none) else None


class _Translator:
    """Answer conditions as durable-rules expressions, with `none` pushed down to the leaves."""

    def __init__(self, encoding: Encoding):
        self.encoding = encoding

    def expression(self, condition: Condition | None) -> Any:
        if condition is None:
            return None
        return self._positive(condition)

    def _positive(self, condition: Condition) -> Any:
        if isinstance(condition, AnswerTest):
            return self._leaf(condition)
        if isinstance(condition, FactTest):  # pragma: no cover - the validator keeps facts at the top level
            raise ValueError("fact tests cannot be nested")
        parts = [self._positive(c) for c in condition.all]
        if condition.any:
            parts.append(_or([self._positive(c) for c in condition.any]))
        parts += [self._negative(c) for c in condition.none]
        return _and(parts)

    def _negative(self, condition: Condition) -> Any:
        """An expression that holds exactly when `condition` does not."""
        if isinstance(condition, AnswerTest):
            return _or([self._leaf(t) for t in negate(condition)])
        if isinstance(condition, FactTest):  # pragma: no cover
            raise ValueError("fact tests cannot be nested")
        parts = [self._negative(c) for c in condition.all]
        if condition.any:
            parts.append(_and([self._negative(c) for c in condition.any]))
        parts += [self._positive(c) for c in condition.none]
        return _or(parts)

    def _leaf(self, test: AnswerTest) -> Any:
        question, op, value = test.question, test.op, test.value
        q = self.encoding.properties[question]
        dk = self.encoding.dk_properties.get(question)
        code = self.encoding.code(question, value) if op not in ("in", "not_in") else None
        if op == "answered":
            return _or([{"$ex": {q: 1}}, {"$ex": {dk: 1}}]) if dk else {"$ex": {q: 1}}
        if op == "unanswered":
            return _and([{"$nex": {q: 1}}, {"$nex": {dk: 1}}]) if dk else {"$nex": {q: 1}}
        if op == "in":
            return _or([self._leaf(AnswerTest(question, "eq", v)) for v in dict.fromkeys(value)])
        if op == "not_in":  # only made by negate(): answered with none of these values
            return _and([self._leaf(AnswerTest(question, "neq", v)) for v in dict.fromkeys(value)])
        if op == "eq":
            return {dk: 1} if dk and value == DONT_KNOW else {q: code}
        if op == "neq":
            if dk and value == DONT_KNOW:
                return {"$ex": {q: 1}}
            return _or([{"$neq": {q: code}}, {dk: 1}]) if dk else {"$neq": {q: code}}
        if op == "contains":
            return {dk: 1} if value == DONT_KNOW else {"$iany": {q: {"$i": code}}}
        if op == "not_contains":  # only made by negate(): answered with a list that lacks the value
            return _or([{"$iall": {q: {"$neq": {"$i": code}}}}, {dk: 1}])
        return {f"${op}": {q: value}}  # lt lte gt gte: false for missing and "don't know" answers


def negate(test: AnswerTest) -> list[AnswerTest]:
    """Tests of which at least one holds exactly when `test` does not (answers only)."""
    q, op, value = test.question, test.op, test.value
    unanswered = AnswerTest(q, "unanswered")
    if op == "answered":
        return [unanswered]
    if op == "unanswered":
        return [AnswerTest(q, "answered")]
    if op == "eq":
        return [unanswered, AnswerTest(q, "neq", value)]
    if op == "neq":
        return [unanswered, AnswerTest(q, "eq", value)]
    if op == "in":
        return [unanswered, AnswerTest(q, "not_in", value)]
    if op == "not_in":
        return [unanswered, AnswerTest(q, "in", value)]
    if op == "contains":
        return [unanswered, AnswerTest(q, "not_contains", value)]
    if op == "not_contains":
        return [unanswered, AnswerTest(q, "contains", value)]
    opposite = {"lt": "gte", "lte": "gt", "gt": "lte", "gte": "lt"}[op]
    return [unanswered, AnswerTest(q, "eq", DONT_KNOW), AnswerTest(q, opposite, value)]


def _and(parts: list[Any]) -> Any:
    parts = [p for p in parts if p is not None]
    return parts[0] if len(parts) == 1 else {"$and": parts}


def _or(parts: list[Any]) -> Any:
    parts = [p for p in parts if p is not None]
    return parts[0] if len(parts) == 1 else {"$or": parts}
