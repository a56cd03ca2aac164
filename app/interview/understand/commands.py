"""Commands typed instead of an answer: skip, back, progress, plan, help, why, and glossary questions."""

from __future__ import annotations

import re

from .normalise import phrase_regex, plain_text
from .results import Understood

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
_COMMAND_OF = {plain_text(phrase): command for command, phrases in _COMMANDS.items() for phrase in phrases}

# Politeness and filler around a command: "could you please show my plan", "skip for now, thanks".
# fmt: off
_LEADING_PADDING = phrase_regex(
    [
        "please", "pls", "plz", "can we", "could we", "can you", "could you", "can i", "could i", "may i", "may we",
        "i want to", "i would like to", "i'd like to", "we'd like to", "let's", "lets", "let me", "let us", "just",
        "ok", "okay", "um", "umm", "uh", "hmm", "well", "hey", "hi", "so", "and", "but", "then", "i'll", "we'll",
    ]
)
_TRAILING_PADDING = phrase_regex(
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


def read_command(text: str, question_kind: str) -> Understood | None:
    if re.fullmatch(r"[?\s]+", text):
        return Understood("command", command="help")
    command = _COMMAND_OF.get(_strip_padding(plain_text(text)))
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
