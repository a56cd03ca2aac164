"""Suggestions from another certified management system: an organisation that declares an ISO/IEC 27001 certificate
is offered the answers its information security system already gives (rules/mappings/), as pending proposals that
the interview offers one by one beside a repository scan's, and that count only once a person confirms them.

The proposed value is what the mapping can honestly claim: "yes" where the 27001 artefact covers the question as
it stands, "partly" where it is a start that lacks something for quality (the mapping's note says what). Only
yes/no questions are proposed; a choice among ways of working is the respondent's to make.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa

from ..extensions import db, knowledge_base
from ..knowledge.mapping import offered_questions
from ..knowledge.relations import MappingEntry
from ..models import Assessment, ProposalStatus, ScanProposal
from ..models.proposals import ISO27001

# The answers that decide whether anything is offered: the certificate, and whether its scope covers the software.
TRIGGERS = frozenset({"existing_certifications", "iso27001_scope_overlaps"})
DECIDED = (ProposalStatus.CONFIRMED, ProposalStatus.REJECTED)


def offer(assessment: Assessment, values: Mapping[str, Any]) -> list[ScanProposal]:
    """Bring the assessment's certificate suggestions in line with its answers `values` ({question: value}, the
    answer just given included): new pending ones for questions offered now, those no longer offered withdrawn
    (superseded). A question a person confirmed or rejected once is not offered again. Without the commit: the
    caller saves the answer in the same transaction."""
    if assessment.has_respondents:  # respondents answer independently: a suggestion would colour their answers
        return []
    kb = knowledge_base()
    questionnaire = kb.questionnaire(assessment.questionnaire_id)
    offered = {
        q: entries
        for q, entries in offered_questions(kb.mappings, dict(values)).items()
        if questionnaire.has_question(q) and questionnaire.question(q).kind == "yes_no"
    }
    rows = list(
        db.session.scalars(
            sa.select(ScanProposal).where(ScanProposal.assessment_id == assessment.id, ScanProposal.source == ISO27001)
        )
    )
    for row in rows:
        if row.status is ProposalStatus.PENDING and row.question_id not in offered:
            row.status = ProposalStatus.SUPERSEDED
    kept = {r.question_id for r in rows if r.status is ProposalStatus.PENDING or r.status in DECIDED}
    added = [
        ScanProposal(
            source=ISO27001,
            assessment_id=assessment.id,
            question_id=question_id,
            value=_value(entries),
            why=_why(entries),
            evidence=[{"clause": e.source, "title": e.title, "relation": e.relation} for e in entries],
        )
        for question_id, entries in offered.items()
        if question_id not in kept
    ]
    db.session.add_all(added)
    return added


def evidence_text(proposal: ScanProposal) -> str:
    """The evidence a confirmed suggestion leaves on its answer: which part of the 27001 system stands for it."""
    parts = ", ".join(f"{e['clause']} {e['title']}" for e in proposal.evidence)
    return f"ISO/IEC 27001 certificate: {parts}"


def _value(entries: tuple[MappingEntry, ...]) -> str:
    return "yes" if any(e.relation == "covers" for e in entries) else "partly"


def _why(entries: tuple[MappingEntry, ...]) -> str:
    lead = "Your ISO/IEC 27001 system already has this"
    if _value(entries) == "partly":
        lead += " in part"
    return f"{lead} ({', '.join(e.source + ' ' + e.title for e in entries)}). " + " ".join(e.note for e in entries)
