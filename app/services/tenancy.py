"""Every lookup of tenant data goes through here, scoped by the caller's membership."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from ..extensions import db
from ..models import Assessment, AssessmentStatus, Membership, Organisation, Respondent, Role, User
from .errors import Forbidden, NotFound


def membership(user: User, organisation_id: int) -> Membership:
    found = db.session.scalar(
        sa.select(Membership).where(Membership.user_id == user.id, Membership.organisation_id == organisation_id)
    )
    if found is None:
        raise NotFound("no such organisation")
    return found


def organisation_for(user: User, organisation_id: int, *, manage: bool = False, answer: bool = False) -> Organisation:
    member = membership(user, organisation_id)
    _require(member.role, manage=manage, answer=answer)
    return member.organisation


def assessment_for(
    user: User, assessment_id: int, *, manage: bool = False, answer: bool = False, own: bool = False
) -> Assessment:
    """The assessment, if the caller's role allows what they are about to do. `own`: the caller reads or writes
    only their own answers (their chat, their answers as a respondent), which is all a respondent may do."""
    # The organisation comes in the same query: every page of an assessment names it.
    row = db.session.execute(
        sa.select(Assessment, Membership.role)
        .join(Membership, Membership.organisation_id == Assessment.organisation_id)
        .where(Assessment.id == assessment_id, Membership.user_id == user.id)
        .options(joinedload(Assessment.organisation))
    ).first()
    if row is None:
        raise NotFound("no such assessment")
    assessment, role = row
    if assessment.has_respondents and not role.can_manage:
        _keep_answers_independent(user, assessment, own=own, answer=answer)
    _require(role, manage=manage, answer=answer)
    return assessment


def _keep_answers_independent(user: User, assessment: Assessment, *, own: bool, answer: bool) -> None:
    """While an assessment with several respondents is in progress, a respondent who does not manage the
    organisation sees nothing but their own answers: seeing the others' would make theirs less independent."""
    is_respondent = (
        db.session.scalar(
            sa.select(Respondent.id).where(Respondent.assessment_id == assessment.id, Respondent.user_id == user.id)
        )
        is not None
    )
    if is_respondent and assessment.status is AssessmentStatus.IN_PROGRESS and not own:
        raise NotFound("no such assessment")
    if answer and not is_respondent:
        raise Forbidden("only invited respondents answer this assessment")


def organisations_of(user: User) -> list[tuple[Organisation, Role]]:
    rows = db.session.execute(
        sa.select(Organisation, Membership.role)
        .join(Membership, Membership.organisation_id == Organisation.id)
        .where(Membership.user_id == user.id)
        .order_by(Organisation.name, Organisation.id)
    ).all()
    return [(org, role) for org, role in rows]


def _require(role: Role, *, manage: bool, answer: bool) -> None:
    if manage and not role.can_manage:
        raise Forbidden("only owners and consultants can do this")
    if answer and not role.can_answer:
        raise Forbidden("viewers can read but not answer")
