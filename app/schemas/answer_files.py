"""Answers files (the format of `clausewise assess`): sent to import, and given by export."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from ..knowledge.answer_file import MAX_FILE_CHARS


class ImportSchema(Schema):
    yaml = fields.String(
        required=True, validate=validate.Length(max=MAX_FILE_CHARS), metadata={"description": "The answers file"}
    )
    title = fields.String(load_default="", validate=validate.Length(max=200))


class OrganisationNameSchema(Schema):
    name = fields.String()


class AnswersFileSchema(Schema):
    """An answers file as YAML reads it (docs/knowledge-base.md, the end)."""

    questionnaire = fields.String(required=True, metadata={"description": "A questionnaire id"})
    edition = fields.String(
        metadata={"description": "The edition (catalogue id) the assessment is read in; default: the newest published"}
    )
    organisation = fields.Nested(OrganisationNameSchema)
    answers = fields.Dict(
        keys=fields.String(),
        values=fields.Raw(),
        metadata={"description": "By question id: the value, or {value, note, evidence}"},
    )
