from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .base import UTCDateTime, utcnow


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
    kind: Mapped[str] = mapped_column(sa.String(20))  # question | answer | notice | reply | skip
    question_id: Mapped[str | None] = mapped_column(sa.String(64))
    text: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
