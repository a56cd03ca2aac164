"""Yes, partly, no, don't know and not applicable, hedged or not, and typos of them."""

from __future__ import annotations

import re

from rapidfuzz.distance import OSA

from ...knowledge.model import DONT_KNOW, NOT_APPLICABLE, YES_NO_LABELS, Question
from .normalise import phrase_regex, plain_text
from .results import Understood, answer, confirm, unclear
from .unsure import DONT_KNOW_PHRASES
from .wording import hint_for

# Every phrase here is matched as whole words on plain text, longest first: "not sure" is don't-know before "not"
# can count as no, "not always" is partly before "always" can count as yes.
# fmt: off
_YES_NO_PHRASES = {
    "yes": (
        "yes", "yeah", "yea", "yah", "ya", "yep", "yup", "aye", "y", "sure", "for sure", "of course", "ofc",
        "we do", "yes we do", "we are", "absolutely", "definitely", "certainly", "correct", "indeed",
        "affirmative", "totally", "always", "that's right", "exactly", "true", "fully", "everywhere",
        "in all teams", "all teams", "every team", "in every team", "all projects", "every project", "in place",
        "why not",
    ),
    "no": (
        "no", "nope", "nah", "n", "not really", "never", "not yet", "we don't", "we do not", "not at all", "none",
        "nothing", "nobody", "no one", "not", "don't", "do not", "doesn't", "does not", "isn't", "is not",
        "aren't", "are not", "haven't", "have not", "hasn't", "didn't", "can't", "won't", "we haven't",
        "no we don't", "not in place", "absolutely not", "definitely not", "certainly not", "of course not",
        "we are not", "we're not", "it is not", "it's not", "there is no", "there are no", "there isn't",
    ),
    "partly": (
        "partly", "partially", "partial", "in part", "somewhat", "sort of", "sorta", "kind of", "kinda", "some",
        "some teams", "in some teams", "some projects", "in some projects", "some of it", "some of them", "half",
        "halfway", "half of", "not always", "not everywhere", "not fully", "not completely", "not entirely",
        "not consistently", "not all", "not every", "not in all", "sometimes", "occasionally", "rarely", "a bit",
        "a little", "here and there", "in places", "only in", "only for", "only some", "only one", "only a few",
        "but only", "a few", "one team", "one project", "except", "apart from", "but not", "though not",
        "in progress", "work in progress", "working on it", "we're working on it", "started", "yes and no",
        "to some extent", "to a degree",
    ),
    DONT_KNOW: DONT_KNOW_PHRASES,
    NOT_APPLICABLE: (
        "n/a", "na", "not applicable", "not applicable to us", "does not apply", "doesn't apply", "don't apply",
        "not relevant", "not relevant for us", "not relevant to us", "irrelevant", "irrelevant for us",
        "doesn't concern us", "does not concern us", "nothing to do with us",
    ),
    # Hedges: the user leans one way but is not certain, so the answer is offered for confirmation.
    "hedge:yes": (
        "i think so", "i believe so", "i guess so", "i suppose so", "i hope so", "probably", "likely",
        "most likely", "presumably", "should be", "i'd say so", "i would say so", "as far as i know", "afaik",
        "i assume so", "pretty much", "i think we do",
    ),
    "hedge:no": (
        "i don't think so", "don't think so", "i think not", "probably not", "likely not", "unlikely", "i doubt it",
        "doubt it", "not that i know of", "not as far as i know", "i don't believe so", "i guess not",
        "i suppose not", "i don't think we do",
    ),
    "hedge:partly": (
        "mostly", "largely", "mainly", "for the most part", "more or less", "usually", "generally",
        "most of the time", "in most teams", "in most projects", "most teams", "most projects", "almost", "nearly",
    ),
    "hedge:": ("i think", "i believe", "i guess", "i suppose", "i assume", "i'd say", "i would say"),
    "hedge:unsure": ("maybe", "perhaps", "possibly", "might be", "could be"),
}
# fmt: on
_YES_NO_CATEGORY = {plain_text(p): category for category, phrases in _YES_NO_PHRASES.items() for p in phrases}
# Two passes: "don't know" and "not applicable" phrases are read first, so that "probably not applicable" is not
# read as "probably not" followed by a stray "applicable".
_FIRST = (DONT_KNOW, NOT_APPLICABLE)
_YES_NO_PASSES = (
    phrase_regex(p for p, category in _YES_NO_CATEGORY.items() if category in _FIRST),
    phrase_regex(p for p, category in _YES_NO_CATEGORY.items() if category not in _FIRST),
)
# "yes, although it is not written down": a yes and a no joined by a contrast are a partly.
_CONTRAST = re.compile(r"\b(?:but|although|though|however|except|only)\b")
_CONFLICT = "conflict"


def read_yes_no(question: Question, text: str) -> Understood:
    plain = plain_text(text)
    found, rest = [], plain
    for regex in _YES_NO_PASSES:
        found += [_YES_NO_CATEGORY[m.group(0)] for m in regex.finditer(rest)]
        rest = regex.sub(" | ", rest)  # a phrase read once is not read again as part of another
    if not found:
        return _yes_no_typo(question, plain)
    strong = {c for c in found if not c.startswith("hedge:")}
    hedges = {c.removeprefix("hedge:") for c in found if c.startswith("hedge:")}
    if NOT_APPLICABLE in strong:
        return _not_applicable(strong, hedges)

    value = _plain_yes_no(strong - {DONT_KNOW}, contrast=bool(_CONTRAST.search(plain)))
    leaning = _hedge_value(hedges)
    if value == _CONFLICT or (value and leaning and leaning != "partly" and value not in (leaning, "partly")):
        return unclear(f"I heard more than one answer in “{text}”. " + hint_for(question))
    if leaning == "partly":
        value = "partly"  # "mostly yes", "mostly not": in place, but not everywhere
    value = value or leaning
    unsure = DONT_KNOW in strong or "unsure" in hedges
    if value is None:
        if unsure:  # "not sure" is an answer; "maybe" on its own is a guess that it may be don't-know
            return answer(DONT_KNOW) if DONT_KNOW in strong else confirm(DONT_KNOW, _put_down(DONT_KNOW))
        if "" in hedges:  # "I guess", "I think": a hesitant yes
            return confirm("yes", _put_down("yes"))
        return unclear("I'm not sure what you mean. " + hint_for(question))
    if hedges or unsure:
        return confirm(value, _put_down(value))
    return answer(value)


def _not_applicable(strong: set[str], hedges: set[str]) -> Understood:
    # "No, that doesn't apply to us" is not applicable; "yes, not applicable" contradicts itself.
    if strong - {NOT_APPLICABLE, "no"}:
        return unclear("Does this apply to you or not? Answer “Not applicable” if it doesn't, or yes, partly or no.")
    return confirm(NOT_APPLICABLE, _put_down(NOT_APPLICABLE)) if hedges else answer(NOT_APPLICABLE)


def _plain_yes_no(values: set[str], contrast: bool) -> str | None:
    """The answer the unhedged words give: a partial qualifier wins over yes and no ("yes, in some teams")."""
    if "partly" in values:
        return "partly"
    if values == {"yes", "no"}:
        return "partly" if contrast else _CONFLICT
    return next(iter(values), None)


def _hedge_value(hedges: set[str]) -> str | None:
    for value in ("partly", "no", "yes"):
        if value in hedges:
            return value
    return None


def _put_down(value: str) -> str:
    return f"Shall I put that down as “{YES_NO_LABELS[value]}”?"


# Single words worth correcting a typo of; short words such as "no" are left out (one slip makes another word).
_YES_NO_WORDS = {
    word: category
    for word, category in _YES_NO_CATEGORY.items()
    if " " not in word and len(word) >= 3 and not category.startswith("hedge:")
}


def _yes_no_typo(question: Question, plain: str) -> Understood:
    """ "yess", "nooo" are emphasis; "yse", "nopw" are typos worth asking about."""
    hint = hint_for(question)
    if " " in plain or not plain:
        return unclear("I'm not sure what you mean. " + hint)
    squeezed = re.sub(r"(.)\1+", r"\1", plain)
    if squeezed in _YES_NO_CATEGORY and not _YES_NO_CATEGORY[squeezed].startswith("hedge:"):
        return answer(_YES_NO_CATEGORY[squeezed])
    close = {category for word, category in _YES_NO_WORDS.items() if OSA.distance(plain, word) <= 1}
    if len(plain) >= 3 and len(close) == 1:
        value = close.pop()
        return confirm(value, f"Did you mean “{YES_NO_LABELS[value]}”?")
    return unclear("I'm not sure what you mean. " + hint)
