"""SQLAlchemy models: accounts, organisations, assessments and everything that hangs off them."""

from .accounts import ApiToken, Invitation, LoginFailure, Membership, Organisation, Role, User, WebSession
from .assessments import (
    ActionStatus,
    Answer,
    AnswerRevision,
    Assessment,
    AssessmentStatus,
    EvaluationSnapshot,
    PlanAction,
)
from .chat import ChatMessage

__all__ = [
    "ActionStatus",
    "Answer",
    "AnswerRevision",
    "ApiToken",
    "Assessment",
    "AssessmentStatus",
    "ChatMessage",
    "EvaluationSnapshot",
    "Invitation",
    "LoginFailure",
    "Membership",
    "Organisation",
    "PlanAction",
    "Role",
    "User",
    "WebSession",
]
