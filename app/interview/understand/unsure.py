"""Saying "don't know" to any kind of question, and a value named alongside it offered for confirmation."""

from __future__ import annotations

from ...knowledge.model import DONT_KNOW, Question
from .normalise import phrase_regex, plain_text
from .results import Understood, answer, confirm
from .wording import shown

# fmt: off
DONT_KNOW_PHRASES = (
    "don't know", "do not know", "we don't know", "i don't know", "don't know yet", "not sure", "i'm not sure",
    "no idea", "i have no idea", "unsure", "idk", "dunno", "no clue", "not certain", "can't say", "cannot say",
    "hard to say", "no one knows", "nobody knows", "can't tell", "cannot tell", "unknown", "not known",
    "don't really know", "not really sure", "no, i don't know",
)
# fmt: on
_DONT_KNOW = phrase_regex(DONT_KNOW_PHRASES)


def without_dont_know(text: str) -> tuple[bool, str]:
    """Whether the message says "don't know", and what else it says. "Not sure, maybe 40" still leans to 40."""
    lowered = text.lower().replace("'", "")
    if not _DONT_KNOW.search(lowered):
        return False, text
    rest = _DONT_KNOW.sub(" ", lowered).strip(" ,.;:!?-")
    return True, rest if plain_text(rest) else ""


def leaning_answer(question: Question, guess: Understood | None) -> Understood:
    """The user said they don't know but named a value: offer it, and say that "don't know" is fine too. Nothing
    recognisable beside the "don't know" (no guess) is a plain "don't know"."""
    if guess is None or guess.kind not in ("answer", "confirm"):
        return answer(DONT_KNOW)
    return confirm(
        guess.value,
        f"You're not sure, so shall I put down {shown(question, guess.value)}? If not, I'll record “Don't know”.",
    )
