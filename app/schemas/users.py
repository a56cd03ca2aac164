"""How the API names a user inside other resources: who answered, who started."""

from __future__ import annotations

from marshmallow import Schema, fields


class UserRefSchema(Schema):
    id = fields.Integer()
    name = fields.String(attribute="display_name", metadata={"description": "The user's name, or email when unnamed"})
