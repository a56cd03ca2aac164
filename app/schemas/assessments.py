"""Assessments: one run of a questionnaire for one organisation, and the comparison of two of them."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from ..models import AssessmentStatus
from .users import UserRefSchema


class AssessmentSchema(Schema):
    id = fields.Integer()
    organisation_id = fields.Integer()
    title = fields.String()
    status = fields.Enum(AssessmentStatus, by_value=True)
    questionnaire = fields.String(attribute="questionnaire_id")
    questionnaire_version = fields.Integer(metadata={"description": "The questionnaire's version when started"})
    kb_version = fields.String(metadata={"description": "The knowledge base's version when started"})
    version = fields.Integer(metadata={"description": "Changes whenever the assessment itself changes"})
    repeats_id = fields.Integer(allow_none=True, metadata={"description": "The assessment this one repeats"})
    started_by = fields.Nested(UserRefSchema, allow_none=True)
    started_at = fields.DateTime()
    completed_at = fields.DateTime(allow_none=True)


class AssessmentDetailSchema(AssessmentSchema):
    """Dumped from {"assessment": ..., "answer_count": ...}: counting answers takes a query, so lists leave it out."""

    answer_count = fields.Integer(metadata={"description": "Questions with a current answer"})

    def get_attribute(self, obj, attr, default):
        if attr == "answer_count":
            return obj["answer_count"]
        return super().get_attribute(obj["assessment"], attr, default)


class AssessmentCreateSchema(Schema):
    questionnaire = fields.String(required=True)
    title = fields.String(load_default="", validate=validate.Length(max=200))


class CompareQuerySchema(Schema):
    a = fields.Integer(required=True, metadata={"description": "An assessment id"})
    b = fields.Integer(required=True, metadata={"description": "Another assessment of the same organisation"})


class ComparisonSchema(Schema):
    """Documents services.comparison.compare; the API passes its result through whole."""

    before = fields.Dict(metadata={"description": "The earlier assessment: id, started_at, kb_version"})
    after = fields.Dict(metadata={"description": "The later assessment: id, started_at, kb_version"})
    overall = fields.Dict(metadata={"description": "Overall readiness before and after"})
    clauses = fields.Dict(metadata={"description": "Per clause: before, after, delta"})
    findings = fields.Dict(metadata={"description": "resolved, new, regressed and persisting findings"})
    done_but_persisting = fields.List(
        fields.Dict(), metadata={"description": "Actions marked done whose findings remain"}
    )
    alignment = fields.Dict(
        allow_none=True,
        metadata={
            "description": "With several respondents: percentage of questions they agreed on, before and after, "
            "overall and per clause; null when neither assessment had several respondents"
        },
    )
    notes = fields.List(fields.String())
