"""Plan actions: the evaluated plan with each action's status, owner, due date and notes."""

from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from ..models import ActionStatus
from .answers import version_field
from .evaluation import RankedActionSchema

STATUSES = [s.value for s in ActionStatus]


class PlanItemSchema(RankedActionSchema):
    """Documents services.assessments.plan_of: each ranked action with its tracking; the API passes it through whole."""

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
    # A PATCH that changes nothing is a client's mistake (a lost body, a misspelt field): refused, not a no-op.
    # app/api/document.py documents it as anyOf.
    AT_LEAST_ONE_OF = ("status", "owner", "due_date", "notes")

    status = fields.String(validate=validate.OneOf(STATUSES))
    owner = fields.String(validate=validate.Length(max=200))
    due_date = fields.Date(allow_none=True)
    notes = fields.String(validate=validate.Length(max=4000))
    version = version_field()

    @validates_schema
    def _changes_something(self, data, **kwargs):
        if not any(name in data for name in self.AT_LEAST_ONE_OF):
            raise ValidationError(f"send at least one of {', '.join(self.AT_LEAST_ONE_OF)}")


PLAN_EXPORT_FORMATS = ["jira", "gitlab", "github", "calendar"]


class PlanExportQuerySchema(Schema):
    # A default rather than required: the tenancy check answers 404 for another organisation's plan first.
    format = fields.String(
        load_default="jira",
        validate=validate.OneOf(PLAN_EXPORT_FORMATS),
        metadata={
            "description": "jira (the default): CSV for Jira's importer; gitlab: CSV for GitLab's issue import; "
            "github: a JSON "
            "list of issues for `gh issue create`; calendar: the due dates as iCalendar"
        },
    )
