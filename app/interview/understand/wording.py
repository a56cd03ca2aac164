"""How the readers write options, numbers and hints into what the assistant says."""

from __future__ import annotations

from typing import Any

from ...knowledge.model import YES_NO_LABELS, Question


def in_quotes(labels: list[str], joiner: str = "or") -> str:
    quoted = [f"“{label}”" for label in labels]
    return quoted[0] if len(quoted) == 1 else f"{', '.join(quoted[:-1])} {joiner} {quoted[-1]}"


COMMAND_HINT = "Type “plan” to see your plan, “progress” to see how far you are, or “help”."


def hint_for(question: Question | None) -> str:
    if question is None:
        return COMMAND_HINT
    if question.kind == "yes_no":
        return "You can answer " + in_quotes([YES_NO_LABELS[v] for v in YES_NO_LABELS]) + "."
    if question.kind == "single_choice":
        return "Please pick one of " + in_quotes([o.label for o in question.options]) + "."
    if question.kind == "multiple_choice":
        labels = in_quotes([o.label for o in question.options], "and")
        return f"Please pick one or more of {labels}, separated by commas."
    if question.kind == "scale":
        return "Please give a whole number from 0 to 5" + (", or describe it in words." if question.labels else ".")
    if question.kind == "number":
        return " ".join(("Please give a number", range_words(question))).strip() + "."
    return "Please type your answer."


def number_text(value: float) -> str:
    return f"{int(value):,}" if float(value).is_integer() else f"{value:,}"


def range_words(question: Question) -> str:
    low, high, unit = question.min, question.max, f" {question.unit}" if question.unit else ""
    if low is not None and high is not None:
        return f"from {number_text(low)} to {number_text(high)}{unit}"
    if low is not None:
        return f"of at least {number_text(low)}{unit}"
    if high is not None:
        return f"of at most {number_text(high)}{unit}"
    return ""


def shown(question: Question, value: Any) -> str:
    if question.kind in ("single_choice", "multiple_choice"):
        values = value if isinstance(value, list) else [value]
        return in_quotes([o.label for o in question.options if o.value in values], "and")
    if question.kind == "number":
        return number_text(value)
    return f"level {value}"
