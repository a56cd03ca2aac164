"""Levels 0 to 5: a number, "3/5", or the words of a level's label."""

from __future__ import annotations

import re

from ...knowledge.model import DONT_KNOW, Option, Question
from .choices import match_options
from .numbers import NUM, numbers_in
from .results import Understood, answer, unclear
from .unsure import leaning_answer, without_dont_know
from .wording import hint_for, number_text

_OUT_OF = re.compile(rf"({NUM})\s*(?:/|out of|of)\s*({NUM})")


def read_scale(question: Question, text: str) -> Understood:
    unsure, rest = without_dont_know(text)
    if unsure:
        return leaning_answer(question, _scale_answer(question, rest)) if rest else answer(DONT_KNOW)
    return _scale_answer(question, text)


def _scale_answer(question: Question, text: str) -> Understood:
    numbers = numbers_in(text)
    out_of = _OUT_OF.search(numbers.text)
    if out_of:  # "3/5", "three out of five"
        if float(out_of[2]) != 5:
            return unclear(f"This one is on a scale from 0 to 5, not 0 to {out_of[2]}. " + hint_for(question))
        return _scale_level(question, float(out_of[1]))
    labels = _scale_label(question, text)
    if labels and labels.kind == "answer":  # a described level beats a stray number in the description
        return labels
    if numbers.ranges:
        low, high = sorted(numbers.ranges[0])
        return unclear(f"Please pick one level between {number_text(low)} and {number_text(high)}.")
    if len(set(numbers.values)) == 1:
        return _scale_level(question, numbers.values[0])
    if labels and labels.kind == "confirm":
        return labels
    return unclear("I'm not sure which level you mean. " + hint_for(question))


def _scale_level(question: Question, level: float) -> Understood:
    if level.is_integer() and 0 <= level <= 5:
        return answer(int(level))
    return unclear(f"{number_text(level)} is not a level. " + hint_for(question))


def _scale_label(question: Question, text: str) -> Understood | None:
    """The level whose label the text describes, matched as if the labels were options."""
    if not question.labels:
        return None
    options = tuple(Option(value=str(level), label=label) for level, label in enumerate(question.labels))
    match = match_options(options, text)
    return match and Understood(match.kind, int(match.value), message=match.message)
