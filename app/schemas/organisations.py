"""Organisations, their members and invitations."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from ..models import InvitationState, Role
from .common import email_address, non_blank

# The roles an invitation to the organisation may give: a respondent's comes only with a place to answer one
# assessment (POST .../respondents).
ROLES = [r.value for r in Role.of_organisations()]


class OrganisationSchema(Schema):
    """Dumped from a membership (or a mapping with organisation and role): the role is the caller's."""

    id = fields.Integer(attribute="organisation.id")
    name = fields.String(attribute="organisation.name")
    created_at = fields.DateTime(attribute="organisation.created_at")
    default_edition = fields.String(
        attribute="organisation.default_edition",
        allow_none=True,
        metadata={"description": "The edition new assessments are read in; null: the newest published one"},
    )
    role = fields.Enum(Role, by_value=True, metadata={"description": "The caller's role in the organisation"})


class OrganisationCreateSchema(Schema):
    name = fields.String(required=True, validate=non_blank(200, "give the organisation a name"))


class OrganisationUpdateSchema(Schema):
    default_edition = fields.String(
        required=True,
        allow_none=True,
        validate=validate.Length(min=1, max=32),
        metadata={"description": "A catalogue id, or null for the newest published edition"},
    )


class MemberSchema(Schema):
    user_id = fields.Integer()
    name = fields.String(attribute="user.display_name")
    email = fields.String(attribute="user.email")
    role = fields.Enum(Role, by_value=True)
    joined_at = fields.DateTime(attribute="created_at")


class StrictBoolean(fields.Boolean):
    """true or false only: marshmallow's Boolean also takes 0, 1, "yes", "on"..., which the document does not."""

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, bool):
            raise self.make_error("invalid")
        return value


class InvitationCreateSchema(Schema):
    email = email_address()
    role = fields.String(required=True, validate=validate.OneOf(ROLES))
    anyone_with_link = StrictBoolean(
        load_default=False,
        metadata={"description": "False (default): only the invited e-mail's account can accept the invitation"},
    )


class DeliverySchema(Schema):
    """How the link reached the invited person; mixed into the responses that create an invitation."""

    emailed = fields.Boolean(metadata={"description": "True when the link was e-mailed (mail is configured)"})
    email_error = fields.String(
        allow_none=True,
        metadata={"description": "Why the e-mail could not be sent; the invitation is kept and the link works"},
    )


class InvitationSchema(DeliverySchema):
    """The link carries the one-time token: it is shown in this response only (only its hash is stored)."""

    id = fields.Integer()
    email = fields.String()
    role = fields.Enum(Role, by_value=True)
    anyone_with_link = fields.Boolean()
    expires_at = fields.DateTime()
    link = fields.Url()


class InvitationListedSchema(Schema):
    """An invitation as listed, with its state (never its link)."""

    id = fields.Integer()
    email = fields.String()
    role = fields.Enum(Role, by_value=True)
    anyone_with_link = fields.Boolean()
    state = fields.Enum(InvitationState, by_value=True)
    created_at = fields.DateTime()
    expires_at = fields.DateTime()
    accepted_at = fields.DateTime(attribute="used_at", allow_none=True)
    accepted_by_id = fields.Integer(attribute="used_by_id", allow_none=True, metadata={"description": "A user id"})
    revoked_at = fields.DateTime(allow_none=True)
