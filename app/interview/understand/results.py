"""What a reader makes of a message, and the three outcomes every reader builds."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ...knowledge.answers import check_value
from ...knowledge.model import Question


@dataclass(frozen=True)
class Understood:
    kind: str  # "answer" | "confirm" | "command" | "unclear"
    value: Any = None  # canonical answer value, for answer and confirm
    command: str = ""  # skip | back | progress | plan | help | explain | why
    topic: str = ""  # for explain: the term or claim asked about
    message: str = ""  # for confirm and unclear: what the assistant should say


def answer(value: Any) -> Understood:
    return Understood("answer", value)


def confirm(value: Any, message: str) -> Understood:
    return Understood("confirm", value, message=message)


def unclear(message: str) -> Understood:
    return Understood("unclear", message=message)


def validated(question: Question, understood: Understood) -> Understood:
    """Answers and guesses in canonical form; a value the question would refuse becomes "unclear" with the reason."""
    if understood.kind not in ("answer", "confirm"):
        return understood
    value, error = check_value(question, understood.value)
    if error:
        return unclear(f"I can't record that: {error}.")
    return Understood(understood.kind, value, message=understood.message)
