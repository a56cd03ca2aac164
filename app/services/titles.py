"""What an assessment is called when nobody names it: the questionnaire's name and the day it started, and for a
repeat the name it repeats with the day of the repeat, so two entries of one organisation never read the same."""

from __future__ import annotations

import re
from datetime import date

_REPEAT = re.compile(r"\s*\(repeat, \d{4}-\d{2}-\d{2}\)$")
MAX_LENGTH = 200  # Assessment.title's column


def new_title(questionnaire_title: str, started: date) -> str:
    return f"{questionnaire_title}, {started.isoformat()}"[:MAX_LENGTH]


def repeat_title(previous_title: str, started: date) -> str:
    """ "Gap analysis" repeated becomes "Gap analysis (repeat, 2026-12-07)"; a repeat of that repeat gets the new
    day instead of a second suffix."""
    suffix = f" (repeat, {started.isoformat()})"
    base = _REPEAT.sub("", previous_title.strip())
    return base[: MAX_LENGTH - len(suffix)] + suffix
