"""The demo workspace `make run` creates on an empty database: a consultant and two client organisations."""

from __future__ import annotations

import secrets
from datetime import timedelta

import sqlalchemy as sa

from ..config import PROJECT_ROOT
from ..extensions import db, knowledge_base
from ..knowledge.answer_file import parse_answer_file
from ..knowledge.rekey import default_edition
from ..models import Assessment, AssessmentStatus, EvaluationSnapshot, PlanAction, Role, User
from ..models.assessments import ActionStatus
from ..models.base import utcnow
from . import accounts, assessments, invitations, respondents
from .answers import add_checked
from .evaluation import refresh_summary

DEMO_EMAIL = "demo@clausewise.example"


def database_is_empty() -> bool:
    return db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 0


def create_demo_workspace() -> tuple[str, str]:
    """Returns the demo login (email, password); the password is random and shown only once."""
    password = secrets.token_urlsafe(12)
    consultant = accounts.create_user(DEMO_EMAIL, password, name="Demo Consultant")
    northwind = accounts.create_organisation(consultant, "Northwind Apps (demo)", Role.CONSULTANT)
    fjord = accounts.create_organisation(consultant, "Fjord Analytics (demo)", Role.CONSULTANT)
    now = utcnow()
    first = _assessment(consultant, northwind.id, "startup-scrum.yaml", "Gap analysis", now - timedelta(days=180))
    _complete(first, now - timedelta(days=175))
    db.session.add(
        PlanAction(
            assessment_id=first.id,
            action_id="determine-context-and-scope",
            title="Determine your context and interested parties, and write the scope",
            status=ActionStatus.DONE,
            owner="CTO",
        )
    )
    second = _assessment(
        consultant, northwind.id, "agency-documented.yaml", "Six months on", now - timedelta(days=10), repeats=first
    )
    _complete(second, now - timedelta(days=9))
    check = _assessment(consultant, fjord.id, "company-near-ready.yaml", "Pre-audit check", now - timedelta(days=2))
    db.session.commit()
    _second_opinions(consultant, check)
    return DEMO_EMAIL, password


# Two people at Fjord answer part of the pre-audit check themselves. The development lead confirms what the quality
# manager said; the tester has never seen an internal audit and does not know the policy: on the consolidation
# page that shows as contradictions, and in the results as awareness findings.
_SECOND_OPINIONS = {
    ("Development lead", "dev-lead@fjord.example"): {"internal_audit_held": "yes", "quality_policy": "yes"},
    ("Tester", "tester@fjord.example"): {"internal_audit_held": "dont_know", "quality_policy": "no"},
}


def _second_opinions(consultant: User, assessment: Assessment) -> None:
    for (name, email), answers in _SECOND_OPINIONS.items():
        _respondent, token = respondents.invite(consultant, assessment.id, email, name)
        person = accounts.create_user(email, secrets.token_urlsafe(16), name=name)
        invitations.accept_invitation(token, person)
        for question_id, value in answers.items():
            assessments.save_answer(person, assessment.id, question_id, value)


def _assessment(user, organisation_id, example, title, started, repeats=None) -> Assessment:
    parsed = parse_answer_file((PROJECT_ROOT / "examples" / example).read_text(), knowledge_base())
    questionnaire = knowledge_base().questionnaire(parsed.questionnaire)
    assessment = Assessment(
        organisation_id=organisation_id,
        questionnaire_id=questionnaire.id,
        questionnaire_version=questionnaire.version,
        edition=parsed.edition or default_edition(knowledge_base(), questionnaire.id),
        kb_version=knowledge_base().version,
        title=title,
        started_by_id=user.id,
        started_at=started,
        repeats_id=repeats.id if repeats else None,
    )
    db.session.add(assessment)
    db.session.flush()
    add_checked(assessment, user, parsed.answers, at=started)
    refresh_summary(assessment)
    assessment.last_activity_at = started
    return assessment


def _complete(assessment: Assessment, when) -> None:
    result = refresh_summary(assessment)
    assessment.snapshot = EvaluationSnapshot(kb_version=result.kb_version, result=result.to_dict(), created_at=when)
    assessment.status = AssessmentStatus.COMPLETED
    assessment.completed_at = when
    assessment.last_activity_at = when
