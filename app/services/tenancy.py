"""Every lookup of tenant data goes through here, scoped by the caller's membership."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from ..extensions import db
from ..models import Assessment, AssessmentStatus, Membership, Organisation, Respondent, Role, User
from .errors import Forbidden, NotFound


def membership(user: User, organisation_id: int) -> Membership:
    """The caller's membership, to see or act on the organisation as a whole. A respondent joined only to answer
    the assessments they were invited to: the organisation itself (its members, its other assessments, its
    progress) does not exist for them."""
    found = _membership_row(user, organisation_id)
    if found is None or not found.role.sees_organisation:
        raise NotFound("no such organisation")
    return found


def role_in(user: User, organisation_id: int) -> Role:
    """The caller's role, once assessment_for has let them in: a respondent's too, unlike membership()."""
    found = _membership_row(user, organisation_id)
    if found is None:
        raise NotFound("no such organisation")
    return found.role


def _membership_row(user: User, organisation_id: int) -> Membership | None:
    return db.session.scalar(
        sa.select(Membership).where(Membership.user_id == user.id, Membership.organisation_id == organisation_id)
    )


def organisation_for(user: User, organisation_id: int, *, manage: bool = False, answer: bool = False) -> Organisation:
    member = membership(user, organisation_id)
    _require(member.role, manage=manage, answer=answer)
    return member.organisation


def assessment_for(
    user: User, assessment_id: int, *, manage: bool = False, answer: bool = False, own: bool = False
) -> Assessment:
    """The assessment, if the caller's role allows what they are about to do. `own`: the caller reads or writes
    only their own answers (their chat, their answers as a respondent), which is all a respondent may do."""
    return assessment_and_role(user, assessment_id, manage=manage, answer=answer, own=own)[0]


def assessment_and_role(
    user: User, assessment_id: int, *, manage: bool = False, answer: bool = False, own: bool = False
) -> tuple[Assessment, Role]:
    """assessment_for(), and the caller's role in its organisation, read in the same query (see role_in)."""
    # The organisation and whether the caller answers this assessment come in the same query: every page of an
    # assessment names the one, and every respondent's request needs the other.
    row = db.session.execute(
        sa.select(Assessment, Membership.role, Respondent.id)
        .join(Membership, Membership.organisation_id == Assessment.organisation_id)
        .outerjoin(Respondent, sa.and_(Respondent.assessment_id == Assessment.id, Respondent.user_id == user.id))
        .where(Assessment.id == assessment_id, Membership.user_id == user.id)
        .options(joinedload(Assessment.organisation))
    ).first()
    if row is None:
        raise NotFound("no such assessment")
    assessment, role, respondent_id = row
    is_respondent = respondent_id is not None
    if role is Role.RESPONDENT and not is_respondent:
        raise NotFound("no such assessment")  # another assessment of the organisation they were not invited to
    if assessment.has_respondents and not role.can_manage:
        _keep_answers_independent(assessment, is_respondent, own=own, answer=answer)
    _require(role, manage=manage, answer=answer)
    return assessment, role


def _keep_answers_independent(assessment: Assessment, is_respondent: bool, *, own: bool, answer: bool) -> None:
    """While an assessment with several respondents is in progress, a respondent who does not manage the
    organisation sees nothing but their own answers: seeing the others' would make theirs less independent."""
    if is_respondent and assessment.status is AssessmentStatus.IN_PROGRESS and not own:
        raise NotFound("no such assessment")
    if answer and not is_respondent:
        raise Forbidden("only invited respondents answer this assessment")


def organisations_of(user: User) -> list[tuple[Organisation, Role]]:
    """The organisations the caller is a member of; not those they only answer an assessment of (see
    respondents.invited_assessments)."""
    rows = db.session.execute(
        sa.select(Organisation, Membership.role)
        .join(Membership, Membership.organisation_id == Organisation.id)
        .where(Membership.user_id == user.id, Membership.role.in_([r for r in Role if r.sees_organisation]))
        .order_by(Organisation.name, Organisation.id)
    ).all()
    return [(org, role) for org, role in rows]


def _require(role: Role, *, manage: bool, answer: bool) -> None:
    if manage and not role.can_manage:
        raise Forbidden("only owners and consultants can do this")
    if answer and not role.can_answer:
        raise Forbidden("viewers can read but not answer")
