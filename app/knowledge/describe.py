"""Conditions in words, for the knowledge-base browser and the chat's "why do you ask?"."""

from __future__ import annotations

from collections.abc import Callable

from .answers import answer_label
from .model import AnswerTest, Condition, FactTest, Question, disputed_question

_OPS = {"lt": "is below", "lte": "is at most", "gt": "is above", "gte": "is at least"}


def describe(condition: Condition, question: Callable[[str], Question | None], fact_means: Callable[[str], str]) -> str:
    if isinstance(condition, FactTest):
        question_id = disputed_question(condition.fact)
        if question_id is not None:
            asked = question(question_id)
            return f"respondents contradict each other on “{asked.text if asked else question_id}”"
        return fact_means(condition.fact)
    if isinstance(condition, AnswerTest):
        return _describe_test(condition, question(condition.question))
    parts = [describe(c, question, fact_means) for c in condition.all]
    if condition.any:
        alternatives = [describe(c, question, fact_means) for c in condition.any]
        parts.append(alternatives[0] if len(alternatives) == 1 else "either " + " or ".join(alternatives))
    for c in condition.none:
        parts.append("not (" + describe(c, question, fact_means) + ")")
    return " and ".join(parts) if parts else "always"


def _describe_test(test: AnswerTest, question: Question | None) -> str:
    name = f"“{question.text}”" if question else test.question

    def label(value) -> str:
        return answer_label(question, value) if question else str(value)

    if test.op == "answered":
        return f"{name} is answered"
    if test.op == "unanswered":
        return f"{name} is not answered"
    if test.op == "eq":
        return f"{name} is “{label(test.value)}”"
    if test.op == "neq":
        return f"{name} is not “{label(test.value)}”"
    if test.op == "in":
        return f"{name} is " + " or ".join(f"“{label(v)}”" for v in test.value)
    if test.op == "contains":
        option = question.option(test.value) if question else None
        return f"{name} includes “{option.label if option else test.value}”"
    return f"{name} {_OPS[test.op]} {test.value:g}"
