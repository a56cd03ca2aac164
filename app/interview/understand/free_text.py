"""Free-text questions: the message is the answer, in the user's own words."""

from __future__ import annotations

from ...knowledge.model import Question
from .results import Understood, answer


def read_text(question: Question, raw: str) -> Understood:
    """The message as typed; `check_value` (see `results.validated`) limits its length to the question's maximum."""
    return answer(raw)
