"""The chat's transcript: the bubbles of one conversation (the shared one, or a respondent's own), said during a
message and written together with its answer, and read back in order.

A voice is the conversation's key: a respondent's id, or 0 for the shared conversation (services.interview.Voice).
"""

from __future__ import annotations

import sqlalchemy as sa

from ..extensions import db
from ..models import ChatMessage, User
from ..models.chat import ASKING, MessageKind

USER, ASSISTANT = "user", "assistant"  # a bubble's role


# The queries every message runs, built once: building one of these costs more than running it.
# Each voice has its own conversation: a respondent's bubbles carry their id, the shared conversation's none (0).
_OF_VOICE = sa.and_(
    ChatMessage.assessment_id == sa.bindparam("assessment_id"),
    sa.func.coalesce(ChatMessage.respondent_id, 0) == sa.bindparam("voice"),
)
_TRANSCRIPT = sa.select(ChatMessage).where(_OF_VOICE, ChatMessage.id > sa.bindparam("after")).order_by(ChatMessage.id)
_LAST_TURN = (
    sa.select(ChatMessage.role, ChatMessage.kind, ChatMessage.question_id)
    .where(
        _OF_VOICE,
        sa.or_(
            sa.and_(ChatMessage.role == USER, ChatMessage.kind.in_((MessageKind.ANSWER, MessageKind.SKIP))),
            sa.and_(ChatMessage.role == ASSISTANT, ChatMessage.kind.in_(ASKING)),
        ),
    )
    .order_by(ChatMessage.id.desc())
    .limit(1)
)
_SKIPPED = (
    sa.select(ChatMessage.question_id).where(_OF_VOICE, ChatMessage.kind == MessageKind.SKIP).order_by(ChatMessage.id)
)
_ANY_MESSAGE = sa.select(ChatMessage.id).where(_OF_VOICE).limit(1)
_ANSWERED = (
    sa.select(ChatMessage.question_id)
    .where(_OF_VOICE, ChatMessage.role == USER, ChatMessage.kind == MessageKind.ANSWER)
    .order_by(ChatMessage.id.desc())
    .limit(50)
)


def read(assessment_id: int, voice: int, after: int | None = None) -> list[ChatMessage]:
    """The conversation's bubbles, in order, after bubble `after` (all of them when None)."""
    parameters = {"assessment_id": assessment_id, "voice": voice, "after": after or 0}
    return list(db.session.scalars(_TRANSCRIPT, parameters))


def pending_question(assessment_id: int, voice: int) -> tuple[str | None, bool]:
    """The question of the last asking bubble, unless the user has answered or skipped since; and whether it was
    a revisit (an answered question asked again)."""
    last = db.session.execute(_LAST_TURN, {"assessment_id": assessment_id, "voice": voice}).first()
    if last is None or last.role == USER:
        return None, False
    return last.question_id, last.kind == MessageKind.REVISIT


def skipped(assessment_id: int, voice: int) -> dict[str, None]:
    """The questions skipped and not answered since, in the order of their last skip."""
    skipped: dict[str, None] = {}
    for question_id in db.session.scalars(_SKIPPED, {"assessment_id": assessment_id, "voice": voice}):
        skipped.pop(question_id, None)  # ordered by the last skip
        skipped[question_id] = None
    return skipped


_BUBBLES = "interview.bubbles"  # the session's info key for the bubbles said and not written yet
_INSERT_BUBBLES = sa.insert(ChatMessage.__table__)


def is_empty(assessment_id: int, voice: int) -> bool:
    return db.session.execute(_ANY_MESSAGE, {"assessment_id": assessment_id, "voice": voice}).first() is None


def answered_lately(assessment_id: int, voice: int) -> list[str]:
    """The questions of the last answers given, the latest first."""
    return list(db.session.scalars(_ANSWERED, {"assessment_id": assessment_id, "voice": voice}))


def say(
    assessment_id: int,
    respondent_id: int | None,
    user: User | None,
    role: str,
    kind: MessageKind,
    text: str,
    question_id: str | None = None,
) -> None:
    """Add a bubble to those of this message, which write_bubbles writes (in the order said)."""
    db.session.info.setdefault(_BUBBLES, []).append(
        {
            "assessment_id": assessment_id,
            "respondent_id": respondent_id,
            "user_id": user.id if user else None,
            "role": role,
            "kind": kind,
            "question_id": question_id,
            "text": text,
        }
    )


def write_bubbles() -> None:
    """Write the bubbles said so far in one statement, before anything reads the conversation. Not through the
    unit of work: it costs more than the insert itself, and on SQLite it inserts one row at a time to learn each
    id, which nothing needs before the transcript is read back."""
    rows = db.session.info.pop(_BUBBLES, None)
    if rows:
        db.session.execute(_INSERT_BUBBLES, rows)


def forget_bubbles() -> None:
    db.session.info.pop(_BUBBLES, None)
