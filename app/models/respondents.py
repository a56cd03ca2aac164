"""Several respondents per assessment: each one's own answers, and the consultant's pick where they disagree.

The `answers` table keeps holding the answer that counts (what the engine evaluates), so every page, export and
the API read one answer per question whatever the number of respondents; in an assessment with respondents that
row is the consolidation of the rows here (app.services.respondents keeps it so).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .accounts import Invitation, User
from .base import UTCDateTime, utcnow


class Respondent(db.Model):
    """One person answering an assessment, invited to all of it or to chosen sections."""

    __tablename__ = "respondents"
    __table_args__ = (sa.UniqueConstraint("assessment_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(sa.ForeignKey("assessments.id", ondelete="CASCADE"), index=True)
    # Empty until the invitation is accepted.
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    invitation_id: Mapped[int | None] = mapped_column(sa.ForeignKey("invitations.id", ondelete="SET NULL"))
    name: Mapped[str] = mapped_column(sa.String(200))
    # Section ids of the questionnaire; empty means the whole interview.
    sections: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User | None] = relationship()
    invitation: Mapped[Invitation | None] = relationship()
    answers: Mapped[list[RespondentAnswer]] = relationship(back_populates="respondent", cascade="all, delete-orphan")


class RespondentAnswer(db.Model):
    __tablename__ = "respondent_answers"
    __table_args__ = (sa.UniqueConstraint("respondent_id", "question_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    respondent_id: Mapped[int] = mapped_column(sa.ForeignKey("respondents.id", ondelete="CASCADE"), index=True)
    question_id: Mapped[str] = mapped_column(sa.String(64))
    value: Mapped[Any] = mapped_column(sa.JSON)
    note: Mapped[str] = mapped_column(sa.Text, default="")
    evidence: Mapped[str] = mapped_column(sa.Text, default="")
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    respondent: Mapped[Respondent] = relationship(back_populates="answers")


class AnswerResolution(db.Model):
    """Where respondents disagree, the answer an owner or consultant decided counts, and why."""

    __tablename__ = "answer_resolutions"
    __table_args__ = (sa.UniqueConstraint("assessment_id", "question_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(sa.ForeignKey("assessments.id", ondelete="CASCADE"), index=True)
    question_id: Mapped[str] = mapped_column(sa.String(64))
    value: Mapped[Any] = mapped_column(sa.JSON)
    note: Mapped[str] = mapped_column(sa.Text, default="")
    resolved_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    resolved_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    resolved_by: Mapped[User | None] = relationship()
