"""Understanding what the user typed in the chat: an answer to the current question, a command, or neither.

The interview asks one question at a time. Most users click a quick-reply button, but many type: "yeah, in most
teams", "about 40 people", "scurm", "what does nonconformity mean?". `understand` turns such a message into an
`Understood`: an answer in the canonical form `app.knowledge.answers.check_value` accepts, a command for the chat
to carry out, a guess to confirm with the user, or "unclear" with a message that says what would be understood.

The rule throughout: record an answer only when the message leaves no doubt; when it leans one way (hedging, a
typo-level fuzzy match, a range) ask the user to confirm; when it leans nowhere, say what the options are. A wrong
answer recorded silently costs more than one extra question.

One module per kind of reading: `commands`, `numbers`, `scale`, `choices`, `yes_no` and `free_text`, with
`dispatch` choosing among them and `normalise`, `results`, `wording` and `unsure` shared by all.
Plain Python: no Flask, no database. Fuzzy matching is rapidfuzz.
"""

from .dispatch import understand
from .results import Understood

__all__ = ["Understood", "understand"]
