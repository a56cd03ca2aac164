"""Single and multiple choice: the option a message names, by label, value, meaning or a typo of them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from rapidfuzz import fuzz
from rapidfuzz.distance import OSA

from ...knowledge.model import DONT_KNOW, Option, Question
from .normalise import plain_text
from .results import Understood, answer, confirm, unclear
from .unsure import leaning_answer, without_dont_know
from .wording import hint_for, in_quotes, shown

# Scores are 0-100. The word scores below are what the message earns by naming the option's words.
ANSWER_SCORE = 90  # a match this good, well clear of the next option, is the answer
CONFIRM_SCORE = 65  # a match this good is worth asking about
CLEAR_LEAD = 10  # how far the best match must lead the second to be "clear"
TYPO_SCORE = 92  # one slip of the finger in a longer word ("kanbna", "scurm") is a typo, not another word
NAMED_SCORE = 95  # every word of the option appears in the message: "we use Scrum", "ISO 27001 and SOC 2"
FRAGMENT_SCORE = 90  # every word of the message appears in the option: "complaints", "now and then"
MEANING_SCORE = 80  # the message matches what the option means, not its label: "sprints" -> Scrum; ask first

_NEGATION = {"not", "no", "never", "dont", "doesnt", "isnt", "arent", "without", "neither", "nor", "stopped"}
# fmt: off
# Words that name nothing: they neither make nor break a match ("we mostly use Scrum" names only Scrum).
_FILLER = {
    "a", "an", "the", "and", "or", "of", "to", "in", "on", "at", "by", "for", "with", "as", "but", "so", "it",
    "its", "is", "are", "be", "this", "that", "there", "we", "our", "us", "i", "id", "im", "you", "they", "their",
    "use", "using", "used", "do", "does", "have", "has", "got", "hold", "mostly", "mainly", "just", "also",
    "both", "probably", "think", "guess", "say", "would", "currently", "right", "moment", "please", "like",
    "mean", "maybe", "perhaps", "one", "ones", "option", "work", "works", "working",
}
_NONE_PHRASES = {
    "none", "nothing", "no", "nope", "not any", "none of them", "none of these", "none of those", "none yet",
    "zero", "neither", "no certificates", "we dont have any", "we have none", "not yet",
}
# fmt: on
# Separators between the options of a multiple-choice answer: "ISO 27001, SOC 2 and another one".
_LIST_SEPARATORS = re.compile(r"\s*(?:,|;|&|\+|\band\b|\bplus\b|\bas well as\b)\s*", re.IGNORECASE)


@dataclass(frozen=True)
class _Match:
    option: Option
    score: float


def _words(text: str) -> str:
    """Plain text for matching options: "ISO/IEC 27001" and "iso iec 27001" are the same words."""
    return " ".join(plain_text(text).replace("/", " ").split())


def _option_texts(option: Option) -> set[str]:
    return {_words(option.label), _words(option.value.replace("_", " "))}


def _none_option(options: tuple[Option, ...]) -> Option | None:
    return next((o for o in options if o.value == "none" or _words(o.label).split()[:1] == ["none"]), None)


def exact_option(question: Question | None, text: str) -> Any:
    """The value of the option whose label or value the message is, word for word; None otherwise."""
    if question is None or question.kind not in ("single_choice", "multiple_choice", "scale"):
        return None
    words = _words(text)
    if question.kind == "scale":
        found = [level for level, label in enumerate(question.labels) if _words(label) == words]
        return found[0] if found else None
    for option in question.options:
        if words in _option_texts(option):
            return [option.value] if question.kind == "multiple_choice" else option.value
    return None


def read_single(question: Question, text: str) -> Understood:
    unsure, rest = without_dont_know(text)
    if unsure:
        return leaning_answer(question, match_options(question.options, rest)) if rest else answer(DONT_KNOW)
    return match_options(question.options, text) or unclear("I couldn't match that to an option. " + hint_for(question))


def read_multiple(question: Question, text: str) -> Understood:
    unsure, rest = without_dont_know(text)
    if unsure:
        return leaning_answer(question, _match_many(question, rest)) if rest else answer(DONT_KNOW)
    return _match_many(question, text)


def _match_many(question: Question, text: str) -> Understood:
    # Split at commas, "and", "&"... A label that itself contains "and" ("complaints and support tickets") still
    # comes back as one option: each of its parts matches that option's words.
    parts = [p for p in _LIST_SEPARATORS.split(text) if plain_text(p)]
    if not parts:
        return unclear(hint_for(question))
    matches = [(part, match_options(question.options, part)) for part in parts]
    missed = [part for part, match in matches if match is None]
    if missed:
        return unclear(f"I couldn't match {in_quotes(missed, 'and')} to an option. " + hint_for(question))
    chosen = {m.value for _, m in matches}
    none = _none_option(question.options)
    if none and none.value in chosen and len(chosen) > 1:
        return unclear(f"“{none.label}” can't go with other options. " + hint_for(question))
    values = [o.value for o in question.options if o.value in chosen]
    if any(m.kind == "confirm" for _, m in matches):
        return confirm(values, f"Did you mean {shown(question, values)}?")
    return answer(values)


def match_options(options: tuple[Option, ...], text: str) -> Understood | None:
    """The option the text names: answer when clear, confirm when plausible, None when nothing comes close."""
    words = _words(text)
    if not words:
        return None
    none = _none_option(options)
    if none and words in _NONE_PHRASES:
        return answer(none.value)
    ranked = sorted(
        (m for m in (_score(option, words) for option in options) if m.score >= CONFIRM_SCORE),
        key=lambda m: -m.score,
    )
    if not ranked:
        return None
    best = ranked[0]
    close = [m for m in ranked[1:] if best.score - m.score < CLEAR_LEAD]
    if best.score >= ANSWER_SCORE and not close:
        return answer(best.option.value)
    return confirm(best.option.value, f"Did you mean {in_quotes([m.option.label for m in (best, *close)])}?")


def _score(option: Option, words: str) -> _Match:
    """How well the typed words name the option, the best of its label, value and meaning; 0 when negated."""
    targets = [(target, 100) for target in _option_texts(option)]
    if option.meaning:
        targets.append((_words(option.meaning), MEANING_SCORE))
    best = 0.0
    for target, cap in targets:
        score = min(_similarity(words, target), cap)
        if score >= CONFIRM_SCORE and _negated(words.split(), target.split()):
            score = 0  # "we don't use Scrum" names Scrum only to rule it out
        best = max(best, score)
    return _Match(option, best)


def _similarity(query: str, target: str) -> float:
    if query == target:
        return 100
    # Whole-string similarity catches typos in short answers; a slip in a longer word counts as that word.
    score = fuzz.ratio(query, target)
    if _typo_of(query, target):
        score = max(score, TYPO_SCORE)
    # Word coverage catches the option named in a sentence, or the message quoting part of a long label.
    # (Character-level partial scores are misleading here: long labels share "and", "it", "the" with anything.)
    said, meant = _content(query), _content(target)
    if said and meant:
        named = sum(any(_same_word(m, s) for s in said) for m in meant) / len(meant)
        quoted = sum(any(_same_word(s, m) for m in meant) for s in said) / len(said)
        if named == 1:
            score = max(score, NAMED_SCORE)
        elif quoted == 1:
            score = max(score, FRAGMENT_SCORE)
        else:  # some words in common: partial credit, enough to ask about when most words agree
            score = max(score, 100 * (named * len(meant) + quoted * len(said)) / (len(meant) + len(said)))
    return score


def _content(words: str) -> list[str]:
    return [w for w in words.split() if w not in _FILLER]


def _same_word(a: str, b: str) -> bool:
    return a == b or a.removesuffix("s") == b.removesuffix("s") or _typo_of(a, b)


def _typo_of(a: str, b: str) -> bool:
    """One slip (a wrong, missing, extra or swapped letter) in a word of five letters or more, two in long ones."""
    return min(len(a), len(b)) >= 5 and OSA.distance(a, b) <= max(1, len(b) // 8)


def _negated(query: list[str], target: list[str]) -> bool:
    """Whether a negation comes just before the first word of the query that names the target."""
    if not target or target[0] in _NEGATION:  # an option such as "No particular method" is named, not negated
        return False
    meant = _content(" ".join(target)) or target
    first = next((i for i, word in enumerate(query) if any(_same_word(word, m) for m in meant)), None)
    return first is not None and any(word in _NEGATION for word in query[max(0, first - 3) : first])
