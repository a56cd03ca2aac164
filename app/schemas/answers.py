"""Answers with their history, and the bodies that change them."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from ..knowledge.answers import MAX_NOTE
from .common import WholeNumber
from .users import UserRefSchema


def version_field() -> fields.Integer:
    """The optimistic-concurrency check in a body: the same as an If-Match header."""
    return WholeNumber(
        validate=validate.Range(min=0),
        metadata={"description": "The version you last read (0: none yet); a stale one is refused with 409"},
    )


class RevisionSchema(Schema):
    version = fields.Integer()
    value = fields.Raw(allow_none=True, metadata={"description": "null: the answer was withdrawn"})
    note = fields.String()
    evidence = fields.String()
    answered_by = fields.Nested(UserRefSchema, allow_none=True)
    answered_at = fields.DateTime()


class AnswerSchema(RevisionSchema):
    question_id = fields.String()
    to_confirm = fields.Boolean(metadata={"description": "Copied from the repeated assessment, not yet confirmed"})
    history = fields.List(
        fields.Nested(RevisionSchema), attribute="revisions", metadata={"description": "Every earlier value"}
    )


class AnswerPutSchema(Schema):
    """PUT replaces the answer: a note or evidence left out is cleared (the earlier ones stay in the history)."""

    value = fields.Raw(
        required=True, allow_none=False, metadata={"description": "As the question's kind asks; null is refused"}
    )
    note = fields.String(validate=validate.Length(max=MAX_NOTE))
    evidence = fields.String(validate=validate.Length(max=MAX_NOTE))
    version = version_field()


class AnswersPutSchema(Schema):
    answers = fields.Dict(
        keys=fields.String(),
        values=fields.Nested(AnswerPutSchema),
        required=True,
        validate=validate.Length(min=1),
        metadata={"description": "By question id; saved all together or none at all"},
    )
