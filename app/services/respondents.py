"""Several respondents per assessment: inviting them, who answers, each one's own answers, and resolving disputes.

An assessment starts with nobody in particular answering: answers go straight to the `answers` table, as they
always did. When an owner or consultant invites the first respondent it switches to respondent mode for good:
- whoever had answered so far becomes a respondent holding those answers, so nothing is lost or reattributed;
- from then on every answer, through any page or endpoint, is saved as the answering person's own, and the row in
  `answers` for that question is rewritten as the consolidation (app.planning.consensus) of every respondent's
  answer and any pick a consultant made;
- while the assessment is in progress, a respondent who does not manage the organisation sees only their own
  answers (app.services.tenancy refuses them everything else), so the answers stay independent.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from ..extensions import db, knowledge_base
from ..knowledge.answers import Answer as AnswerValue
from ..knowledge.answers import check_value
from ..knowledge.model import Questionnaire
from ..models import (
    Answer,
    AnswerResolution,
    Assessment,
    AssessmentStatus,
    ChatMessage,
    Membership,
    Respondent,
    RespondentAnswer,
    Role,
    User,
)
from ..models.base import utcnow
from ..planning import consensus
from ..planning.consensus import Consensus
from . import answers, consolidation, evaluation, invitations, tenancy
from .accounts import normalise_email
from .errors import Conflict, Forbidden, Invalid, NotFound

# ---------------------------------------------------------------------------------------------- invitations


def invite(
    user: User,
    assessment_id: int,
    email: str,
    name: str = "",
    sections: Iterable[str] = (),
    *,
    anyone_with_link: bool = False,
) -> tuple[Respondent, str]:
    """A respondent and the one-time link (token) that lets them answer; only its hash is stored."""
    assessment = tenancy.assessment_for(user, assessment_id, manage=True)
    answers.require_open(assessment)
    questionnaire = knowledge_base().questionnaire(assessment.questionnaire_id)
    chosen = _checked_sections(questionnaire, sections)
    if not email or "@" not in email:
        raise Invalid("invalid invitation", {"email": ["expected an email address"]})
    _enter_respondent_mode(assessment, user)
    invitation, token = invitations.new_invitation(
        user, assessment.organisation_id, email, Role.RESPONDENT, anyone_with_link=anyone_with_link
    )
    invitation.assessment_id = assessment.id
    respondent = Respondent(
        assessment_id=assessment.id,
        invitation_id=invitation.id,
        name=(name.strip() or normalise_email(email))[:200],
        sections=chosen,
    )
    db.session.add(respondent)
    db.session.commit()
    return respondent, token


def _checked_sections(questionnaire: Questionnaire, sections: Iterable[str]) -> list[str]:
    known = [s.id for s in questionnaire.sections]
    chosen = list(dict.fromkeys(s for s in sections if s))
    unknown = [s for s in chosen if s not in known]
    if unknown:
        raise Invalid("invalid invitation", {"sections": [f"unknown section(s) {', '.join(unknown)}"]})
    return [s for s in known if s in chosen]  # questionnaire order; all of them means the whole interview


def _enter_respondent_mode(assessment: Assessment, user: User) -> None:
    """The first invitation: whoever answered so far becomes a respondent keeping their answers."""
    if assessment.has_respondents:
        return
    assessment.has_respondents = True
    rows = db.session.scalars(sa.select(Answer).where(Answer.assessment_id == assessment.id)).all()
    by_person: dict[int, Respondent] = {}
    for row in rows:
        if row.value is None:
            continue
        person_id = row.answered_by_id or user.id
        respondent = by_person.get(person_id)
        if respondent is None:
            person = db.session.get(User, person_id)
            respondent = by_person[person_id] = Respondent(
                assessment_id=assessment.id, user_id=person_id, name=person.display_name, sections=[]
            )
            db.session.add(respondent)
        respondent.answers.append(
            RespondentAnswer(
                question_id=row.question_id,
                value=row.value,
                note=row.note,
                evidence=row.evidence,
                answered_at=row.answered_at,
            )
        )
    db.session.flush()
    inviter = by_person.get(user.id)
    if inviter is not None:  # the conversation so far goes on as the inviter's own
        db.session.execute(
            sa.update(ChatMessage)
            .where(ChatMessage.assessment_id == assessment.id, ChatMessage.respondent_id.is_(None))
            .values(respondent_id=inviter.id)
        )


# ---------------------------------------------------------------------------------------------- who answers


def respondent_of(user: User, assessment_id: int) -> Respondent | None:
    return db.session.scalar(
        sa.select(Respondent).where(Respondent.assessment_id == assessment_id, Respondent.user_id == user.id)
    )


def invited_assessments(user: User) -> list[Assessment]:
    """The assessments the user answers as a respondent, newest first: all a respondent has in a workspace. Not
    those an owner or consultant answers as themselves: nobody asked them to."""
    return list(
        db.session.scalars(
            sa.select(Assessment)
            .join(Respondent, Respondent.assessment_id == Assessment.id)
            .join(Membership, Membership.organisation_id == Assessment.organisation_id)
            .where(
                Respondent.user_id == user.id,
                Membership.user_id == user.id,
                Membership.role.not_in([r for r in Role if r.can_manage]),
            )
            .options(joinedload(Assessment.organisation))
            .order_by(Assessment.started_at.desc(), Assessment.id.desc())
        )
    )


def answering_as(user: User, assessment: Assessment) -> Respondent:
    """The caller's respondent record; owners and consultants get one when they first answer."""
    respondent = respondent_of(user, assessment.id)
    if respondent is not None:
        return respondent
    if not tenancy.role_in(user, assessment.organisation_id).can_manage:
        raise Forbidden("only invited respondents answer this assessment")
    respondent = Respondent(assessment_id=assessment.id, user_id=user.id, name=user.display_name, sections=[])
    db.session.add(respondent)
    try:
        db.session.flush()
    except IntegrityError:  # the same person's other request created it a moment ago
        db.session.rollback()
        raise Conflict("your answers were being set up by another request; try again") from None
    return respondent


def questionnaire_of(assessment: Assessment) -> Questionnaire:
    return knowledge_base().questionnaire(assessment.questionnaire_id)


def answering_only(user: User, listed: Iterable[Assessment], role: Role) -> set[int]:
    """Of these assessments, those the user may only answer in (a respondent who does not manage, in progress)."""
    if role.can_manage:
        return set()
    candidates = [a.id for a in listed if a.has_respondents and a.status is AssessmentStatus.IN_PROGRESS]
    if not candidates:
        return set()
    rows = db.session.scalars(
        sa.select(Respondent.assessment_id).where(
            Respondent.assessment_id.in_(candidates), Respondent.user_id == user.id
        )
    )
    return set(rows)


def may_answer(respondent: Respondent, questionnaire: Questionnaire, question_id: str) -> bool:
    return not respondent.sections or questionnaire.question(question_id).section in respondent.sections


def own_answers(respondent: Respondent) -> dict[str, RespondentAnswer]:
    rows = db.session.scalars(sa.select(RespondentAnswer).where(RespondentAnswer.respondent_id == respondent.id))
    return {a.question_id: a for a in rows}


# ---------------------------------------------------------------------------------------------- answering


def write(
    user: User,
    assessment: Assessment,
    question_id: str,
    canonical: AnswerValue,
    expected_version: int | None,
    keep: tuple[bool, bool] = (False, False),
) -> RespondentAnswer:
    """The caller's own answer, and the consolidated answer of that question rewritten; the caller commits.
    `keep`: whether to keep the note and the evidence already given (the chat sends only a value)."""
    respondent = answering_as(user, assessment)
    questionnaire = knowledge_base().questionnaire(assessment.questionnaire_id)
    if not may_answer(respondent, questionnaire, question_id):
        raise Forbidden("this question belongs to a section you were not invited to answer")
    mine = db.session.scalar(
        sa.select(RespondentAnswer).where(
            RespondentAnswer.respondent_id == respondent.id, RespondentAnswer.question_id == question_id
        )
    )
    if mine is None:
        if expected_version not in (None, 0):
            raise Conflict(f"'{question_id}' has no answer yet; reload before editing")
        mine = RespondentAnswer(respondent_id=respondent.id, question_id=question_id, version=0)
        db.session.add(mine)
    elif expected_version is not None and expected_version != mine.version:
        raise Conflict(f"'{question_id}' was changed meanwhile (now version {mine.version}); reload and try again")
    mine.value = canonical.value
    if not (keep[0] and mine.note):
        mine.note = canonical.note
    if not (keep[1] and mine.evidence):
        mine.evidence = canonical.evidence
    mine.answered_at = utcnow()
    mine.version += 1
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise Conflict(f"'{question_id}' was answered twice at once; reload and try again") from None
    consolidation.store_consolidated(assessment, user, question_id)
    return mine


def withdraw(user: User, assessment: Assessment, question_id: str) -> None:
    """The caller takes back their own answer; the consolidation of that question follows. The caller commits."""
    respondent = answering_as(user, assessment)
    db.session.execute(
        sa.delete(RespondentAnswer).where(
            RespondentAnswer.respondent_id == respondent.id, RespondentAnswer.question_id == question_id
        )
    )
    consolidation.store_consolidated(assessment, user, question_id)


# ---------------------------------------------------------------------------------------------- consolidation


def resolve(user: User, assessment_id: int, question_id: str, value: Any, note: str) -> Consensus:
    """An owner or consultant decides which of the respondents' answers counts, and says why."""
    assessment = tenancy.assessment_for(user, assessment_id, manage=True)
    answers.require_open(assessment)
    found = consolidation.consensus_of(assessment, only=question_id).get(question_id)
    if found is None or found.strength == consensus.ALIGNED:
        raise Invalid("nothing to resolve", {"question": ["the respondents do not disagree on this question"]})
    question = knowledge_base().questionnaire(assessment.questionnaire_id).question(question_id)
    value, error = check_value(question, value)
    if error or value not in [g.value for g in found.given]:
        raise Invalid("invalid resolution", {"value": ["pick one of the answers the respondents gave"]})
    note = (note or "").strip()
    if not note:
        raise Invalid("invalid resolution", {"note": ["say why this answer counts"]})
    row = db.session.scalar(
        sa.select(AnswerResolution).where(
            AnswerResolution.assessment_id == assessment.id, AnswerResolution.question_id == question_id
        )
    )
    if row is None:
        row = AnswerResolution(assessment_id=assessment.id, question_id=question_id)
        db.session.add(row)
    row.value, row.note, row.resolved_by_id, row.resolved_at = value, note[: consolidation.MAX_NOTE], user.id, utcnow()
    db.session.flush()
    consolidation.store_consolidated(assessment, user, question_id)
    evaluation.refresh_summary(assessment)
    db.session.commit()
    return consolidation.consensus_of(assessment, only=question_id)[question_id]


def unresolve(user: User, assessment_id: int, question_id: str) -> None:
    assessment = tenancy.assessment_for(user, assessment_id, manage=True)
    answers.require_open(assessment)
    db.session.execute(
        sa.delete(AnswerResolution).where(
            AnswerResolution.assessment_id == assessment.id, AnswerResolution.question_id == question_id
        )
    )
    consolidation.store_consolidated(assessment, user, question_id)
    evaluation.refresh_summary(assessment)
    db.session.commit()


def resolutions_of(assessment: Assessment) -> dict[str, AnswerResolution]:
    rows = db.session.scalars(sa.select(AnswerResolution).where(AnswerResolution.assessment_id == assessment.id))
    return {r.question_id: r for r in rows}


def set_show_names(user: User, assessment_id: int, show: bool) -> Assessment:
    assessment = tenancy.assessment_for(user, assessment_id, manage=True)
    assessment.show_respondent_names = bool(show)
    evaluation.refresh_summary(assessment)
    db.session.commit()
    return assessment


# ---------------------------------------------------------------------------------------------- reading


def respondents_of(user: User, assessment_id: int) -> list[Respondent]:
    """Everyone answering an assessment, for its owners and consultants."""
    assessment = tenancy.assessment_for(user, assessment_id, manage=True)
    return list(
        db.session.scalars(
            sa.select(Respondent).where(Respondent.assessment_id == assessment.id).order_by(Respondent.id)
        )
    )


def answer_counts(assessment: Assessment) -> dict[int, int]:
    rows = db.session.execute(
        sa.select(Respondent.id, sa.func.count(RespondentAnswer.id))
        .join(RespondentAnswer, RespondentAnswer.respondent_id == Respondent.id, isouter=True)
        .where(Respondent.assessment_id == assessment.id)
        .group_by(Respondent.id)
    )
    return dict(rows.all())


def respondent_answers(user: User, assessment_id: int, respondent_id: int) -> tuple[Respondent, list]:
    """One respondent's own answers: for owners and consultants, or for that respondent."""
    assessment = tenancy.assessment_for(user, assessment_id, own=True)
    respondent = db.session.get(Respondent, respondent_id)
    if respondent is None or respondent.assessment_id != assessment.id:
        raise NotFound("no such respondent in this assessment")
    manages = tenancy.role_in(user, assessment.organisation_id).can_manage
    if not manages and respondent.user_id != user.id:
        raise NotFound("no such respondent in this assessment")
    order = {q.id: i for i, q in enumerate(knowledge_base().questionnaire(assessment.questionnaire_id).questions)}
    rows = sorted(own_answers(respondent).values(), key=lambda a: (order.get(a.question_id, len(order)), a.id))
    return respondent, rows
