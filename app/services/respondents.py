"""Several respondents per assessment: invitations, each respondent's own answers, and the consolidation.

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
    Invitation,
    Respondent,
    RespondentAnswer,
    Role,
    User,
)
from ..models.base import utcnow
from ..planning import consensus
from ..planning.consensus import Consensus, Given
from . import accounts, assessments, tenancy
from .errors import Conflict, Forbidden, Invalid, NotFound

MAX_NOTE = 4000


# ---------------------------------------------------------------------------------------------- invitations


def invite(
    user: User, assessment_id: int, email: str, name: str = "", sections: Iterable[str] = ()
) -> tuple[Respondent, str]:
    """A respondent and the one-time link (token) that lets them answer; only its hash is stored."""
    assessment = tenancy.assessment_for(user, assessment_id, manage=True)
    assessments.require_open(assessment)
    questionnaire = knowledge_base().questionnaire(assessment.questionnaire_id)
    chosen = _checked_sections(questionnaire, sections)
    if not email or "@" not in email:
        raise Invalid("invalid invitation", {"email": ["expected an email address"]})
    _enter_respondent_mode(assessment, user)
    invitation, token = accounts.new_invitation(user, assessment.organisation_id, email, Role.CONTRIBUTOR)
    invitation.assessment_id = assessment.id
    respondent = Respondent(
        assessment_id=assessment.id,
        invitation_id=invitation.id,
        name=(name.strip() or accounts.normalise_email(email))[:200],
        sections=chosen,
    )
    db.session.add(respondent)
    db.session.commit()
    return respondent, token


def join(invitation: Invitation, user: User) -> Respondent:
    """The invited person takes up their place (called when an assessment invitation is accepted; no commit)."""
    respondent = db.session.scalar(sa.select(Respondent).where(Respondent.invitation_id == invitation.id))
    if respondent is None:
        raise NotFound("the assessment of this invitation no longer exists")
    if respondent_of(user, respondent.assessment_id) is not None:
        raise Conflict("you already answer this assessment; ask for your earlier link to be used instead")
    respondent.user_id = user.id
    return respondent


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


def answering_as(user: User, assessment: Assessment) -> Respondent:
    """The caller's respondent record; owners and consultants get one when they first answer."""
    respondent = respondent_of(user, assessment.id)
    if respondent is not None:
        return respondent
    if not tenancy.membership(user, assessment.organisation_id).role.can_manage:
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
    _store_consolidated(assessment, user, question_id)
    return mine


def withdraw(user: User, assessment: Assessment, question_id: str) -> None:
    """The caller takes back their own answer; the consolidation of that question follows. The caller commits."""
    respondent = answering_as(user, assessment)
    db.session.execute(
        sa.delete(RespondentAnswer).where(
            RespondentAnswer.respondent_id == respondent.id, RespondentAnswer.question_id == question_id
        )
    )
    _store_consolidated(assessment, user, question_id)


def _store_consolidated(assessment: Assessment, user: User, question_id: str) -> None:
    found = consensus_of(assessment, only=question_id).get(question_id)
    current = assessments.current_answer(assessment.id, question_id)
    value = found.value if found is not None else None
    note = _joined_notes(found, assessment, question_id, "note")
    evidence = _joined_notes(found, assessment, question_id, "evidence")
    if current is not None and (current.value, current.note, current.evidence) == (value, note, evidence):
        return
    if value is None:
        if current is not None:
            assessments.blank(current, user)
        return
    assessments.store(assessment, user, question_id, AnswerValue(value, note, evidence), None, current)


def _joined_notes(found: Consensus | None, assessment: Assessment, question_id: str, field: str) -> str:
    """Respondents' notes (or evidence) on one question, each signed, for the consolidated answer."""
    if found is None:
        return ""
    rows = db.session.execute(
        sa.select(Respondent.name, getattr(RespondentAnswer, field))
        .join(RespondentAnswer, RespondentAnswer.respondent_id == Respondent.id)
        .where(Respondent.assessment_id == assessment.id, RespondentAnswer.question_id == question_id)
        .order_by(Respondent.id)
    ).all()
    texts = [(name, text) for name, text in rows if text]
    if len(texts) == 1 and len(found.given) == 1:
        return texts[0][1]
    return "\n".join(f"{name}: {text}" for name, text in texts)[:MAX_NOTE]


# ---------------------------------------------------------------------------------------------- consolidation


def consensus_of(assessment: Assessment, only: str | None = None) -> dict[str, Consensus]:
    """Every answered question's consolidation (or just `only`'s), respondents in the order they were added."""
    questionnaire = knowledge_base().questionnaire(assessment.questionnaire_id)
    query = (
        sa.select(RespondentAnswer.question_id, RespondentAnswer.value, Respondent.name)
        .join(Respondent, RespondentAnswer.respondent_id == Respondent.id)
        .where(Respondent.assessment_id == assessment.id)
        .order_by(Respondent.id)
    )
    picks = sa.select(AnswerResolution.question_id, AnswerResolution.value).where(
        AnswerResolution.assessment_id == assessment.id
    )
    if only is not None:
        query = query.where(RespondentAnswer.question_id == only)
        picks = picks.where(AnswerResolution.question_id == only)
    given: dict[str, list[Given]] = {}
    for question_id, value, name in db.session.execute(query):
        if value is None or not questionnaire.has_question(question_id):
            continue
        value, error = check_value(questionnaire.question(question_id), value)
        if not error:  # an answer the current questionnaire no longer accepts is not counted
            given.setdefault(question_id, []).append(Given(name, value))
    resolutions = dict(db.session.execute(picks).all())
    return {
        q: consensus.consolidate(questionnaire.question(q), items, resolutions.get(q)) for q, items in given.items()
    }


def disputes_of(assessment: Assessment) -> dict[str, str]:
    """What the rules are given: contradicted questions with how respondents split (names only if chosen)."""
    return consensus.disputes(consensus_of(assessment).values(), names=assessment.show_respondent_names)


def alignment_of(assessment: Assessment) -> dict[str, Any] | None:
    if not assessment.has_respondents:
        return None
    questionnaire = knowledge_base().questionnaire(assessment.questionnaire_id)
    return consensus.alignment(questionnaire, consensus_of(assessment))


def resolve(user: User, assessment_id: int, question_id: str, value: Any, note: str) -> Consensus:
    """An owner or consultant decides which of the respondents' answers counts, and says why."""
    assessment = tenancy.assessment_for(user, assessment_id, manage=True)
    assessments.require_open(assessment)
    found = consensus_of(assessment, only=question_id).get(question_id)
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
    row.value, row.note, row.resolved_by_id, row.resolved_at = value, note[:MAX_NOTE], user.id, utcnow()
    db.session.flush()
    _store_consolidated(assessment, user, question_id)
    assessments.refresh_summary(assessment)
    db.session.commit()
    return consensus_of(assessment, only=question_id)[question_id]


def unresolve(user: User, assessment_id: int, question_id: str) -> None:
    assessment = tenancy.assessment_for(user, assessment_id, manage=True)
    assessments.require_open(assessment)
    db.session.execute(
        sa.delete(AnswerResolution).where(
            AnswerResolution.assessment_id == assessment.id, AnswerResolution.question_id == question_id
        )
    )
    _store_consolidated(assessment, user, question_id)
    assessments.refresh_summary(assessment)
    db.session.commit()


def resolutions_of(assessment: Assessment) -> dict[str, AnswerResolution]:
    rows = db.session.scalars(sa.select(AnswerResolution).where(AnswerResolution.assessment_id == assessment.id))
    return {r.question_id: r for r in rows}


def set_show_names(user: User, assessment_id: int, show: bool) -> Assessment:
    assessment = tenancy.assessment_for(user, assessment_id, manage=True)
    assessment.show_respondent_names = bool(show)
    assessments.refresh_summary(assessment)
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
    manages = tenancy.membership(user, assessment.organisation_id).role.can_manage
    if not manages and respondent.user_id != user.id:
        raise NotFound("no such respondent in this assessment")
    order = {q.id: i for i, q in enumerate(knowledge_base().questionnaire(assessment.questionnaire_id).questions)}
    rows = sorted(own_answers(respondent).values(), key=lambda a: (order.get(a.question_id, len(order)), a.id))
    return respondent, rows
