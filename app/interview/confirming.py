"""Confirming an answer copied from the last assessment (a repeat): "still true" typed or clicked keeps it.

The readers of app.interview.understand read a message as a new answer of the question's kind, so "still true" on
a number question was "no number in that". This module reads it first, for a question whose answer is waiting to
be confirmed, and only that. Plain Python: no database, no Flask.
"""

from __future__ import annotations

from typing import Any

from ..knowledge.model import Question
from .understand.choices import exact_option
from .understand.normalise import plain_text, tidy
from .understand.results import Understood

STILL_TRUE = "Still true"  # what the button sends, read below like any typed confirmation

# fmt: off
_CONFIRMING = {
    plain_text(p)
    for p in (
        "still true", "still the same", "still correct", "still right", "still valid", "still accurate",
        "still holds", "it still holds", "that still holds", "thats still true", "that is still true",
        "it is still true", "its still true", "still is", "same", "the same", "same as before",
        "same as last time", "unchanged", "no change", "no changes", "nothing changed", "nothing has changed",
        "confirm", "confirmed", "i confirm", "keep", "keep it", "keep that", "as before",
    )
}
# Where "yes" cannot be a new answer (a number, a level, options), it says yes to "Is that still true?".
_AGREEING = {plain_text(p) for p in ("yes", "yep", "yeah", "yes still true", "correct", "right", "true", "ok")}
# fmt: on


def confirmed(question: Question, text: str, copied: Any) -> Understood | None:
    """The copied answer, when `text` confirms it; None when the message is something else (a new answer, a
    command), for the usual readers."""
    if copied is None:
        return None
    words = plain_text(tidy(text)).removesuffix(" please").removesuffix(" thanks")
    if exact_option(question, text) is not None:
        return None  # an option's own words are that option, even "same"
    if words in _CONFIRMING or (question.kind != "yes_no" and words in _AGREEING):
        return Understood("answer", copied)
    return None
