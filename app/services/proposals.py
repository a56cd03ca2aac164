"""Proposals from a repository scan on an assessment: taken in whole or not at all, offered one by one, and
counted only once a person confirms them, when they become an answer with the scan's files as its evidence."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from ..evidence_scan import ScanInvalid, parse_scan
from ..extensions import db, knowledge_base
from ..knowledge.answers import MAX_NOTE
from ..models import Assessment, ProposalStatus, RepositoryScan, ScanProposal, User
from ..models.base import utcnow
from ..models.proposals import SCAN
from . import answers, assessments, evidence, suggestions, tenancy
from .errors import Conflict, Invalid, NotFound

MAX_SCAN_BYTES = 1024 * 1024


class NoSuchProposal(NotFound):
    """No such proposal on an assessment the caller may see (another tenant's assessment is NotFound first)."""


# an uploaded scan file; a real one is a few kilobytes


@dataclass(frozen=True)
class TakenScan:
    scan: RepositoryScan
    proposals: list[ScanProposal]
    not_asked: tuple[str, ...]  # questions the scan answers that this questionnaire does not ask


def _questions(assessment: Assessment) -> dict:
    return {q.id: q for q in knowledge_base().questionnaire(assessment.questionnaire_id).questions}


def take_scan(user: User, assessment_id: int, document: Any) -> TakenScan:
    """The scan's proposals stored as pending on the assessment, replacing those of an earlier scan nobody has
    decided on yet; Invalid naming every problem, and nothing stored, when any part of it is wrong."""
    assessment = tenancy.assessment_for(user, assessment_id, answer=True)
    answers.require_open(assessment)
    try:
        parsed = parse_scan(document, _questions(assessment))
    except ScanInvalid as error:
        raise Invalid("the scan file is not valid", {"scan": error.problems}) from None
    result = parsed.result
    db.session.execute(
        sa.update(ScanProposal)
        .where(
            ScanProposal.assessment_id == assessment.id,
            ScanProposal.source == SCAN,  # a certificate's suggestions stay: a new scan replaces only a scan's
            ScanProposal.status == ProposalStatus.PENDING,
        )
        .values(status=ProposalStatus.SUPERSEDED)
    )
    scan = RepositoryScan(
        assessment_id=assessment.id,
        repository=result.repository,
        commit=result.commit,
        not_visible=list(result.not_visible),
        uploaded_by_id=user.id,
    )
    db.session.add(scan)
    stored = [
        ScanProposal(
            scan=scan,
            assessment_id=assessment.id,
            question_id=p.question,
            value=p.value,
            why=p.why,
            evidence=[e.as_dict() for e in p.evidence],
        )
        for p in result.proposals
    ]
    db.session.add_all(stored)
    db.session.commit()
    return TakenScan(scan, _ordered(assessment, stored), parsed.not_asked)


def proposals_of(user: User, assessment_id: int) -> list[ScanProposal]:
    """Every proposal of the assessment, the latest scan's first, each scan's in questionnaire order."""
    assessment = tenancy.assessment_for(user, assessment_id)
    return _ordered(assessment, _rows(assessment))


def pending_of(assessment: Assessment) -> list[ScanProposal]:
    """The proposals still waiting for a decision, in questionnaire order. The caller has checked access."""
    return _ordered(assessment, _rows(assessment, ProposalStatus.PENDING))


def pending_for(assessment: Assessment, question_id: str) -> ScanProposal | None:
    """The proposal waiting for a decision on one question, if any. The caller has checked access."""
    return db.session.scalar(
        sa.select(ScanProposal).where(
            ScanProposal.assessment_id == assessment.id,
            ScanProposal.question_id == question_id,
            ScanProposal.status == ProposalStatus.PENDING,
        )
    )


def _rows(assessment: Assessment, status: ProposalStatus | None = None) -> list[ScanProposal]:
    query = sa.select(ScanProposal).where(ScanProposal.assessment_id == assessment.id)
    if status is not None:
        query = query.where(ScanProposal.status == status)
    return list(db.session.scalars(query.order_by(ScanProposal.id)))  # _ordered sorts them


def _ordered(assessment: Assessment, rows: list[ScanProposal]) -> list[ScanProposal]:
    order = {question_id: n for n, question_id in enumerate(_questions(assessment))}
    # The latest scan's first, then the certificate's suggestions (no scan), each in questionnaire order.
    return sorted(rows, key=lambda p: (-(p.scan_id or 0), order.get(p.question_id, len(order)), p.id))


def evidence_text(proposal: ScanProposal) -> str:
    """The evidence an answer keeps from a confirmed proposal: the repository, the commit and the files (or the part
    of the certified system that stands for it)."""
    scan = proposal.scan
    if scan is None:
        return suggestions.evidence_text(proposal)[:MAX_NOTE]
    paths = [item["path"] for item in proposal.evidence]
    head = f"Repository scan of {scan.repository} at commit {scan.commit}"
    text = head + (": " + ", ".join(paths) if paths else "")
    if len(text) > MAX_NOTE:
        text = text[: MAX_NOTE - 30].rsplit(", ", 1)[0] + " (and more)"
    return text


def decide(user: User, assessment_id: int, proposal_id: int, *, confirm: bool) -> ScanProposal:
    """Confirm (the answer is recorded with the scan's evidence) or reject one pending proposal."""
    # Not `own`: while several respondents answer independently, a proposal is not offered to them (it would
    # colour their answers); the people running the assessment decide on it.
    assessment = tenancy.assessment_for(user, assessment_id, answer=True)
    proposal = db.session.get(ScanProposal, proposal_id)
    if proposal is None or proposal.assessment_id != assessment.id:
        raise NoSuchProposal("no such proposal on this assessment")
    if proposal.status is not ProposalStatus.PENDING:
        raise Conflict(f"this proposal was {proposal.status.value} already")
    if confirm:
        found = evidence_text(proposal)
        current = None if assessment.has_respondents else answers.current_answer(assessment.id, proposal.question_id)
        if current is not None and current.evidence and found not in current.evidence:
            # What the answer said already stays: the scan's files are added to it.
            found = (current.evidence + "\n" + found)[:MAX_NOTE]
        assessments.write_answer(user, assessment, proposal.question_id, proposal.value, evidence=found)
        if proposal.scan is not None:  # the files the scan read back the answer as records, at their commit
            for item in proposal.evidence:
                commit = item.get("commit") or proposal.scan.commit
                evidence.add_reference(
                    user, assessment, proposal.question_id, proposal.scan.repository, item["path"], commit
                )
    proposal.status = ProposalStatus.CONFIRMED if confirm else ProposalStatus.REJECTED
    proposal.decided_by_id = user.id
    proposal.decided_at = utcnow()
    db.session.commit()
    return proposal
