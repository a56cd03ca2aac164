"""Plan actions: the evaluated plan with each action's status, owner, due date and notes."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from ..models import ActionStatus
from .answers import version_field

STATUSES = [s.value for s in ActionStatus]


class PlanItemSchema(Schema):
    """Documents services.assessments.plan_of; the API passes each item through whole."""

    rank = fields.Integer()
    id = fields.String()
    title = fields.String()
    phase = fields.String()
    kind = fields.String()
    clauses = fields.List(fields.String())
    closes = fields.List(fields.String(), metadata={"description": "The findings this action closes"})
    effort = fields.String()
    lead_time = fields.Boolean()
    depends_on = fields.List(fields.String())
    why = fields.String()
    status = fields.String(validate=validate.OneOf(STATUSES))
    owner = fields.String()
    due_date = fields.Date(allow_none=True)
    notes = fields.String()
    version = fields.Integer(metadata={"description": "0 until the action is first changed"})


class PlanActionSchema(Schema):
    """What PATCH changed: the tracking of one action."""

    id = fields.String(attribute="action_id")
    title = fields.String()
    status = fields.Enum(ActionStatus, by_value=True)
    owner = fields.String()
    due_date = fields.Date(allow_none=True)
    notes = fields.String()
    version = fields.Integer()


class PlanActionPatchSchema(Schema):
    status = fields.String(validate=validate.OneOf(STATUSES))
    owner = fields.String(validate=validate.Length(max=200))
    due_date = fields.Date(allow_none=True)
    notes = fields.String(validate=validate.Length(max=4000))
    version = version_field()
