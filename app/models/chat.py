from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .base import UTCDateTime, utcnow


class MessageKind(enum.StrEnum):
    """What a bubble is. Stored as its string value, so the transcript's queries and templates compare strings."""

    # the assistant's
    QUESTION = "question"  # asks the question the conversation is at
    REVISIT = "revisit"  # asks an answered question again (a past answer clicked, or "back")
    CONFIRM = "confirm"  # checks a guess at what the user meant
    REPLY = "reply"  # answers a command, or says what it did not understand
    PLAN = "plan"  # the plan so far, one action a line (the page shows a list and a link to the plan)
    NOTICE = "notice"  # a major gap an answer opened or cleared
    # the user's
    ANSWER = "answer"  # an answer saved (clicked or typed)
    SKIP = "skip"  # a question skipped
    TEXT = "text"  # typed words that were not an answer: a command, a question, something unclear


ASKING = (MessageKind.QUESTION, MessageKind.REVISIT)  # the bubbles that leave a question pending


class ChatMessage(db.Model):
    """One bubble of an interview, so that a reload or a restart shows the conversation as it was."""

    __tablename__ = "chat_messages"
    __table_args__ = (sa.Index("ix_chat_messages_assessment_id_id", "assessment_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(sa.ForeignKey("assessments.id", ondelete="CASCADE"))
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    # In an assessment with several respondents, each has a conversation of their own.
    respondent_id: Mapped[int | None] = mapped_column(sa.ForeignKey("respondents.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(sa.String(10))  # user | assistant
    kind: Mapped[str] = mapped_column(sa.String(20))  # a MessageKind
    question_id: Mapped[str | None] = mapped_column(sa.String(64))
    text: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
