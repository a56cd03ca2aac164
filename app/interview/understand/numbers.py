"""Numbers in digits or words, with ranges, bounds and units: "about forty", "30-45", "2.5k", "40+"."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ...knowledge.model import DONT_KNOW, Question
from .results import Understood, answer, confirm, unclear
from .unsure import leaning_answer, without_dont_know
from .wording import hint_for, number_text

# fmt: off
_UNITS = {word: value for value, word in enumerate((
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
    "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen",
))}
_TENS = {word: 10 * (i + 2) for i, word in enumerate((
    "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
))}
# fmt: on
_SCALES = {"thousand": 1_000, "million": 1_000_000}


class _WordNumber:
    """Reads one number written in words, word by word: "two thousand five hundred and twelve", "a dozen".

    `feed` refuses a word that cannot continue the number, so "thirty to forty" stays two numbers and "between
    thirty and forty" is not seventy ("and" only joins after hundred or thousand).
    """

    def __init__(self) -> None:
        self.total = 0
        self.current = 0
        self.last: str | None = None  # the kind of the last word taken
        self.scale = 10**9  # the largest scale word still allowed

    @property
    def value(self) -> int | None:
        return None if self.last in (None, "a", "and") else self.total + self.current

    def feed(self, word: str, following: str | None) -> bool:
        last = self.last
        if word in ("a", "an"):
            return self._take("a", last is None and following in ("hundred", "thousand", "million", "dozen"), 1)
        if word == "and":
            joins = last in ("hundred", "scale") and following in (*_UNITS, *_TENS)
            return self._take("and", joins, self.current)
        if word in _UNITS and 1 <= _UNITS[word] <= 9:
            return self._take("unit", last in (None, "ten", "hundred", "scale", "and"), self.current + _UNITS[word])
        if word in _UNITS:  # zero and ten to nineteen
            return self._take("teen", last in (None, "hundred", "scale", "and"), self.current + _UNITS[word])
        if word in _TENS:
            return self._take("ten", last in (None, "hundred", "scale", "and"), self.current + _TENS[word])
        if word == "hundred":
            return self._take("hundred", last in ("unit", "teen", "a"), self.current * 100)
        if word == "dozen":
            return self._take("dozen", last in (None, "unit", "ten", "a"), (self.current or 1) * 12)
        if word in _SCALES and _SCALES[word] < self.scale and last in ("unit", "teen", "ten", "hundred", "a"):
            self.total += self.current * _SCALES[word]
            self.scale = _SCALES[word]
            return self._take("scale", True, 0)
        return False

    def _take(self, kind: str, allowed: bool, current: int) -> bool:
        if allowed:
            self.last, self.current = kind, current
        return allowed


def _words_to_digits(text: str) -> str:
    """ "About forty-two people" -> "about 42 people"; words that are not numbers are left as they are."""
    text = re.sub(r"\bhalf a dozen\b", "6", text)
    chunks = re.findall(r"[a-z]+|[^a-z]+", text)
    out: list[str] = []
    i = 0
    while i < len(chunks):
        value, end = _read_number_words(chunks, i)
        if value is None:
            out.append(chunks[i])
            i += 1
        else:
            out.append(str(value))
            i = end
    return "".join(out)


def _read_number_words(chunks: list[str], start: int) -> tuple[int | None, int]:
    number = _WordNumber()
    value, end, i = None, start, start
    while i < len(chunks) and chunks[i].isalpha():
        # Words of one number are separated by spaces or a hyphen only ("twenty-five", "one hundred").
        joined = i + 2 < len(chunks) and re.fullmatch(r"[ -]+", chunks[i + 1])
        following = chunks[i + 2] if joined else None
        if not number.feed(chunks[i], following):
            break
        if number.value is not None:
            value, end = number.value, i + 1
        if not joined:
            break
        i += 2
    return value, end


NUM = r"\d+(?:\.\d+)?"
_RANGE = re.compile(
    rf"\b(?:between|from)\s+({NUM})\s+(?:and|to)\s+({NUM})"
    rf"|(?<![\d.])({NUM})\s*(?:-|to|or)\s*({NUM})(?![\d.])"
)
_NUMBER = re.compile(rf"(?<![\w.-])(-?{NUM})")
# "More than 40", "40+": a bound, not a count; worth a confirmation.
_BOUND_BEFORE = re.compile(r"\b(?:more than|over|at least|above|under|below|less than|fewer than|up to|at most)\s*$")
_BOUND_AFTER = re.compile(r"^\s*(?:\+|plus\b|or more\b|or less\b)")


@dataclass(frozen=True)
class Numbers:
    """The numbers a message holds, after number words, 2.5k and 1,200 are made plain."""

    text: str
    values: tuple[float, ...]
    ranges: tuple[tuple[float, float], ...]


def numbers_in(text: str) -> Numbers:
    plain = text.lower().replace("'", "")
    plain = re.sub(r"(?<=\d),(?=\d{3}(?!\d))", "", plain)  # 1,200 -> 1200
    plain = re.sub(r"\b(?:no one|nobody|none|nil)\b", "0", plain)
    plain = re.sub(
        rf"(?<![\d.])({NUM})\s*(k|thousand|mio|million)\b",
        lambda m: str(plain_number(round(float(m[1]) * (1_000_000 if m[2] in ("mio", "million") else 1000), 6))),
        plain,
    )
    plain = _words_to_digits(plain)
    ranges = tuple((float(m[1] or m[3]), float(m[2] or m[4])) for m in _RANGE.finditer(plain))
    values = tuple(float(m[1]) for m in _NUMBER.finditer(plain))
    return Numbers(plain, values, ranges)


def plain_number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


def _in_range(question: Question, value: float) -> bool:
    return (question.min is None or value >= question.min) and (question.max is None or value <= question.max)


def read_number(question: Question, text: str) -> Understood:
    unsure, rest = without_dont_know(text)
    if unsure:
        return leaning_answer(question, _number_answer(question, rest)) if rest else answer(DONT_KNOW)
    return _number_answer(question, text)


def _number_answer(question: Question, text: str) -> Understood:
    numbers = numbers_in(text)
    if numbers.ranges:
        return _number_range(question, *numbers.ranges[0])
    value = _the_number(question, numbers)
    if value is None:
        if len(set(numbers.values)) > 1:
            found = ", ".join(number_text(v) for v in dict.fromkeys(numbers.values))
            return unclear(f"I see several numbers ({found}). Which one should I put down?")
        return unclear("I couldn't find a number in that. " + hint_for(question))
    if not _in_range(question, value):
        return unclear(f"{number_text(value)} is out of range. " + hint_for(question))
    if _is_bound(numbers.text, value):
        return confirm(plain_number(value), f"Shall I put down {number_text(value)}?")
    return answer(plain_number(value))


def _the_number(question: Question, numbers: Numbers) -> float | None:
    """The one number meant: the only one, or the only one followed by the question's unit ("40 people in 2 teams")."""
    distinct = set(numbers.values)
    if len(distinct) == 1:
        return distinct.pop()
    if not question.unit or not distinct:
        return None
    unit = question.unit.lower()
    forms = {unit, unit.removesuffix("s"), unit + "s", *(("person", "persons") if unit == "people" else ())}
    words = "|".join(re.escape(form) for form in forms)
    with_unit = {float(m[1]) for m in re.finditer(rf"(?<![\w.-])(-?{NUM})\s+(?:{words})\b", numbers.text)}
    return with_unit.pop() if len(with_unit) == 1 else None


def _number_range(question: Question, low: float, high: float) -> Understood:
    low, high = sorted((low, high))
    middle = (low + high) / 2
    if low.is_integer() and high.is_integer():
        middle = float(int(middle + 0.5))  # a count stays a whole number: 30-45 -> 38
    if not _in_range(question, middle):
        return unclear(f"{number_text(middle)} is out of range. " + hint_for(question))
    span = f"{number_text(low)} to {number_text(high)}"
    return confirm(plain_number(middle), f"Shall I put down {number_text(middle)}, the middle of {span}?")


def _is_bound(text: str, value: float) -> bool:
    for match in _NUMBER.finditer(text):
        if float(match[1]) == value and (
            _BOUND_BEFORE.search(text[: match.start()]) or _BOUND_AFTER.match(text[match.end() :])
        ):
            return True
    return False
