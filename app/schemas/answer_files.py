"""Answers files (the format of `clausewise assess`) sent to import."""

from __future__ import annotations

from marshmallow import Schema, fields, validate


class ImportSchema(Schema):
    yaml = fields.String(required=True, metadata={"description": "The answers file, as YAML text"})
    title = fields.String(load_default="", validate=validate.Length(max=200))
