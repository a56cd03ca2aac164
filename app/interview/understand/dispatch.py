"""Which reader a message goes to: an option's exact words first, then commands, then the question's kind."""

from __future__ import annotations

from ...knowledge.model import Question
from .choices import exact_option, read_multiple, read_single
from .commands import read_command
from .free_text import read_text
from .normalise import tidy
from .numbers import read_number
from .results import Understood, unclear, validated
from .scale import read_scale
from .wording import COMMAND_HINT, hint_for
from .yes_no import read_yes_no


def understand(question: Question | None, text: str) -> Understood:
    """What `text`, typed while `question` is open (None: no open question), asks for."""
    raw, text = (text or "").strip(), tidy(text)
    if not text:
        return unclear("I didn't get anything there. " + hint_for(question))
    # A message that is exactly an option's label or value is that answer, even when it reads like a command.
    exact = exact_option(question, text)
    if exact is not None:
        return Understood("answer", exact)
    command = read_command(text, question_kind=question.kind if question else "")
    if command is not None:
        return command
    if question is None:
        return unclear("There is no open question right now. " + COMMAND_HINT)
    if question.kind == "text":  # read as typed, not tidied: the quotes and dashes are the user's own
        return validated(question, read_text(question, raw))
    return validated(question, _READERS[question.kind](question, text))


_READERS = {
    "yes_no": read_yes_no,
    "number": read_number,
    "scale": read_scale,
    "single_choice": read_single,
    "multiple_choice": read_multiple,
}
