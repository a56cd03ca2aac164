"""Understanding what the user typed in the chat: an answer to the current question, a command, or neither.

The interview asks one question at a time. Most users click a quick-reply button, but many type: "yeah, in most
teams", "about 40 people", "scurm", "what does nonconformity mean?". `understand` turns such a message into an
`Understood`: an answer in the canonical form `app.knowledge.answers.check_value` accepts, a command for the chat
to carry out, a guess to confirm with the user, or "unclear" with a message that says what would be understood.

The rule throughout: record an answer only when the message leaves no doubt; when it leans one way (hedging, a
typo-level fuzzy match, a range) ask the user to confirm; when it leans nowhere, say what the options are. A wrong
answer recorded silently costs more than one extra question.

Plain Python: no Flask, no database. Fuzzy matching is rapidfuzz.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from rapidfuzz import fuzz
from rapidfuzz.distance import OSA

from ..knowledge.answers import check_value
from ..knowledge.model import DONT_KNOW, NOT_APPLICABLE, YES_NO_LABELS, Option, Question


@dataclass(frozen=True)
class Understood:
    kind: str  # "answer" | "confirm" | "command" | "unclear"
    value: Any = None  # canonical answer value, for answer and confirm
    command: str = ""  # skip | back | progress | plan | help | explain | why
    topic: str = ""  # for explain: the term or claim asked about
    message: str = ""  # for confirm and unclear: what the assistant should say


def understand(question: Question | None, text: str) -> Understood:
    """What `text`, typed while `question` is open (None: no open question), asks for."""
    raw, text = (text or "").strip(), _tidy(text)
    if not text:
        return _unclear("I didn't get anything there. " + _hint(question))
    # A message that is exactly an option's label or value is that answer, even when it reads like a command.
    exact = _exact_option(question, text)
    if exact is not None:
        return Understood("answer", exact)
    command = _command(text, question_kind=question.kind if question else "")
    if command is not None:
        return command
    if question is None:
        return _unclear("There is no open question right now. " + _COMMAND_HINT)
    if question.kind == "text":  # free text is the user's own words, kept as typed (check_value limits its length)
        return _validated(question, _answer(raw))
    return _validated(question, _READERS[question.kind](question, text))


# ---------------------------------------------------------------------------------------------- results


def _answer(value: Any) -> Understood:
    return Understood("answer", value)


def _confirm(value: Any, message: str) -> Understood:
    return Understood("confirm", value, message=message)


def _unclear(message: str) -> Understood:
    return Understood("unclear", message=message)


def _validated(question: Question, understood: Understood) -> Understood:
    """Answers and guesses in canonical form; a value the question would refuse becomes "unclear" with the reason."""
    if understood.kind not in ("answer", "confirm"):
        return understood
    value, error = check_value(question, understood.value)
    if error:
        return _unclear(f"I can't record that: {error}.")
    return Understood(understood.kind, value, message=understood.message)


def _quoted(labels: list[str], joiner: str = "or") -> str:
    quoted = [f"“{label}”" for label in labels]
    return quoted[0] if len(quoted) == 1 else f"{', '.join(quoted[:-1])} {joiner} {quoted[-1]}"


_COMMAND_HINT = "Type “plan” to see your plan, “progress” to see how far you are, or “help”."


def _hint(question: Question | None) -> str:
    if question is None:
        return _COMMAND_HINT
    if question.kind == "yes_no":
        return "You can answer " + _quoted([YES_NO_LABELS[v] for v in YES_NO_LABELS]) + "."
    if question.kind == "single_choice":
        return "Please pick one of " + _quoted([o.label for o in question.options]) + "."
    if question.kind == "multiple_choice":
        labels = _quoted([o.label for o in question.options], "and")
        return f"Please pick one or more of {labels}, separated by commas."
    if question.kind == "scale":
        return "Please give a whole number from 0 to 5" + (", or describe it in words." if question.labels else ".")
    if question.kind == "number":
        return " ".join(("Please give a number", _range_words(question))).strip() + "."
    return "Please type your answer."


# ---------------------------------------------------------------------------------------------- normalising


def _tidy(text: str) -> str:
    """One spelling of quotes, dashes and spaces, so every rule below deals with one form only."""
    text = unicodedata.normalize("NFKC", text or "")
    text = re.sub(r"[‘’ʼ`´]", "'", text)
    text = re.sub(r"[“”„«»]", '"', text)
    text = re.sub(r"[–—−]", "-", text)
    return re.sub(r"\s+", " ", text).strip()


def _plain(text: str) -> str:
    """Lower case words and digits only. Apostrophes go, so "don't" and "dont" are one word; "/" stays for n/a."""
    text = text.lower().replace("'", "")
    return re.sub(r"\s+", " ", re.sub(r"[^a-z0-9/ ]", " ", text)).strip()


def _phrase_regex(phrases) -> re.Pattern[str]:
    """Whole phrases of plain text, longest first so "not sure" wins over "not" and "sure" at the same place."""
    ordered = sorted({_plain(p) for p in phrases}, key=len, reverse=True)
    return re.compile(r"(?<![a-z0-9/])(?:" + "|".join(re.escape(p) for p in ordered) + r")(?![a-z0-9/])")


# ---------------------------------------------------------------------------------------------- commands

# The vocabulary tables below are kept dense, several phrases to a line, so they can be read as lists of words.
# fmt: off
_COMMANDS = {
    "skip": (
        "skip", "skip it", "skip this", "skip this one", "skip that", "skip question", "skip this question",
        "skip the question", "next", "next question", "next one", "pass", "later", "ask me later", "ask later",
        "come back later", "come back to it later", "come back to this later", "answer later", "move on",
    ),
    "back": (
        "back", "go back", "go back one", "back one", "one back", "previous", "previous question",
        "the previous question", "last question", "undo", "undo that", "undo last answer", "undo my last answer",
    ),
    "progress": (
        "progress", "my progress", "show progress", "show my progress", "status", "whats left", "what is left",
        "how far", "how far am i", "how far are we", "how far along are we", "how many left", "how many are left",
        "how many questions left", "how many questions are left", "how many more", "how many more questions",
        "how much is left", "how much longer", "whats my progress", "what is my progress",
    ),
    "plan": (
        "plan", "my plan", "the plan", "show plan", "show my plan", "show the plan", "show me my plan",
        "show me the plan", "see my plan", "see the plan", "whats the plan", "what is the plan", "whats my plan",
        "what is my plan", "what should we do", "what should we do next", "what should i do", "what do we do next",
    ),
    "help": ("help", "help me", "i need help", "what can i say", "what can i type", "how does this work", "commands"),
    "why": (
        "why", "why do you ask", "why do you ask this", "why do you ask that", "why is this asked",
        "why is this being asked", "why ask", "why ask this", "why this question", "why that question",
        "why does this matter", "why does it matter", "why do you need to know", "why do you want to know",
        "why are you asking", "why is this important", "why is that important",
        # Asking what the question itself means: the "why" reply is the one that explains the question, with
        # its clauses and the evidence that counts, so these go there rather than to the glossary.
        "explain", "explain this", "explain that", "explain the question", "explain this question",
        "what does this mean", "what does that mean", "what does it mean", "what does the question mean",
        "what does this question mean", "what is this question about", "what is this about",
        "what do you mean", "i dont understand", "i dont understand the question", "i dont get it",
    ),
}
# fmt: on
_COMMAND_OF = {_plain(phrase): command for command, phrases in _COMMANDS.items() for phrase in phrases}

# Politeness and filler around a command: "could you please show my plan", "skip for now, thanks".
# fmt: off
_LEADING_PADDING = _phrase_regex(
    [
        "please", "pls", "plz", "can we", "could we", "can you", "could you", "can i", "could i", "may i", "may we",
        "i want to", "i would like to", "i'd like to", "we'd like to", "let's", "lets", "let me", "let us", "just",
        "ok", "okay", "um", "umm", "uh", "hmm", "well", "hey", "hi", "so", "and", "but", "then", "i'll", "we'll",
    ]
)
_TRAILING_PADDING = _phrase_regex(
    ["please", "pls", "thanks", "thank you", "for now", "for the moment", "now", "then", "again", "exactly"]
)
# fmt: on


def _strip_padding(plain: str) -> str:
    while True:
        start = _LEADING_PADDING.match(plain)
        if start and start.end() < len(plain):
            plain = plain[start.end() :].strip()
            continue
        end = _last_match(_TRAILING_PADDING, plain)
        if end and end.end() == len(plain) and end.start() > 0:
            plain = plain[: end.start()].strip()
            continue
        return plain


def _last_match(pattern: re.Pattern[str], text: str) -> re.Match[str] | None:
    matches = list(pattern.finditer(text))
    return matches[-1] if matches else None


def _command(text: str, question_kind: str) -> Understood | None:
    if re.fullmatch(r"[?\s]+", text):
        return Understood("command", command="help")
    command = _COMMAND_OF.get(_strip_padding(_plain(text)))
    if command:
        return Understood("command", command=command)
    return _explain(text, question_kind)


# "What does nonconformity mean?", "define CAPA", "is it true that certification means bug-free software?"
_EXPLAIN_PATTERNS = tuple(
    re.compile(pattern, re.IGNORECASE)
    for pattern in (
        r"what (?:does|do|did) (?P<topic>.+?) (?:mean|stand for)",
        r"(?:explain|tell me) what (?P<topic>.+?) (?:means|is|are)",
        r"what(?:'s| is| are) (?:meant by|the meaning of|the definition of) (?P<topic>.+)",
        r"what(?:'s|s| is| are|'re) (?P<topic>.+)",
        r"(?:explain|define|clarify):? (?P<topic>.+)",
        r"(?:the )?(?:meaning|definition) of (?P<topic>.+)",
        r"tell me (?:more )?about (?P<topic>.+)",
    )
)
# Myths are claims, so the topic is the claim itself: the glossary matches it against the myths it answers.
_MYTH_PATTERNS = tuple(
    re.compile(pattern, re.IGNORECASE)
    for pattern in (
        r"(?:is it|isn't it|isnt it) (?:really |actually )?true,? (?:that )?(?P<topic>.+)",
        r"(?:i've heard|i have heard|i heard|i read|people say|someone told me),? (?:that )?(?P<topic>.+)",
    )
)
_DOES_IT_MEAN = re.compile(r"(?:does|do|will|would) (?P<subject>.+?) means? (?:that )?(?P<claim>.+)", re.IGNORECASE)
_LEADING_POLITE = re.compile(r"^(?:(?:please|can you|could you|ok|okay|so|sorry|but|and|hi|hey),? )+", re.IGNORECASE)
_TRAILING_NOISE = re.compile(r"(?:,?\s+(?:exactly|again|please|here|in this context|for us))+$", re.IGNORECASE)
_TOPIC_NOISE = re.compile(r"^(?:(?:a|an|the|this|that|word|term|phrase|acronym|abbreviation)\s+)+", re.IGNORECASE)


def _explain(text: str, question_kind: str) -> Understood | None:
    sentence = _asking_sentence(text, question_kind)
    if sentence is None:
        return None
    sentence = _TRAILING_NOISE.sub("", _LEADING_POLITE.sub("", sentence))
    for pattern in _MYTH_PATTERNS:
        match = pattern.fullmatch(sentence)
        if match:
            return Understood("command", command="explain", topic=match["topic"].strip(" ,\"'"))
    for pattern in _EXPLAIN_PATTERNS:
        match = pattern.fullmatch(sentence)
        if match:
            topic = _TOPIC_NOISE.sub("", match["topic"].strip(" \"'")).strip(" \"'")
            if topic.lower() in ("", "it", "this", "that", "question"):
                return Understood("command", command="why")  # the question itself: see _COMMANDS["why"]
            return Understood("command", command="explain", topic=topic)
    match = _DOES_IT_MEAN.fullmatch(sentence)
    if match:
        return Understood("command", command="explain", topic=f"{match['subject']} means {match['claim']}")
    return None


def _asking_sentence(text: str, question_kind: str) -> str | None:
    """The part of the message that may ask something, without its closing punctuation.

    A leading question ("What is CAPA? We have none.") is read as the question. A free-text answer, though, may
    well begin with "define" or "what is": there only a message that is one question, with its "?", asks.
    """
    if question_kind == "text":
        if not text.endswith("?") or re.search(r"[.!?]\s+\S", text):
            return None
        return text.rstrip("?").strip()
    first = re.match(r"(.+?)(?:[.!?]+\s+(?=\S)|[.!?]*$)", text)
    return first.group(1).strip() if first else None


# ---------------------------------------------------------------------------------------------- don't know

# fmt: off
_DONT_KNOW_PHRASES = (
    "don't know", "do not know", "we don't know", "i don't know", "don't know yet", "not sure", "i'm not sure",
    "no idea", "i have no idea", "unsure", "idk", "dunno", "no clue", "not certain", "can't say", "cannot say",
    "hard to say", "no one knows", "nobody knows", "can't tell", "cannot tell", "unknown", "not known",
    "don't really know", "not really sure", "no, i don't know",
)
# fmt: on
_DONT_KNOW = _phrase_regex(_DONT_KNOW_PHRASES)


def _without_dont_know(text: str) -> tuple[bool, str]:
    """Whether the message says "don't know", and what else it says. "Not sure, maybe 40" still leans to 40."""
    lowered = text.lower().replace("'", "")
    if not _DONT_KNOW.search(lowered):
        return False, text
    rest = _DONT_KNOW.sub(" ", lowered).strip(" ,.;:!?-")
    return True, rest if _plain(rest) else ""


def _leaning(question: Question, guess: Understood) -> Understood:
    """The user said they don't know but named a value: offer it, and say that "don't know" is fine too."""
    if guess.kind not in ("answer", "confirm"):
        return _answer(DONT_KNOW)
    return _confirm(
        guess.value,
        f"You're not sure, so shall I put down {_shown(question, guess.value)}? If not, I'll record “Don't know”.",
    )


def _shown(question: Question, value: Any) -> str:
    if question.kind in ("single_choice", "multiple_choice"):
        values = value if isinstance(value, list) else [value]
        return _quoted([o.label for o in question.options if o.value in values], "and")
    if question.kind == "number":
        return _number_text(value)
    return f"level {value}"


# ---------------------------------------------------------------------------------------------- yes / no

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
    DONT_KNOW: _DONT_KNOW_PHRASES,
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
_YES_NO_CATEGORY = {_plain(p): category for category, phrases in _YES_NO_PHRASES.items() for p in phrases}
# Two passes: "don't know" and "not applicable" phrases are read first, so that "probably not applicable" is not
# read as "probably not" followed by a stray "applicable".
_FIRST = (DONT_KNOW, NOT_APPLICABLE)
_YES_NO_PASSES = (
    _phrase_regex(p for p, category in _YES_NO_CATEGORY.items() if category in _FIRST),
    _phrase_regex(p for p, category in _YES_NO_CATEGORY.items() if category not in _FIRST),
)
# "yes, although it is not written down": a yes and a no joined by a contrast are a partly.
_CONTRAST = re.compile(r"\b(?:but|although|though|however|except|only)\b")
_CONFLICT = "conflict"


def _read_yes_no(question: Question, text: str) -> Understood:
    plain = _plain(text)
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
        return _unclear(f"I heard more than one answer in “{text}”. " + _hint(question))
    if leaning == "partly":
        value = "partly"  # "mostly yes", "mostly not": in place, but not everywhere
    value = value or leaning
    unsure = DONT_KNOW in strong or "unsure" in hedges
    if value is None:
        if unsure:  # "not sure" is an answer; "maybe" on its own is a guess that it may be don't-know
            return _answer(DONT_KNOW) if DONT_KNOW in strong else _confirm(DONT_KNOW, _put_down(DONT_KNOW))
        if "" in hedges:  # "I guess", "I think": a hesitant yes
            return _confirm("yes", _put_down("yes"))
        return _unclear("I'm not sure what you mean. " + _hint(question))
    if hedges or unsure:
        return _confirm(value, _put_down(value))
    return _answer(value)


def _not_applicable(strong: set[str], hedges: set[str]) -> Understood:
    # "No, that doesn't apply to us" is not applicable; "yes, not applicable" contradicts itself.
    if strong - {NOT_APPLICABLE, "no"}:
        return _unclear("Does this apply to you or not? Answer “Not applicable” if it doesn't, or yes, partly or no.")
    return _confirm(NOT_APPLICABLE, _put_down(NOT_APPLICABLE)) if hedges else _answer(NOT_APPLICABLE)


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
    hint = _hint(question)
    if " " in plain or not plain:
        return _unclear("I'm not sure what you mean. " + hint)
    squeezed = re.sub(r"(.)\1+", r"\1", plain)
    if squeezed in _YES_NO_CATEGORY and not _YES_NO_CATEGORY[squeezed].startswith("hedge:"):
        return _answer(_YES_NO_CATEGORY[squeezed])
    close = {category for word, category in _YES_NO_WORDS.items() if OSA.distance(plain, word) <= 1}
    if len(plain) >= 3 and len(close) == 1:
        value = close.pop()
        return _confirm(value, f"Did you mean “{YES_NO_LABELS[value]}”?")
    return _unclear("I'm not sure what you mean. " + hint)


# ---------------------------------------------------------------------------------------------- numbers

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


_NUM = r"\d+(?:\.\d+)?"
_RANGE = re.compile(
    rf"\b(?:between|from)\s+({_NUM})\s+(?:and|to)\s+({_NUM})"
    rf"|(?<![\d.])({_NUM})\s*(?:-|to|or)\s*({_NUM})(?![\d.])"
)
_NUMBER = re.compile(rf"(?<![\w.-])(-?{_NUM})")
# "More than 40", "40+": a bound, not a count; worth a confirmation.
_BOUND_BEFORE = re.compile(r"\b(?:more than|over|at least|above|under|below|less than|fewer than|up to|at most)\s*$")
_BOUND_AFTER = re.compile(r"^\s*(?:\+|plus\b|or more\b|or less\b)")


@dataclass(frozen=True)
class _Numbers:
    """The numbers a message holds, after number words, 2.5k and 1,200 are made plain."""

    text: str
    values: tuple[float, ...]
    ranges: tuple[tuple[float, float], ...]


def _numbers(text: str) -> _Numbers:
    plain = text.lower().replace("'", "")
    plain = re.sub(r"(?<=\d),(?=\d{3}(?!\d))", "", plain)  # 1,200 -> 1200
    plain = re.sub(r"\b(?:no one|nobody|none|nil)\b", "0", plain)
    plain = re.sub(
        rf"(?<![\d.])({_NUM})\s*(k|thousand|mio|million)\b",
        lambda m: str(_plain_number(round(float(m[1]) * (1_000_000 if m[2] in ("mio", "million") else 1000), 6))),
        plain,
    )
    plain = _words_to_digits(plain)
    ranges = tuple((float(m[1] or m[3]), float(m[2] or m[4])) for m in _RANGE.finditer(plain))
    values = tuple(float(m[1]) for m in _NUMBER.finditer(plain))
    return _Numbers(plain, values, ranges)


def _number_text(value: float) -> str:
    return f"{int(value):,}" if float(value).is_integer() else f"{value:,}"


def _plain_number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


def _range_words(question: Question) -> str:
    low, high, unit = question.min, question.max, f" {question.unit}" if question.unit else ""
    if low is not None and high is not None:
        return f"from {_number_text(low)} to {_number_text(high)}{unit}"
    if low is not None:
        return f"of at least {_number_text(low)}{unit}"
    if high is not None:
        return f"of at most {_number_text(high)}{unit}"
    return ""


def _in_range(question: Question, value: float) -> bool:
    return (question.min is None or value >= question.min) and (question.max is None or value <= question.max)


def _read_number(question: Question, text: str) -> Understood:
    unsure, rest = _without_dont_know(text)
    if unsure:
        return _leaning(question, _number_answer(question, rest)) if rest else _answer(DONT_KNOW)
    return _number_answer(question, text)


def _number_answer(question: Question, text: str) -> Understood:
    numbers = _numbers(text)
    if numbers.ranges:
        return _number_range(question, *numbers.ranges[0])
    value = _the_number(question, numbers)
    if value is None:
        if len(set(numbers.values)) > 1:
            found = ", ".join(_number_text(v) for v in dict.fromkeys(numbers.values))
            return _unclear(f"I see several numbers ({found}). Which one should I put down?")
        return _unclear("I couldn't find a number in that. " + _hint(question))
    if not _in_range(question, value):
        return _unclear(f"{_number_text(value)} is out of range. " + _hint(question))
    if _is_bound(numbers.text, value):
        return _confirm(_plain_number(value), f"Shall I put down {_number_text(value)}?")
    return _answer(_plain_number(value))


def _the_number(question: Question, numbers: _Numbers) -> float | None:
    """The one number meant: the only one, or the only one followed by the question's unit ("40 people in 2 teams")."""
    distinct = set(numbers.values)
    if len(distinct) == 1:
        return distinct.pop()
    if not question.unit or not distinct:
        return None
    unit = question.unit.lower()
    forms = {unit, unit.removesuffix("s"), unit + "s", *(("person", "persons") if unit == "people" else ())}
    words = "|".join(re.escape(form) for form in forms)
    with_unit = {float(m[1]) for m in re.finditer(rf"(?<![\w.-])(-?{_NUM})\s+(?:{words})\b", numbers.text)}
    return with_unit.pop() if len(with_unit) == 1 else None


def _number_range(question: Question, low: float, high: float) -> Understood:
    low, high = sorted((low, high))
    middle = (low + high) / 2
    if low.is_integer() and high.is_integer():
        middle = float(int(middle + 0.5))  # a count stays a whole number: 30-45 -> 38
    if not _in_range(question, middle):
        return _unclear(f"{_number_text(middle)} is out of range. " + _hint(question))
    span = f"{_number_text(low)} to {_number_text(high)}"
    return _confirm(_plain_number(middle), f"Shall I put down {_number_text(middle)}, the middle of {span}?")


def _is_bound(text: str, value: float) -> bool:
    for match in _NUMBER.finditer(text):
        if float(match[1]) == value and (
            _BOUND_BEFORE.search(text[: match.start()]) or _BOUND_AFTER.match(text[match.end() :])
        ):
            return True
    return False


# ---------------------------------------------------------------------------------------------- scale (0-5)

_OUT_OF = re.compile(rf"({_NUM})\s*(?:/|out of|of)\s*({_NUM})")


def _read_scale(question: Question, text: str) -> Understood:
    unsure, rest = _without_dont_know(text)
    if unsure:
        return _leaning(question, _scale_answer(question, rest)) if rest else _answer(DONT_KNOW)
    return _scale_answer(question, text)


def _scale_answer(question: Question, text: str) -> Understood:
    numbers = _numbers(text)
    out_of = _OUT_OF.search(numbers.text)
    if out_of:  # "3/5", "three out of five"
        if float(out_of[2]) != 5:
            return _unclear(f"This one is on a scale from 0 to 5, not 0 to {out_of[2]}. " + _hint(question))
        return _scale_level(question, float(out_of[1]))
    labels = _scale_label(question, text)
    if labels and labels.kind == "answer":  # a described level beats a stray number in the description
        return labels
    if numbers.ranges:
        low, high = sorted(numbers.ranges[0])
        return _unclear(f"Please pick one level between {_number_text(low)} and {_number_text(high)}.")
    if len(set(numbers.values)) == 1:
        return _scale_level(question, numbers.values[0])
    if labels and labels.kind == "confirm":
        return labels
    return _unclear("I'm not sure which level you mean. " + _hint(question))


def _scale_level(question: Question, level: float) -> Understood:
    if level.is_integer() and 0 <= level <= 5:
        return _answer(int(level))
    return _unclear(f"{_number_text(level)} is not a level. " + _hint(question))


def _scale_label(question: Question, text: str) -> Understood | None:
    """The level whose label the text describes, matched as if the labels were options."""
    if not question.labels:
        return None
    options = tuple(Option(value=str(level), label=label) for level, label in enumerate(question.labels))
    match = _match_options(options, text)
    return match and Understood(match.kind, int(match.value), message=match.message)


# ---------------------------------------------------------------------------------------------- choices

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
    return " ".join(_plain(text).replace("/", " ").split())


def _option_texts(option: Option) -> set[str]:
    return {_words(option.label), _words(option.value.replace("_", " "))}


def _none_option(options: tuple[Option, ...]) -> Option | None:
    return next((o for o in options if o.value == "none" or _words(o.label).split()[:1] == ["none"]), None)


def _exact_option(question: Question | None, text: str) -> Any:
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


def _read_single(question: Question, text: str) -> Understood:
    unsure, rest = _without_dont_know(text)
    if unsure:
        return _leaning(question, _match_options(question.options, rest)) if rest else _answer(DONT_KNOW)
    return _match_options(question.options, text) or _unclear("I couldn't match that to an option. " + _hint(question))


def _read_multiple(question: Question, text: str) -> Understood:
    unsure, rest = _without_dont_know(text)
    if unsure:
        return _leaning(question, _match_many(question, rest)) if rest else _answer(DONT_KNOW)
    return _match_many(question, text)


def _match_many(question: Question, text: str) -> Understood:
    # Split at commas, "and", "&"... A label that itself contains "and" ("complaints and support tickets") still
    # comes back as one option: each of its parts matches that option's words.
    parts = [p for p in _LIST_SEPARATORS.split(text) if _plain(p)]
    if not parts:
        return _unclear(_hint(question))
    matches = [(part, _match_options(question.options, part)) for part in parts]
    missed = [part for part, match in matches if match is None]
    if missed:
        return _unclear(f"I couldn't match {_quoted(missed, 'and')} to an option. " + _hint(question))
    chosen = {m.value for _, m in matches}
    none = _none_option(question.options)
    if none and none.value in chosen and len(chosen) > 1:
        return _unclear(f"“{none.label}” can't go with other options. " + _hint(question))
    values = [o.value for o in question.options if o.value in chosen]
    if any(m.kind == "confirm" for _, m in matches):
        return _confirm(values, f"Did you mean {_shown(question, values)}?")
    return _answer(values)


def _match_options(options: tuple[Option, ...], text: str) -> Understood | None:
    """The option the text names: answer when clear, confirm when plausible, None when nothing comes close."""
    words = _words(text)
    if not words:
        return None
    none = _none_option(options)
    if none and words in _NONE_PHRASES:
        return _answer(none.value)
    ranked = sorted(
        (m for m in (_score(option, words) for option in options) if m.score >= CONFIRM_SCORE),
        key=lambda m: -m.score,
    )
    if not ranked:
        return None
    best = ranked[0]
    close = [m for m in ranked[1:] if best.score - m.score < CLEAR_LEAD]
    if best.score >= ANSWER_SCORE and not close:
        return _answer(best.option.value)
    return _confirm(best.option.value, f"Did you mean {_quoted([m.option.label for m in (best, *close)])}?")


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


_READERS = {
    "yes_no": _read_yes_no,
    "number": _read_number,
    "scale": _read_scale,
    "single_choice": _read_single,
    "multiple_choice": _read_multiple,
}
