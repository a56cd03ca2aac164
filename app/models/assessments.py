from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .accounts import Organisation, User
from .base import UTCDateTime, utcnow


class AssessmentStatus(enum.StrEnum):
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"


class ActionStatus(enum.StrEnum):
    TODO = "todo"
    DOING = "doing"
    DONE = "done"
    WONT_DO = "wont_do"


def _enum(kind):
    return sa.Enum(kind, native_enum=False, length=20, values_callable=lambda e: [m.value for m in e])


class Assessment(db.Model):
    __tablename__ = "assessments"
    __table_args__ = (sa.Index("ix_assessments_org_started", "organisation_id", "started_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id", ondelete="CASCADE"))
    questionnaire_id: Mapped[str] = mapped_column(sa.String(64))
    questionnaire_version: Mapped[int]
    # The edition of the standard (catalogue id) its clauses are read in, set when it starts (knowledge.rekey).
    edition: Mapped[str] = mapped_column(sa.String(32), server_default="iso9001-2015")
    kb_version: Mapped[str] = mapped_column(sa.String(32))
    status: Mapped[AssessmentStatus] = mapped_column(_enum(AssessmentStatus), default=AssessmentStatus.IN_PROGRESS)
    title: Mapped[str] = mapped_column(sa.String(200), default="")
    started_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    repeats_id: Mapped[int | None] = mapped_column(sa.ForeignKey("assessments.id", ondelete="SET NULL"))
    version: Mapped[int] = mapped_column(default=1)
    # The latest evaluation in brief, kept up to date by the services, so lists such as the consultant's portfolio
    # sort and page in SQL instead of evaluating every assessment.
    readiness: Mapped[int | None] = mapped_column()
    verdict: Mapped[str | None] = mapped_column(sa.String(20))
    open_majors: Mapped[int] = mapped_column(default=0)
    # Which findings those majors are (rule ids), so the chat can tell what an answer created or cleared without
    # evaluating the answers as they were before it. None until the first evaluation after this column came.
    open_major_ids: Mapped[list[str] | None] = mapped_column(sa.JSON)
    last_activity_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    # Set once the first respondent is invited: from then on answers are given per respondent and consolidated.
    has_respondents: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    # Whether explanations of disagreements name who said what (they give counts only unless a consultant chooses).
    show_respondent_names: Mapped[bool] = mapped_column(default=False, server_default=sa.false())

    organisation: Mapped[Organisation] = relationship()
    started_by: Mapped[User | None] = relationship()
    repeats: Mapped[Assessment | None] = relationship(remote_side=[id])
    answers: Mapped[list[Answer]] = relationship(back_populates="assessment", cascade="all, delete-orphan")
    snapshot: Mapped[EvaluationSnapshot | None] = relationship(
        back_populates="assessment", cascade="all, delete-orphan"
    )
    plan_actions: Mapped[list[PlanAction]] = relationship(back_populates="assessment", cascade="all, delete-orphan")
    reopenings: Mapped[list[Reopening]] = relationship(
        back_populates="assessment", cascade="all, delete-orphan", order_by="Reopening.revision"
    )


class Answer(db.Model):
    """The current answer to one question; every earlier value lives on in AnswerRevision."""

    __tablename__ = "answers"
    __table_args__ = (sa.UniqueConstraint("assessment_id", "question_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(sa.ForeignKey("assessments.id", ondelete="CASCADE"), index=True)
    question_id: Mapped[str] = mapped_column(sa.String(64))
    value: Mapped[Any] = mapped_column(sa.JSON)
    note: Mapped[str] = mapped_column(sa.Text, default="")
    evidence: Mapped[str] = mapped_column(sa.Text, default="")
    to_confirm: Mapped[bool] = mapped_column(default=False)
    answered_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    assessment: Mapped[Assessment] = relationship(back_populates="answers")
    answered_by: Mapped[User | None] = relationship()
    revisions: Mapped[list[AnswerRevision]] = relationship(
        back_populates="answer", cascade="all, delete-orphan", order_by="AnswerRevision.version"
    )


class AnswerRevision(db.Model):
    __tablename__ = "answer_revisions"
    __table_args__ = (sa.UniqueConstraint("answer_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    answer_id: Mapped[int] = mapped_column(sa.ForeignKey("answers.id", ondelete="CASCADE"), index=True)
    version: Mapped[int]
    value: Mapped[Any] = mapped_column(sa.JSON)
    note: Mapped[str] = mapped_column(sa.Text, default="")
    evidence: Mapped[str] = mapped_column(sa.Text, default="")
    answered_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime)

    answer: Mapped[Answer] = relationship(back_populates="revisions")
    answered_by: Mapped[User | None] = relationship()


class EvaluationSnapshot(db.Model):
    """The evaluation of a completed assessment, frozen: an old report never changes when the rules do."""

    __tablename__ = "evaluation_snapshots"

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(sa.ForeignKey("assessments.id", ondelete="CASCADE"), unique=True)
    kb_version: Mapped[str] = mapped_column(sa.String(32))
    result: Mapped[dict] = mapped_column(sa.JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    assessment: Mapped[Assessment] = relationship(back_populates="snapshot")


class Reopening(db.Model):
    """A completed assessment opened again: who did it and when, and the frozen report it had, kept as a revision
    (1 for the report of its first completion, 2 for the next...), since the snapshot is replaced when it is
    completed again."""

    __tablename__ = "assessment_reopenings"
    __table_args__ = (sa.UniqueConstraint("assessment_id", "revision"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(sa.ForeignKey("assessments.id", ondelete="CASCADE"), index=True)
    revision: Mapped[int]
    reopened_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    reopened_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # when the kept report was frozen
    kb_version: Mapped[str] = mapped_column(sa.String(32))
    result: Mapped[dict] = mapped_column(sa.JSON)  # the frozen report, as EvaluationSnapshot.result had it

    assessment: Mapped[Assessment] = relationship(back_populates="reopenings")
    reopened_by: Mapped[User | None] = relationship()


class PlanAction(db.Model):
    """Status, owner and due date of one plan action in one assessment; copied to the next assessment."""

    __tablename__ = "plan_actions"
    __table_args__ = (sa.UniqueConstraint("assessment_id", "action_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(sa.ForeignKey("assessments.id", ondelete="CASCADE"), index=True)
    action_id: Mapped[str] = mapped_column(sa.String(100))
    title: Mapped[str] = mapped_column(sa.String(300))
    status: Mapped[ActionStatus] = mapped_column(_enum(ActionStatus), default=ActionStatus.TODO)
    owner: Mapped[str] = mapped_column(sa.String(200), default="")
    due_date: Mapped[date | None] = mapped_column(sa.Date)
    notes: Mapped[str] = mapped_column(sa.Text, default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    assessment: Mapped[Assessment] = relationship(back_populates="plan_actions")

    __mapper_args__ = {"version_id_col": version}
