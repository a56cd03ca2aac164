from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .accounts import User
from .base import UTCDateTime, utcnow


class EvidenceKind(enum.StrEnum):
    FILE = "file"  # bytes kept in the evidence storage under their SHA-256
    LINK = "link"  # a URL to where the record lives (a wiki page, a pipeline run, a ticket)
    REFERENCE = "reference"  # a file of the team's repository at a commit, as a confirmed scan proposal named it


def _enum(kind):
    return sa.Enum(kind, native_enum=False, length=20, values_callable=lambda e: [m.value for m in e])


class Evidence(db.Model):
    """One record that backs an answer (question_id) or shows a plan action done (action_id). Never deleted: a
    deletion is who and when, so the trail of what was once shown to back an answer stays."""

    __tablename__ = "evidence"
    __table_args__ = (
        sa.CheckConstraint("(question_id IS NULL) <> (action_id IS NULL)", name="ck_evidence_answer_or_action"),
        sa.Index("ix_evidence_assessment_question", "assessment_id", "question_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(sa.ForeignKey("assessments.id", ondelete="CASCADE"))
    question_id: Mapped[str | None] = mapped_column(sa.String(64))
    action_id: Mapped[str | None] = mapped_column(sa.String(100))
    kind: Mapped[EvidenceKind] = mapped_column(_enum(EvidenceKind))
    title: Mapped[str] = mapped_column(sa.String(300))
    filename: Mapped[str | None] = mapped_column(sa.String(255))
    content_type: Mapped[str | None] = mapped_column(sa.String(120))
    size: Mapped[int | None] = mapped_column()
    sha256: Mapped[str | None] = mapped_column(sa.String(64))
    url: Mapped[str | None] = mapped_column(sa.String(2000))
    # Carried over from the assessment this one repeats: still shown, but it backs the answer only once a person
    # has looked at it again (services.evidence.reconfirm).
    to_confirm: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    carried_from_id: Mapped[int | None] = mapped_column(sa.ForeignKey("evidence.id", ondelete="SET NULL"))
    added_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    added_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    deleted_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    added_by: Mapped[User | None] = relationship(foreign_keys=[added_by_id])
    deleted_by: Mapped[User | None] = relationship(foreign_keys=[deleted_by_id])

    @property
    def deleted(self) -> bool:
        return self.deleted_at is not None
