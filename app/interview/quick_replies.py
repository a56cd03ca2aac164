"""The quick replies the chat offers beside a question, where they are not simply its options.

Plain Python over the knowledge model. A number question offers ranges: those its questionnaire gives (see
docs/knowledge-base.md, `ranges`), or else a few round figures between its min and max, so that no question is
left with nothing to click but "don't know".
"""

from __future__ import annotations

from ..knowledge.model import NumberRange, Question

SHOWN = 5  # round figures derived for a number question that names no ranges
_LARGEST = 1000  # where the derived figures stop when the question sets no max


def number_replies(question: Question) -> tuple[NumberRange, ...]:
    """The ranges a number question offers, each with the number it saves."""
    if question.kind != "number":
        return ()
    if question.ranges:
        return question.ranges
    low = question.min if question.min is not None else 0
    high = question.max if question.max is not None else max(low, _LARGEST)
    figures = [f for f in _round_figures(high) if low <= f <= high]
    if len(figures) > SHOWN:  # spread over the whole span rather than the first few
        step = (len(figures) - 1) / (SHOWN - 1)
        figures = [figures[round(i * step)] for i in range(SHOWN)]
    unit = f" {question.unit}" if question.unit else ""
    return tuple(NumberRange(f"About {_figure(f)}{unit}", f) for f in figures)


def _figure(value: float) -> str:
    return f"{int(value):,}" if float(value).is_integer() else f"{value:g}"


def _round_figures(high: float) -> list[float]:
    """0, 1, 2, 5, 10, 20, 50, ... up to `high`: figures a person would say when estimating."""
    figures, scale = [0.0], 1.0
    while scale <= high:
        figures += [scale * m for m in (1, 2, 5) if scale * m <= high]
        scale *= 10
    return figures


def range_label(question: Question, value) -> str | None:
    """The label of the range a clicked value came from, for the user's bubble (None: not one of them)."""
    return next((r.label for r in number_replies(question) if r.value == value), None)


def choice_needed(question: Question) -> str:
    """What to say when a multiple-choice question is saved with nothing ticked."""
    none_of_them = next(
        (o.label for o in question.options if o.value == "none" or o.label.lower().startswith("none")), None
    )
    alternative = f"“{none_of_them}” or “Don't know”" if none_of_them else "“Don't know”"
    return f"Nothing was saved: tick at least one option, or choose {alternative}."
