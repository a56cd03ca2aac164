"""Organisations, their members and invitations."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from ..models import Role
from .common import email_address, non_blank

# The roles an invitation to the organisation may give: a respondent's comes only with a place to answer one
# assessment (POST .../respondents).
ROLES = [r.value for r in Role.of_organisations()]


class OrganisationSchema(Schema):
    """Dumped from a membership (or a mapping with organisation and role): the role is the caller's."""

    id = fields.Integer(attribute="organisation.id")
    name = fields.String(attribute="organisation.name")
    created_at = fields.DateTime(attribute="organisation.created_at")
    role = fields.Enum(Role, by_value=True, metadata={"description": "The caller's role in the organisation"})


class OrganisationCreateSchema(Schema):
    name = fields.String(required=True, validate=non_blank(200, "give the organisation a name"))


class MemberSchema(Schema):
    user_id = fields.Integer()
    name = fields.String(attribute="user.display_name")
    email = fields.String(attribute="user.email")
    role = fields.Enum(Role, by_value=True)
    joined_at = fields.DateTime(attribute="created_at")


class InvitationCreateSchema(Schema):
    email = email_address()
    role = fields.String(required=True, validate=validate.OneOf(ROLES))


class InvitationSchema(Schema):
    """The link carries the one-time token: it is shown in this response only (only its hash is stored)."""

    id = fields.Integer()
    email = fields.String()
    role = fields.Enum(Role, by_value=True)
    expires_at = fields.DateTime()
    link = fields.Url()
