"""Respondents of an assessment, their own answers, and the consolidation of their answers."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from ..knowledge.answers import MAX_NOTE
from ..models import InvitationState
from .common import email_address, non_blank
from .organisations import DeliverySchema, StrictBoolean


class RespondentSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    sections = fields.List(fields.String(), metadata={"description": "Section ids; empty: the whole interview"})
    answering = fields.Boolean(metadata={"description": "False until the invitation link has been used"})
    answers = fields.Integer(metadata={"description": "How many questions this respondent has answered"})
    invitation_id = fields.Integer(
        allow_none=True,
        metadata={"description": "Revoke with POST /organisations/{id}/invitations/{invitation_id}/revoke"},
    )
    invitation_state = fields.String(
        allow_none=True,
        validate=validate.OneOf([s.value for s in InvitationState]),
        metadata={"description": "Null: answering without an invitation (they answered before respondents were asked)"},
    )


class RespondentCreateSchema(Schema):
    email = email_address()
    name = fields.String(load_default="", validate=validate.Length(max=200))
    sections = fields.List(
        fields.String(validate=validate.Length(min=1, max=64)),
        load_default=list,
        metadata={"description": "Section ids of the assessment's questionnaire; none: the whole interview"},
    )
    anyone_with_link = StrictBoolean(
        load_default=False,
        metadata={"description": "False (default): only the invited e-mail's account can use the link"},
    )


class InvitedRespondentSchema(DeliverySchema):
    respondent = fields.Nested(RespondentSchema)
    invitation_url = fields.String(metadata={"description": "One-time link, shown only in this response"})


class RespondentAnswerSchema(Schema):
    question_id = fields.String()
    value = fields.Raw()
    note = fields.String()
    evidence = fields.String()
    answered_at = fields.DateTime()
    version = fields.Integer()


class SplitSchema(Schema):
    answer = fields.String(metadata={"description": "The answer's label"})
    count = fields.Integer()
    respondents = fields.List(fields.String(), metadata={"description": "Only when names are shown"})


class ResolutionSchema(Schema):
    value = fields.Raw()
    note = fields.String()
    resolved_at = fields.DateTime()


class ConsensusSchema(Schema):
    question = fields.String()
    status = fields.String(validate=validate.OneOf(["single", "agreed", "disputed", "resolved"]))
    strength = fields.Integer(metadata={"description": "0 aligned, 1 differing, 2 contradicting"})
    value = fields.Raw(metadata={"description": "The answer that counts"})
    respondents = fields.Integer()
    split = fields.List(fields.Nested(SplitSchema))
    resolution = fields.Nested(ResolutionSchema, allow_none=True)


class AlignmentSchema(Schema):
    compared = fields.Integer(metadata={"description": "Questions two or more respondents answered"})
    agreed = fields.Integer()
    contradicted = fields.Integer()
    score = fields.Integer(allow_none=True, metadata={"description": "Percentage agreed"})


class ConsolidationSchema(Schema):
    show_names = fields.Boolean()
    alignment = fields.Nested(AlignmentSchema)
    clauses = fields.Dict(keys=fields.String(), values=fields.Nested(AlignmentSchema))
    questions = fields.List(fields.Nested(ConsensusSchema))


class ResolveSchema(Schema):
    value = fields.Raw(required=True, allow_none=False, metadata={"description": "One of the answers given"})
    note = fields.String(
        required=True,
        validate=non_blank(MAX_NOTE, "say why this answer counts"),
        metadata={"description": "Why it counts"},
    )
