from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import UTCDateTime, utcnow


class ProposalStatus(enum.StrEnum):
    PENDING = "pending"  # offered, not yet decided; counts for nothing
    CONFIRMED = "confirmed"  # a person said it is true: the answer was recorded with its evidence
    REJECTED = "rejected"
    SUPERSEDED = "superseded"  # a later scan proposed again for the same question before anyone decided


SCAN = "scan"
ISO27001 = "iso27001"


def _enum(kind):
    return sa.Enum(kind, native_enum=False, length=20, values_callable=lambda e: [m.value for m in e])


class RepositoryScan(db.Model):
    """A scan of a team's repository (clausewise evidence scan) taken into an assessment: where and at which commit
    it was read, and what it said cannot be seen from a clone."""

    __tablename__ = "repository_scans"

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(sa.ForeignKey("assessments.id", ondelete="CASCADE"), index=True)
    repository: Mapped[str] = mapped_column(sa.String(500))
    commit: Mapped[str] = mapped_column(sa.String(64))
    not_visible: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    uploaded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    proposals: Mapped[list[ScanProposal]] = relationship(back_populates="scan", cascade="all, delete-orphan")


class ScanProposal(db.Model):
    """One proposed answer of a scan, with why and the files it was read from, until a person decides on it."""

    __tablename__ = "scan_proposals"
    __table_args__ = (sa.Index("ix_scan_proposals_assessment_status", "assessment_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # "scan": a repository scan's (scan_id names it); "iso27001": what a certified ISO/IEC 27001 system already
    # answers (services.suggestions), with no scan.
    source: Mapped[str] = mapped_column(sa.String(20), default=SCAN, server_default=SCAN)
    scan_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("repository_scans.id", ondelete="CASCADE"), index=True, nullable=True
    )
    # Kept beside the scan's so tenancy and the chat's "a proposal for this question?" need no join.
    assessment_id: Mapped[int] = mapped_column(sa.ForeignKey("assessments.id", ondelete="CASCADE"))
    question_id: Mapped[str] = mapped_column(sa.String(64))
    value: Mapped[Any] = mapped_column(sa.JSON)
    why: Mapped[str] = mapped_column(sa.Text)
    evidence: Mapped[list[dict[str, str]]] = mapped_column(sa.JSON, default=list)  # [{path, commit}]
    status: Mapped[ProposalStatus] = mapped_column(_enum(ProposalStatus), default=ProposalStatus.PENDING)
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    scan: Mapped[RepositoryScan | None] = relationship(back_populates="proposals")
