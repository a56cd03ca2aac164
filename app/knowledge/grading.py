"""The grading model of docs/knowledge-base.md ("Grading findings"), checked over every rule that raises a finding.

A certification body grades by a few fixed conventions (ISO/IEC 17021-1): a major is an absence, a total
breakdown or a systemic pattern; a partial implementation is a minor; a missing good practice breaches nothing.
The knowledge base states the basis of each finding, and `kb check` refuses grades the conventions do not allow:
- a finding on a good practice graded above an observation or improvement;
- a major that can fire on one self-reported answer that is not an outright absence ("partly", "informal", a
  scale level 2), because one such answer shows a lapse, not a missing element;
- a Stage 1 blocker on clauses that feed no Stage 1 gate of the catalogue: Stage 1 reads the core documents,
  and only the gates say which.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable

from .errors import Problem
from .model import (
    DONT_KNOW,
    NOT_APPLICABLE,
    YES_NO_VALUES,
    AnswerTest,
    Catalogue,
    Condition,
    FactTest,
    Group,
    KnowledgeBase,
    Question,
    Rule,
    RuleSet,
)

BASES = ("requirement", "good_practice")
GOOD_PRACTICE_SEVERITIES = ("observation", "improvement")
# An answer that says the element is missing altogether: "no" (or "not applicable" on a question whose clauses
# may never be declared not applicable), or a scale level or choice option at maturity 0 ("nothing happens, or it
# is explicitly not done"). Level 1 ("informal", "in people's heads") says something
# exists: one such answer is a lapse. The reference's table grades a blocker clause at level 1 major, but that is
# a clause's level over all its answers, which a rule reaches by combining answers or facts.
ABSENT_YES_NO = frozenset({"no"})
ABSENT_LEVEL = 0
# Past this many ways to fire, a condition is treated as resting on several answers: the engine's own expression
# limit keeps real rules far below it.
MAX_ALTERNATIVES = 512
NO_ASSESSED_ANSWER = "no assessed answer"


def check_grading(kb: KnowledgeBase, ruleset: RuleSet, questions: dict[str, Question]) -> list[Problem]:
    catalogues = _catalogues_of(kb, ruleset)
    stage1_clauses = {c.id for cat in catalogues for c in cat.clauses if c.gate in _stage1_gates(cat)}
    never_excluded = frozenset(c.id for cat in catalogues for c in cat.clauses if c.not_applicable == "never")
    problems: list[Problem] = []
    for rule in ruleset.rules:
        if rule.finding is None:
            continue
        spec = rule.finding

        def problem(field: str, message: str, rule: Rule = rule) -> None:
            problems.append(Problem(rule.file, rule.id, field, message))

        if spec.basis == "good_practice" and spec.severity not in GOOD_PRACTICE_SEVERITIES:
            problem(
                "then.finding.severity",
                f"a finding on a good practice breaches no requirement: grade it observation or improvement, not "
                f"{spec.severity} (or give it basis: requirement and name what the clause requires)",
            )
        if spec.severity == "major":
            weak = single_answer_short_of_absence(rule.when, questions, never_excluded)
            if weak == NO_ASSESSED_ANSWER:
                problem(
                    "when",
                    "a major needs an assessed answer or fact showing the gap; this one can fire on profile "
                    "answers only, which say where a rule applies, not what is missing",
                )
            elif weak:
                problem(
                    "when",
                    f"a major resting on one answer needs an outright absence; this one fires on {weak} alone: "
                    f"grade that answer minor, or combine it with other answers or facts",
                )
        if spec.blocks == "stage1" and not stage1_clauses.intersection(spec.clauses):
            gates = ", ".join(sorted(stage1_clauses, key=_clause_number)) or "none"
            problem(
                "then.finding.blocks",
                f"only the clauses of a Stage 1 gate of the catalogue ({gates}) can block Stage 1; "
                f"{', '.join(spec.clauses)} is not among them",
            )
    return problems


def _clause_number(clause_id: str) -> tuple[int, ...]:
    return tuple(int(part) for part in clause_id.split("."))


def _catalogues_of(kb: KnowledgeBase, ruleset: RuleSet) -> list[Catalogue]:
    return [kb.catalogue_for(q.id) for q in kb.questionnaires.values() if q.rules == ruleset.id]


def _stage1_gates(catalogue: Catalogue) -> set[str]:
    return {g.id for g in catalogue.gates if g.blocks == "stage1"}


# ---------------------------------------------------------------------------------------------- single answers


def single_answer_short_of_absence(
    condition: Group, questions: dict[str, Question], never_excluded: frozenset[str] = frozenset()
) -> str | None:
    """How the condition can hold on one assessed answer that is not an outright absence, or None.

    NO_ASSESSED_ANSWER when it can hold on profile answers alone.

    The condition is read as its ways to fire (one per combination of `any` branches); `none` parts only narrow
    a way down and are no evidence. A way that needs a derived fact, or answers to two assessed questions, rests
    on more than one answer. Profile answers (size, sector) say where a rule applies, not that anything is
    missing, so they do not count as a second answer."""
    for way in ways_to_fire(condition):
        if any(isinstance(leaf, FactTest) for leaf in way):
            continue
        tests = [t for t in way if isinstance(t, AnswerTest) and not _is_profile(questions.get(t.question))]
        assessed = {t.question for t in tests}
        if not assessed:
            return NO_ASSESSED_ANSWER
        if len(assessed) > 1:
            continue
        (question_id,) = assessed
        question = questions[question_id]
        if not _only_absence(question, tests, never_excluded):
            return _describe(question, tests)
    return None


def _is_profile(question: Question | None) -> bool:
    return question is None or question.profile


def ways_to_fire(condition: Condition) -> Iterable[tuple[Condition, ...]]:
    """Each conjunction of positive leaves the condition holds on, `any` expanded (disjunctive normal form)."""
    ways = _expand(condition)
    return ways if ways is not None else ()


def _expand(condition: Condition) -> list[tuple[Condition, ...]] | None:
    if not isinstance(condition, Group):
        return [(condition,)]
    parts = [_expand(c) for c in condition.all]
    if condition.any:
        branches = [_expand(c) for c in condition.any]
        if any(b is None for b in branches):
            return None
        parts.append([way for branch in branches for way in branch])
    if any(p is None for p in parts):
        return None
    size = math.prod(len(p) for p in parts)
    if size > MAX_ALTERNATIVES:
        return None
    return [tuple(leaf for way in combo for leaf in way) for combo in itertools.product(*parts)]


def _only_absence(question: Question, tests: list[AnswerTest], never_excluded: frozenset[str]) -> bool:
    """True when every answer these tests let through says the element is absent."""
    if question.kind in ("yes_no", "single_choice", "multiple_choice"):
        admitted = set(_values(question))
        for test in tests:
            admitted &= admitted_values(question, test)
        return bool(admitted) and all(_absent_value(question, v, never_excluded) for v in admitted)
    if question.kind in ("scale", "number"):
        high = min(_upper_bound(test) for test in tests)
        return high <= ABSENT_LEVEL
    return False


def _values(question: Question) -> tuple[str, ...]:
    if question.kind == "yes_no":
        return YES_NO_VALUES
    return question.allowed_values() + (DONT_KNOW,)


def admitted_values(question: Question, test: AnswerTest) -> set[str]:
    values = set(_values(question))
    if test.op == "eq" or test.op == "contains":
        return {test.value} & values
    if test.op == "in":
        return set(test.value) & values
    if test.op == "neq":
        return values - {test.value}
    return values  # answered: anything at all


def _absent_value(question: Question, value: str, never_excluded: frozenset[str]) -> bool:
    if question.kind == "yes_no":
        if value == NOT_APPLICABLE:
            # Declaring a requirement that always applies not applicable is the requirement not being met.
            # A question cannot be excluded when any of its clauses cannot (planning.exclusions grades it "no").
            return bool(never_excluded.intersection(question.clauses))
        return value in ABSENT_YES_NO
    option = question.option(value)
    return option is not None and option.level is not None and option.level <= ABSENT_LEVEL


def _upper_bound(test: AnswerTest) -> float:
    """The highest value a numeric test lets through (integers for scales; `lt 1` lets only 0 through)."""
    if test.op == "eq" and not isinstance(test.value, str):
        return test.value
    if test.op == "in":
        numbers = [v for v in test.value if not isinstance(v, str)]
        return max(numbers) if len(numbers) == len(test.value) else math.inf
    if test.op == "lte":
        return test.value
    if test.op == "lt":
        return math.ceil(test.value) - 1
    return math.inf


def _describe(question: Question, tests: list[AnswerTest]) -> str:
    shown = []
    for test in tests:
        value = test.value if test.op != "in" else "[" + ", ".join(map(str, test.value)) + "]"
        shown.append(f"{test.op} {value}" if test.op not in ("answered", "unanswered") else test.op)
    return f"'{question.id}' {' and '.join(shown)}"
