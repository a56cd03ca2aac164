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
    Reopening,
)
from .chat import ChatMessage, MessageKind
from .evidence import Evidence, EvidenceKind
from .proposals import ProposalStatus, RepositoryScan, ScanProposal
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
    "Evidence",
    "EvidenceKind",
    "Invitation",
    "InvitationState",
    "LoginFailure",
    "Membership",
    "MessageKind",
    "Organisation",
    "PlanAction",
    "ProposalStatus",
    "Reopening",
    "RepositoryScan",
    "Respondent",
    "RespondentAnswer",
    "ScanProposal",
    "Role",
    "User",
    "WebSession",
]
