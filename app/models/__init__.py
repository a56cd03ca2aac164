"""SQLAlchemy models: accounts, organisations, assessments and everything that hangs off them."""

from .accounts import (
    ApiToken,
    Invitation,
    InvitationState,
    LoginFailure,
    Membership,
    Organisation,
    Role,
    User,
    WebSession,
)
from .assessments import (
    ActionStatus,
    Answer,
    AnswerRevision,
    Assessment,
    AssessmentStatus,
    EvaluationSnapshot,
    PlanAction,
)
from .chat import ChatMessage, MessageKind
from .respondents import AnswerResolution, Respondent, RespondentAnswer

__all__ = [
    "ActionStatus",
    "Answer",
    "AnswerResolution",
    "AnswerRevision",
    "ApiToken",
    "Assessment",
    "AssessmentStatus",
    "ChatMessage",
    "EvaluationSnapshot",
    "Invitation",
    "InvitationState",
    "LoginFailure",
    "Membership",
    "MessageKind",
    "Organisation",
    "PlanAction",
    "Respondent",
    "RespondentAnswer",
    "Role",
    "User",
    "WebSession",
]
