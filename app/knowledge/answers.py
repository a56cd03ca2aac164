"""Answers: checking a raw value against its question, and showing it back in words."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .model import DONT_KNOW, YES_NO_LABELS, YES_NO_VALUES, AnswerTest, Question, Questionnaire

MAX_NUMBER = 10**15

MAX_NOTE = 4000


@dataclass(frozen=True)
class Answer:
    value: Any
    note: str = ""
    evidence: str = ""


@dataclass(frozen=True)
class AnswerProblem:
    question: str
    message: str


def check_value(question: Question, value: Any) -> tuple[Any, str | None]:
    """The value in canonical form, or an error message saying what the question expects."""
    kind = question.kind
    if isinstance(value, str):
        value = value.strip()
    if value == DONT_KNOW and kind != "text":
        return DONT_KNOW, None
    if kind == "yes_no":
        if isinstance(value, bool):  # YAML reads a bare yes / no as a boolean
            value = "yes" if value else "no"
        if value in YES_NO_VALUES:
            return value, None
        return None, f"expected one of {', '.join(YES_NO_VALUES)}, got {value!r}"
    if kind == "single_choice":
        if isinstance(value, str) and question.option(value):
            return value, None
        return None, f"expected one of {', '.join(question.allowed_values())} or dont_know, got {value!r}"
    if kind == "multiple_choice":
        values = [value] if isinstance(value, str) else value
        if not isinstance(values, list | tuple) or not values:
            return None, "expected a list of options"
        unknown = [v for v in values if not (isinstance(v, str) and question.option(v))]
        if unknown:
            return None, f"{', '.join(map(repr, unknown))} not among {', '.join(question.allowed_values())}"
        chosen = set(values)
        return [o.value for o in question.options if o.value in chosen], None
    if kind == "scale":
        if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 5:
            return value, None
        return None, f"expected a whole number from 0 to 5 or dont_know, got {value!r}"
    if kind == "number":
        if isinstance(value, bool) or not isinstance(value, int | float):
            return None, f"expected a number or dont_know, got {value!r}"
        if isinstance(value, float) and not math.isfinite(value):  # YAML's .nan and .inf defeat any range check
            return None, f"expected a finite number or dont_know, got {value!r}"
        if abs(value) > MAX_NUMBER:  # beyond what a float holds exactly (and far beyond any count asked for)
            return None, f"expected a number of at most {MAX_NUMBER:,}"
        if question.min is not None and value < question.min:
            return None, f"expected at least {question.min:g}, got {value:g}"
        if question.max is not None and value > question.max:
            return None, f"expected at most {question.max:g}, got {value:g}"
        return (int(value) if float(value).is_integer() else value), None
    if kind == "text":
        if not isinstance(value, str):
            return None, f"expected text, got {type(value).__name__} {value!r}"
        if not value:
            return None, "expected some text (leave the question out to skip it)"
        if len(value) > question.max_length:
            return None, f"text is {len(value)} characters long; at most {question.max_length}"
        return value, None
    return None, f"unknown question kind {kind}"  # pragma: no cover - the schema allows only known kinds


def check_notes(note: Any, evidence: Any) -> str | None:
    """What is wrong with an answer's note and evidence, if anything (an empty one is no note)."""
    if not all(isinstance(text, str) for text in (note, evidence)) or max(len(note), len(evidence)) > MAX_NOTE:
        return f"note and evidence must be text of at most {MAX_NOTE}"
    return None


def check_answers(
    questionnaire: Questionnaire, raw: Mapping[str, Any]
) -> tuple[dict[str, Answer], list[AnswerProblem]]:
    """Every answer checked; the valid ones in canonical form and a problem for each invalid one."""
    answers: dict[str, Answer] = {}
    problems: list[AnswerProblem] = []
    for question_id, entry in raw.items():
        if not isinstance(question_id, str) or not questionnaire.has_question(question_id):
            problems.append(AnswerProblem(str(question_id), f"no question '{question_id}' in {questionnaire.id}"))
            continue
        note = evidence = ""
        value = entry
        if isinstance(entry, Mapping):
            unknown = sorted(set(entry) - {"value", "note", "evidence"})
            if unknown or "value" not in entry:
                problems.append(
                    AnswerProblem(question_id, "an answer mapping takes value (required), note and evidence")
                )
                continue
            value = entry["value"]
            note, evidence = entry.get("note") or "", entry.get("evidence") or ""
            error = check_notes(note, evidence)
            if error:
                problems.append(AnswerProblem(question_id, error))
                continue
        if value is None:
            problems.append(AnswerProblem(question_id, "no value given (leave the question out to skip it)"))
            continue
        canonical, error = check_value(questionnaire.question(question_id), value)
        if error:
            problems.append(AnswerProblem(question_id, error))
        else:
            answers[question_id] = Answer(canonical, note, evidence)
    return answers, problems


def answer_label(question: Question, value: Any) -> str:
    if value == DONT_KNOW:
        return YES_NO_LABELS[DONT_KNOW]
    if question.kind == "yes_no":
        return YES_NO_LABELS.get(value, str(value))
    if question.kind == "single_choice":
        option = question.option(value)
        return option.label if option else str(value)
    if question.kind == "multiple_choice":
        labels = [o.label for o in question.options if o.value in value]
        # Many labels hold commas of their own ("Customer outcomes, such as CSAT or NPS, ..."): joined by commas,
        # a reader could not tell where one choice ends.
        return ("; " if any("," in label for label in labels) else ", ").join(labels)
    if question.kind == "scale":
        label = question.labels[value] if question.labels else ""
        return f"{value} of 5" + (f" ({label})" if label else "")
    if question.kind == "number":
        return f"{value:g} {question.unit}".strip() if isinstance(value, float) else f"{value} {question.unit}".strip()
    return str(value)


def answer_test_holds(test: AnswerTest, answers: Mapping[str, Any]) -> bool:
    """Whether one answer test holds (the semantics documented in docs/knowledge-base.md, "Conditions")."""
    answered = test.question in answers
    value = answers.get(test.question)
    op = test.op
    if op == "answered":
        return answered
    if op == "unanswered":
        return not answered
    if not answered:
        return False
    if op == "eq":
        return value == test.value
    if op == "neq":
        return value != test.value
    if op == "in":
        return value in test.value
    if op == "contains":
        return value == DONT_KNOW if test.value == DONT_KNOW else isinstance(value, list) and test.value in value
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    return {
        "lt": value < test.value,
        "lte": value <= test.value,
        "gt": value > test.value,
        "gte": value >= test.value,
    }[op]
