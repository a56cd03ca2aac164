"""Evidence on an assessment: files, links and repository references that back an answer or show a plan action done.

Every read and write goes through tenancy like the answers it backs: whoever may see the assessment may read its
evidence, whoever may answer may add or delete it, and only while the assessment is open. The bytes are stored
first, under their SHA-256 (writing the same file twice stores it once), and the row afterwards: a failure between
the two leaves an unreferenced blob, never a row without its file. Deleting records who and when and keeps the row.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import current_app

from ..evidence_files import Refused, accepted
from ..extensions import db, evidence_storage, knowledge_base
from ..models import Assessment, Evidence, EvidenceKind, User
from ..models.base import utcnow
from . import answers, tenancy
from .errors import Invalid, NotFound

MAX_TITLE = 300
MAX_URL = 2000


class NoSuchEvidence(NotFound):
    """No such (live) evidence on this answer or action of an assessment the caller may see."""


@dataclass(frozen=True)
class Subject:
    """What a piece of evidence backs: one question's answer or one plan action."""

    question_id: str | None = None
    action_id: str | None = None

    @classmethod
    def answer(cls, question_id: str) -> Subject:
        return cls(question_id=question_id)

    @classmethod
    def action(cls, action_id: str) -> Subject:
        return cls(action_id=action_id)

    def where(self):
        if self.question_id is not None:
            return Evidence.question_id == self.question_id
        return Evidence.action_id == self.action_id


def add_file(user: User, assessment_id: int, subject: Subject, data: bytes, name: str, title: str = "") -> Evidence:
    assessment = _writable(user, assessment_id, subject)
    try:
        checked = accepted(data, name, current_app.config["EVIDENCE_MAX_BYTES"])
    except Refused as refused:
        raise Invalid(str(refused), {"file": [str(refused)]}) from None
    digest = evidence_storage().put(data)
    return _added(
        user,
        assessment,
        subject,
        kind=EvidenceKind.FILE,
        title=_title(title) or checked.filename,
        filename=checked.filename,
        content_type=checked.content_type,
        size=checked.size,
        sha256=digest,
    )


def add_link(user: User, assessment_id: int, subject: Subject, url: str, title: str = "") -> Evidence:
    assessment = _writable(user, assessment_id, subject)
    url = _checked_url(url)
    return _added(user, assessment, subject, kind=EvidenceKind.LINK, title=_title(title) or url, url=url)


def add_reference(user: User, assessment: Assessment, question_id: str, repository: str, path: str, commit: str):
    """A file of the team's repository at a commit, from a confirmed scan proposal (the caller has checked access
    and commits). Not added twice for the same file at the same commit."""
    title = f"{path} in {repository} at commit {commit[:12]}"[:MAX_TITLE]
    existing = db.session.scalar(
        sa.select(Evidence.id).where(
            Evidence.assessment_id == assessment.id,
            Evidence.question_id == question_id,
            Evidence.kind == EvidenceKind.REFERENCE,
            Evidence.title == title,
            Evidence.deleted_at.is_(None),
        )
    )
    if existing is None:
        subject = Subject.answer(question_id)
        _added(user, assessment, subject, kind=EvidenceKind.REFERENCE, title=title, filename=path[:255], commit=False)


def listed(user: User, assessment_id: int, subject: Subject) -> list[Evidence]:
    """The live evidence on one answer or action, oldest first."""
    assessment = tenancy.assessment_for(user, assessment_id)
    _known(assessment, subject)
    return live_of(assessment, subject)


def one(user: User, assessment_id: int, subject: Subject, evidence_id: int) -> Evidence:
    assessment = tenancy.assessment_for(user, assessment_id)
    return _live_one(assessment, subject, evidence_id)


def content(item: Evidence) -> bytes:
    if item.kind is not EvidenceKind.FILE or item.sha256 is None:
        raise NoSuchEvidence("this evidence is a link, not a file")
    return evidence_storage().get(item.sha256)


def delete(user: User, assessment_id: int, subject: Subject, evidence_id: int) -> Evidence:
    assessment = _writable(user, assessment_id, subject)
    item = _live_one(assessment, subject, evidence_id)
    item.deleted_at = utcnow()
    item.deleted_by_id = user.id
    db.session.commit()
    return item


def confirm(user: User, assessment_id: int, subject: Subject, evidence_id: int) -> Evidence:
    """A carried-over record looked at again and found to hold for the answer as it is now."""
    assessment = _writable(user, assessment_id, subject)
    item = _live_one(assessment, subject, evidence_id)
    item.to_confirm = False
    db.session.commit()
    return item


def live_of(assessment: Assessment, subject: Subject | None = None) -> list[Evidence]:
    """The assessment's evidence that is not deleted (of one subject, or all), oldest first."""
    query = sa.select(Evidence).where(Evidence.assessment_id == assessment.id, Evidence.deleted_at.is_(None))
    if subject is not None:
        query = query.where(subject.where())
    return list(db.session.scalars(query.order_by(Evidence.added_at, Evidence.id)))


def backing(assessment: Assessment) -> dict[str, list[Evidence]]:
    """Per question, the evidence that backs its answer now: live and not waiting to be re-confirmed."""
    found: dict[str, list[Evidence]] = defaultdict(list)
    for item in live_of(assessment):
        if item.question_id is not None and not item.to_confirm:
            found[item.question_id].append(item)
    return dict(found)


def backed_questions(assessment: Assessment) -> frozenset[str]:
    """The questions whose answers evidence backs now (as `backing` has it), in one query that reads only their ids:
    every full evaluation asks for it."""
    query = sa.select(Evidence.question_id).where(
        Evidence.assessment_id == assessment.id,
        Evidence.deleted_at.is_(None),
        Evidence.question_id.is_not(None),
        Evidence.to_confirm.is_(False),
    )
    return frozenset(db.session.scalars(query.distinct()))


def carry_over(previous: Assessment, fresh: Assessment, carried_questions: set[str]) -> None:
    """Copy the live evidence of the answers a repeat carried over, to be re-confirmed with them, and of the plan
    actions (their evidence stays as it was: an action done stays done). The caller commits."""
    for item in live_of(previous):
        if item.question_id is not None and item.question_id not in carried_questions:
            continue
        db.session.add(
            Evidence(
                assessment_id=fresh.id,
                question_id=item.question_id,
                action_id=item.action_id,
                kind=item.kind,
                title=item.title,
                filename=item.filename,
                content_type=item.content_type,
                size=item.size,
                sha256=item.sha256,
                url=item.url,
                to_confirm=item.question_id is not None,
                carried_from_id=item.id,
                added_by_id=item.added_by_id,
                added_at=item.added_at,
            )
        )


def _writable(user: User, assessment_id: int, subject: Subject) -> Assessment:
    assessment = tenancy.assessment_for(user, assessment_id, answer=True)
    _known(assessment, subject)
    answers.require_open(assessment)
    return assessment


def _known(assessment: Assessment, subject: Subject) -> None:
    questionnaire = knowledge_base().questionnaire(assessment.questionnaire_id)
    if subject.question_id is not None:
        if not questionnaire.has_question(subject.question_id):
            raise NotFound(f"'{subject.question_id}' is not a question of this questionnaire")
    elif subject.action_id not in knowledge_base().ruleset_for(assessment.questionnaire_id).actions:
        raise NotFound(f"'{subject.action_id}' is not a plan action")


def _live_one(assessment: Assessment, subject: Subject, evidence_id: int) -> Evidence:
    item = db.session.get(Evidence, evidence_id)
    if (
        item is None
        or item.assessment_id != assessment.id
        or item.deleted_at is not None
        or item.question_id != subject.question_id
        or item.action_id != subject.action_id
    ):
        raise NoSuchEvidence("no such evidence here")
    return item


def _added(user: User, assessment: Assessment, subject: Subject, *, commit: bool = True, **fields) -> Evidence:
    item = Evidence(
        assessment_id=assessment.id,
        question_id=subject.question_id,
        action_id=subject.action_id,
        added_by_id=user.id,
        added_at=utcnow(),
        **fields,
    )
    db.session.add(item)
    if commit:
        db.session.commit()
    else:
        db.session.flush()
    return item


def _title(title: str | None) -> str:
    title = " ".join((title or "").split())
    if len(title) > MAX_TITLE:
        raise Invalid(f"the title is {len(title)} characters; at most {MAX_TITLE}", {"title": ["too long"]})
    return title


def _checked_url(url: str | None) -> str:
    url = (url or "").strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise Invalid("a link must be a full http:// or https:// address", {"url": ["not an http(s) address"]})
    if len(url) > MAX_URL:
        raise Invalid(f"the link is {len(url)} characters; at most {MAX_URL}", {"url": ["too long"]})
    return url
