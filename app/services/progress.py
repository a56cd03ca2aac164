"""Progress over time: one organisation's assessments on a timeline and the consultant's portfolio (comparisons of
two assessments: services.comparison).

Lists read the brief each assessment keeps of its latest evaluation (readiness, verdict, open majors, last
activity), so the portfolio sorts, searches and pages in SQL however many organisations a consultant has.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import aliased, selectinload

from ..extensions import db, knowledge_base
from ..knowledge.model import ClauseGroup
from ..models import Answer, Assessment, AssessmentStatus, Membership, Organisation, Respondent, Role, User
from ..planning.verdict import LEVELS
from . import editions, respondents, tenancy
from .evaluation import evaluate

CHART_LIMIT = 24  # assessments drawn in the trend charts (the timeline lists them all)


# ---------------------------------------------------------------------------------------------- one organisation


@dataclass(frozen=True)
class TimelineEntry:
    id: int
    title: str
    questionnaire_id: str
    status: str
    started_at: datetime
    completed_at: datetime | None
    last_activity_at: datetime
    verdict: str | None
    readiness: int | None
    open_majors: int
    repeats_id: int | None
    label: str  # its name on the chart's axis: the start date, made unique
    sealed: bool = False  # the caller answers it as a respondent: its figures are not shown to them yet

    @property
    def verdict_label(self) -> str:
        return LEVELS.get(self.verdict or "", "Not evaluated")


@dataclass(frozen=True)
class Progress:
    organisation: Organisation
    role: Role
    entries: list[TimelineEntry]  # oldest first
    groups: list[ClauseGroup]
    group_scores: dict[int, dict[str, int | None]]  # assessment id -> clause group -> readiness, for the charted ones

    @property
    def charted(self) -> list[TimelineEntry]:
        return [e for e in self.entries if e.id in self.group_scores]


def progress_of(user: User, organisation_id: int) -> Progress:
    member = tenancy.membership(user, organisation_id)  # refuses a respondent: they see no organisation
    rows = list(
        db.session.scalars(
            sa.select(Assessment)
            .where(Assessment.organisation_id == organisation_id)
            .options(selectinload(Assessment.snapshot))
            .order_by(Assessment.started_at, Assessment.id)
        )
    )
    # What the results page refuses a respondent (the figures of an assessment they are answering), so does this.
    sealed = respondents.answering_only(user, rows, member.role)
    questionnaires = knowledge_base().questionnaires
    entries, seen = [], set()
    for row in rows:
        label = row.started_at.strftime("%Y-%m-%d")
        if label in seen:  # two assessments started on one day stay two points on the chart
            label = f"{label} #{row.id}"
        seen.add(label)
        entries.append(
            TimelineEntry(
                id=row.id,
                title=row.title or getattr(questionnaires.get(row.questionnaire_id), "title", row.questionnaire_id),
                questionnaire_id=row.questionnaire_id,
                status=row.status.value,
                started_at=row.started_at,
                completed_at=row.completed_at,
                last_activity_at=row.last_activity_at,
                verdict=None if row.id in sealed else row.verdict,
                readiness=None if row.id in sealed else row.readiness,
                open_majors=0 if row.id in sealed else row.open_majors,
                repeats_id=row.repeats_id,
                label=label,
                sealed=row.id in sealed,
            )
        )
    # Group scores need each evaluation: completed assessments read their snapshot, the others are evaluated
    # (memoised); only the latest CHART_LIMIT are drawn.
    charted = [row for row in rows if row.id not in sealed][-CHART_LIMIT:]
    group_scores = {row.id: dict(evaluate(row).readiness.groups) for row in charted}
    # Clause groups are the same in every edition, so the charts run on across a move to the next one.
    catalogue = editions.catalogue_of(rows[-1]) if rows else next(iter(knowledge_base().catalogues.values()))
    return Progress(member.organisation, member.role, entries, list(catalogue.groups), group_scores)


# ---------------------------------------------------------------------------------------------- portfolio

SORTS = ("name", "readiness", "open_majors", "last_activity")
DIRECTIONS = ("asc", "desc")
PAGE_SIZE = 25


@dataclass(frozen=True)
class PortfolioRow:
    organisation_id: int
    name: str
    role: Role
    assessments: int
    # The latest completed assessment, if any: its verdict stands until another is completed, however recently a
    # new one was started (a fresh one, with no answer yet, would read "not ready").
    assessment_id: int | None
    assessment_title: str
    verdict: str | None
    readiness: int | None
    open_majors: int | None
    trend: int | None  # its readiness minus the completed one's before it
    last_activity_at: datetime | None
    # The newest assessment in progress, beside it: how far it is, in questions answered (confirmed, in a repeat).
    in_progress_id: int | None = None
    in_progress_title: str = ""
    in_progress_answered: int | None = None
    sealed: bool = False  # the caller answers the one in progress as a respondent: its progress is not shown

    @property
    def verdict_label(self) -> str:
        return LEVELS.get(self.verdict or "", "")


@dataclass(frozen=True)
class Portfolio:
    rows: list[PortfolioRow]
    total: int
    page: int
    pages: int
    per_page: int
    search: str
    sort: str
    direction: str


def portfolio(
    user: User,
    *,
    search: str = "",
    sort: str = "name",
    direction: str = "asc",
    page: int = 1,
    per_page: int = PAGE_SIZE,
) -> Portfolio:
    """Every organisation `user` is a member of, with its latest assessment in brief: two queries (count, page),
    whatever the number of organisations."""
    sort = sort if sort in SORTS else "name"
    direction = direction if direction in DIRECTIONS else "asc"
    search = search.strip()[:200]
    # A respondent's organisation is not theirs to survey: the workspace shows them the assessments they answer.
    mine = [Membership.user_id == user.id, Membership.role.in_([r for r in Role if r.sees_organisation])]
    if search:  # autoescape: a % or _ typed in the search box is a character, not a wildcard
        mine.append(Organisation.name.icontains(search, autoescape=True))
    total = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(Membership)
        .join(Organisation, Organisation.id == Membership.organisation_id)
        .where(*mine)
    )
    pages = max(1, -(-total // per_page))
    page = min(max(page, 1), pages)
    rows = db.session.execute(
        _portfolio_page(user, mine, sort, direction).limit(per_page).offset((page - 1) * per_page)
    ).all()
    return Portfolio(
        rows=[_portfolio_row(r) for r in rows],
        total=total,
        page=page,
        pages=pages,
        per_page=per_page,
        search=search,
        sort=sort,
        direction=direction,
    )


def _portfolio_page(user: User, mine: list, sort: str, direction: str) -> sa.Select:
    """The caller's organisations matching `mine`, each with its latest completed assessment in brief and its
    newest one in progress, in `sort` order."""

    # Per organisation, correlated subqueries that are each one index seek on (organisation_id, started_at): the
    # latest completed assessment, the readiness of the completed one before it, the newest in progress, the
    # latest activity on any and how many there are. (Window functions over the joined assessments read the
    # same, but sort every assessment row three times.)
    def of_organisation(*columns):
        return sa.select(*columns).where(Assessment.organisation_id == Organisation.id).correlate(Organisation)

    newest_first = (Assessment.started_at.desc(), Assessment.id.desc())
    is_completed = Assessment.status == AssessmentStatus.COMPLETED
    completed_id = of_organisation(Assessment.id).where(is_completed).order_by(*newest_first).limit(1)
    previous_readiness = (
        of_organisation(Assessment.readiness).where(is_completed).order_by(*newest_first).limit(1).offset(1)
    )
    ongoing_id = (
        of_organisation(Assessment.id)
        .where(Assessment.status == AssessmentStatus.IN_PROGRESS)
        .order_by(*newest_first)
        .limit(1)
    )
    latest = aliased(Assessment, name="latest")
    ongoing = aliased(Assessment, name="ongoing")
    # As on the results page: a member who does not manage and answers the assessment in progress as a
    # respondent sees none of its figures while it is in progress, not even how far it is. (A completed one is
    # shown to them, as its results page is.)
    sealed = sa.and_(
        Membership.role.not_in([r for r in Role if r.can_manage]),
        ongoing.has_respondents,
        sa.exists().where(Respondent.assessment_id == ongoing.id, Respondent.user_id == user.id),
    )
    answered = (
        sa.select(sa.func.count(Answer.id))
        .where(Answer.assessment_id == ongoing.id, Answer.value.is_not(None), Answer.to_confirm.is_(False))
        .correlate(ongoing)
        .scalar_subquery()
    )
    last_activity = of_organisation(sa.func.max(Assessment.last_activity_at)).scalar_subquery().label("last_activity")
    key = {
        "name": sa.func.lower(Organisation.name),
        "readiness": latest.readiness,
        "open_majors": latest.open_majors,
        "last_activity": last_activity,
    }[sort]
    ordered = key.asc() if direction == "asc" else key.desc()
    return (
        sa.select(
            Organisation.id.label("organisation_id"),
            Organisation.name,
            Membership.role,
            of_organisation(sa.func.count(Assessment.id)).scalar_subquery().label("assessments"),
            latest.id.label("assessment_id"),
            latest.title,
            latest.verdict,
            latest.readiness,
            latest.open_majors,
            (latest.readiness - previous_readiness.scalar_subquery()).label("trend"),
            last_activity,
            ongoing.id.label("in_progress_id"),
            ongoing.title.label("in_progress_title"),
            sa.case((sealed, sa.null()), else_=answered).label("in_progress_answered"),
            sa.case((sealed, sa.true()), else_=sa.false()).label("sealed"),
        )
        .select_from(Membership)
        .join(Organisation, Organisation.id == Membership.organisation_id)
        .outerjoin(latest, latest.id == completed_id.scalar_subquery())
        .outerjoin(ongoing, ongoing.id == ongoing_id.scalar_subquery())
        .where(*mine)
        # Organisations without a completed assessment go last both ways; then by name, then id, so pages never
        # overlap.
        .order_by(sa.nulls_last(ordered), sa.func.lower(Organisation.name), Organisation.id)
    )


def _portfolio_row(r: sa.Row) -> PortfolioRow:
    return PortfolioRow(
        organisation_id=r.organisation_id,
        name=r.name,
        role=r.role,
        assessments=r.assessments or 0,
        assessment_id=r.assessment_id,
        assessment_title=r.title or "",
        verdict=r.verdict,
        readiness=r.readiness,
        open_majors=r.open_majors,
        trend=r.trend,
        last_activity_at=r.last_activity,
        in_progress_id=r.in_progress_id,
        in_progress_title=r.in_progress_title or "",
        in_progress_answered=r.in_progress_answered,
        sealed=bool(r.in_progress_id and r.sealed),
    )
