"""Several respondents' answers to one question made into the one that counts, and how far they agree.

Respondents who agree give the answer as it is. Where they disagree, an owner or consultant may pick one of the
answers given; until then the more conservative one counts, so a disagreement never makes the organisation look
readier than its least confident respondent says it is:
- yes / partly / no: no, then don't know, then partly, then yes, then not applicable (claiming that a requirement
  does not apply is the most generous answer of all);
- scales: the lowest level; choices with maturity levels: the option with the lowest level;
- multiple choice: what every respondent ticked (if that is nothing, the shortest answer);
- numbers, choices without levels, free text: nothing is more conservative, so the most common answer counts, ties
  going to the respondent listed first (numbers: the lower of the middle values).

How strongly they disagree, for the rules and the alignment figures:
- 0, aligned: the same answer, or the question is free text;
- 1, differing: different answers that do not contradict each other (yes / partly, 3 / 4 on a scale);
- 2, contradicting: one says it is in place and another that it is not, or that they have never heard of it
  (yes against no or don't know; scale or choice levels three or more apart). Only these reach the rules, as
  `{disputed: QUESTION}`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..knowledge.answers import answer_label
from ..knowledge.model import DONT_KNOW, NOT_APPLICABLE, Question, Questionnaire

ALIGNED, DIFFERING, CONTRADICTING = 0, 1, 2
_YES_NO_ORDER = {"no": 0, DONT_KNOW: 1, "partly": 2, "yes": 3, NOT_APPLICABLE: 4}
_FAR_APART = 3  # scale or choice levels this far apart contradict each other


@dataclass(frozen=True)
class Given:
    """One respondent's answer: who (their display name) and what."""

    respondent: str
    value: Any


@dataclass(frozen=True)
class Consensus:
    question_id: str
    given: tuple[Given, ...]
    value: Any  # the answer that counts
    status: str  # single | agreed | disputed | resolved
    strength: int  # ALIGNED | DIFFERING | CONTRADICTING
    split: tuple[tuple[str, int, tuple[str, ...]], ...]  # (answer label, how many, who), most given first

    @property
    def distinct_values(self) -> list[Any]:
        return _distinct(g.value for g in self.given)

    @property
    def compared(self) -> bool:
        """Whether this question says anything about alignment: two or more respondents answered it."""
        return len(self.given) > 1

    def split_text(self, names: bool = False) -> str:
        """'2 said “Yes”, 1 said “No”', or with names: '“Yes”: Ann, Bob; “No”: Carl'."""
        if names:
            return "; ".join(f"“{label}”: {', '.join(who)}" for label, _, who in self.split)
        return ", ".join(f"{count} said “{label}”" for label, count, _ in self.split)

    def as_dict(self, names: bool = False) -> dict[str, Any]:
        return {
            "question": self.question_id,
            "status": self.status,
            "strength": self.strength,
            "value": self.value,
            "respondents": len(self.given),
            "split": [
                {"answer": label, "count": count, **({"respondents": list(who)} if names else {})}
                for label, count, who in self.split
            ],
        }


def consolidate(question: Question, given: Sequence[Given], resolution: Any = None) -> Consensus:
    """`given` in a stable respondent order; `resolution` is the picked value, if any (it counts only while some
    respondent still gives it: a pick that matches nobody any more would be an answer nobody gave)."""
    values = [g.value for g in given]
    strength = disagreement(question, values)
    distinct = _distinct(values)
    if len(distinct) <= 1:
        status, value = ("single" if len(given) <= 1 else "agreed"), (distinct[0] if distinct else None)
    elif resolution is not None and resolution in distinct:
        status, value = "resolved", resolution
    else:
        status, value = "disputed", conservative(question, values)
    return Consensus(question.id, tuple(given), value, status, strength, _split(question, given))


def disagreement(question: Question, values: Sequence[Any]) -> int:
    distinct = _distinct(values)
    if len(distinct) <= 1 or question.kind == "text":
        return ALIGNED
    if question.kind == "yes_no":
        contradicting = "yes" in distinct and ("no" in distinct or DONT_KNOW in distinct)
        return CONTRADICTING if contradicting else DIFFERING
    levels = [_level(question, v) for v in distinct]
    levels = [lv for lv in levels if lv is not None]
    if levels and max(levels) - min(levels) >= _FAR_APART:
        return CONTRADICTING
    if question.kind == "number":
        numbers = [v for v in distinct if isinstance(v, int | float)]
        # Estimates of the same figure differ a little; only a gap of half again counts as a different answer.
        if len(numbers) == len(distinct) and min(numbers) > 0 and max(numbers) <= 1.5 * min(numbers):
            return ALIGNED
    return DIFFERING


def conservative(question: Question, values: Sequence[Any]) -> Any:
    if question.kind == "yes_no":
        return min(values, key=lambda v: _YES_NO_ORDER.get(v, 0))
    if question.kind in ("scale", "single_choice"):
        levelled = [v for v in values if _level(question, v) is not None]
        if levelled:
            return min(levelled, key=lambda v: _level(question, v))
    if question.kind == "multiple_choice":
        lists = [v for v in values if isinstance(v, list)]
        if lists:
            common = [o for o in lists[0] if all(o in other for other in lists[1:])]
            return common or min(lists, key=len)
    if question.kind == "number":
        numbers = sorted(v for v in values if isinstance(v, int | float))
        if numbers:
            return numbers[(len(numbers) - 1) // 2]
    return _most_common(values)


def disputes(consensuses: Iterable[Consensus], names: bool = False) -> dict[str, str]:
    """What the engine is given: each contradicted question with how respondents split."""
    return {c.question_id: c.split_text(names) for c in consensuses if c.strength == CONTRADICTING}


def alignment(questionnaire: Questionnaire, consensuses: Mapping[str, Consensus]) -> dict[str, Any]:
    """Per clause and overall: of the questions two or more respondents answered, how many they agreed on."""
    clauses: dict[str, dict[str, int]] = {}
    overall = {"compared": 0, "agreed": 0, "contradicted": 0}
    for question in questionnaire.questions:
        consensus = consensuses.get(question.id)
        if consensus is None or not consensus.compared or question.kind == "text":
            continue
        counts = [
            overall,
            *(clauses.setdefault(c, {"compared": 0, "agreed": 0, "contradicted": 0}) for c in question.clauses),
        ]
        for count in counts:
            count["compared"] += 1
            count["agreed"] += consensus.strength == ALIGNED
            count["contradicted"] += consensus.strength == CONTRADICTING
    return {
        "overall": _with_score(overall),
        "clauses": {c: _with_score(counts) for c, counts in clauses.items()},
    }


def _with_score(counts: dict[str, int]) -> dict[str, Any]:
    score = round(100 * counts["agreed"] / counts["compared"]) if counts["compared"] else None
    return {**counts, "score": score}


def _level(question: Question, value: Any) -> int | None:
    if question.kind == "scale":
        return value if isinstance(value, int) and not isinstance(value, bool) else None
    if question.kind == "single_choice" and isinstance(value, str):
        option = question.option(value)
        return option.level if option is not None else None
    return None


def _distinct(values: Iterable[Any]) -> list[Any]:
    seen: dict[str, Any] = {}
    for value in values:
        seen.setdefault(_key(value), value)
    return list(seen.values())


def _key(value: Any) -> str:
    return repr(sorted(value)) if isinstance(value, list) else repr(value)


def _most_common(values: Sequence[Any]) -> Any:
    counts = Counter(_key(v) for v in values)
    best = max(counts.values())
    return next(v for v in values if counts[_key(v)] == best)


def _split(question: Question, given: Sequence[Given]) -> tuple[tuple[str, int, tuple[str, ...]], ...]:
    groups: dict[str, tuple[str, list[str]]] = {}
    for g in given:
        label = answer_label(question, g.value)
        groups.setdefault(_key(g.value), (label, []))[1].append(g.respondent)
    rows = [(label, len(who), tuple(who)) for label, who in groups.values()]
    return tuple(sorted(rows, key=lambda r: -r[1]))
