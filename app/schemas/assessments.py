"""Assessments: one run of a questionnaire for one organisation, and the comparison of two of them."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from ..models import AssessmentStatus
from ..request_checks import MAX_ID
from .users import UserRefSchema


class AssessmentSchema(Schema):
    id = fields.Integer()
    organisation_id = fields.Integer()
    title = fields.String()
    status = fields.Enum(AssessmentStatus, by_value=True)
    questionnaire = fields.String(attribute="questionnaire_id")
    questionnaire_version = fields.Integer(metadata={"description": "The questionnaire's version when started"})
    edition = fields.String(
        metadata={"description": "The edition of the standard (catalogue id) every clause of its report is in"}
    )
    kb_version = fields.String(metadata={"description": "The knowledge base's version when started"})
    version = fields.Integer(metadata={"description": "Changes whenever the assessment itself changes"})
    repeats_id = fields.Integer(allow_none=True, metadata={"description": "The assessment this one repeats"})
    started_by = fields.Nested(UserRefSchema, allow_none=True)
    started_at = fields.DateTime()
    completed_at = fields.DateTime(allow_none=True)


class ReopeningSchema(Schema):
    revision = fields.Integer(metadata={"description": "The frozen report kept: 1 for the first completion's"})
    reopened_by = fields.Nested(UserRefSchema, allow_none=True)
    reopened_at = fields.DateTime()
    completed_at = fields.DateTime(allow_none=True, metadata={"description": "When the kept report was frozen"})
    kb_version = fields.String(metadata={"description": "The knowledge base the kept report was worked out with"})


class AssessmentDetailSchema(AssessmentSchema):
    """Dumped from {"assessment": ..., "answer_count": ...}: counting answers takes a query, so lists leave it out."""

    answer_count = fields.Integer(metadata={"description": "Questions with a current answer"})
    reopenings = fields.List(
        fields.Nested(ReopeningSchema), metadata={"description": "Each time it was reopened after completion"}
    )

    def get_attribute(self, obj, attr, default):
        if attr == "answer_count":
            return obj["answer_count"]
        return super().get_attribute(obj["assessment"], attr, default)


class AssessmentCreateSchema(Schema):
    questionnaire = fields.String(
        required=True, validate=validate.Length(min=1, max=64), metadata={"description": "A questionnaire id"}
    )
    title = fields.String(load_default="", validate=validate.Length(max=200))
    edition = fields.String(
        load_default=None,
        validate=validate.Length(min=1, max=32),
        metadata={
            "description": "A catalogue id (default: the organisation's default edition, else the newest published one)"
        },
    )


class CompareQuerySchema(Schema):
    a = fields.Integer(
        required=True, validate=validate.Range(min=0, max=MAX_ID), metadata={"description": "An assessment id"}
    )
    b = fields.Integer(
        required=True,
        validate=validate.Range(min=0, max=MAX_ID),
        metadata={"description": "Another assessment of the same organisation"},
    )


class ChangeSchema(Schema):
    before = fields.Integer(allow_none=True)
    after = fields.Integer(allow_none=True)


class ClauseChangeSchema(ChangeSchema):
    delta = fields.Integer(allow_none=True, metadata={"description": "after - before; null unless both are scored"})


class ComparedAssessmentSchema(Schema):
    id = fields.Integer()
    started_at = fields.DateTime()
    kb_version = fields.String(metadata={"description": "The knowledge base its evaluation used"})


class FindingChangesSchema(Schema):
    # Each finding as the evaluation report has it (see ReportSchema.findings).
    resolved = fields.List(fields.Dict(), metadata={"description": "Raised before, not any more"})
    new = fields.List(fields.Dict(), metadata={"description": "Not raised before"})
    regressed = fields.List(fields.Dict(), metadata={"description": "New, on a clause whose readiness dropped"})
    persisting = fields.List(fields.Dict(), metadata={"description": "Raised both times"})


class DoneButPersistingSchema(Schema):
    action = fields.String(metadata={"description": "A plan action marked done"})
    findings = fields.List(fields.String(), metadata={"description": "Findings it closes that are still raised"})


class AlignmentChangeSchema(Schema):
    overall = fields.Nested(ChangeSchema)
    clauses = fields.Dict(keys=fields.String(), values=fields.Nested(ChangeSchema))


class ComparisonSchema(Schema):
    """Dumps planning.comparison.Comparison."""

    before = fields.Nested(ComparedAssessmentSchema, metadata={"description": "The earlier assessment"})
    after = fields.Nested(ComparedAssessmentSchema, metadata={"description": "The later assessment"})
    overall = fields.Nested(ChangeSchema, metadata={"description": "Overall readiness before and after"})
    clauses = fields.Dict(
        keys=fields.String(),
        values=fields.Nested(ClauseChangeSchema),
        metadata={"description": "Readiness per clause of the later assessment: before, after, delta"},
    )
    findings = fields.Nested(FindingChangesSchema)
    done_but_persisting = fields.List(
        fields.Nested(DoneButPersistingSchema), metadata={"description": "Actions marked done whose findings remain"}
    )
    alignment = fields.Nested(
        AlignmentChangeSchema,
        allow_none=True,
        metadata={
            "description": "With several respondents: percentage of questions they agreed on, before and after, "
            "overall and per clause; null when neither assessment had several respondents"
        },
    )
    notes = fields.List(fields.String())
