"""A repository scan's document (clausewise evidence scan --format json), sent to an assessment, and the
proposals it left there. Which values a question takes is checked by the service against the question model."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from ..evidence_scan.proposals import MAX_EVIDENCE, MAX_PATH, MAX_PROPOSALS, MAX_TEXT
from .common import non_blank

COMMIT = "^([0-9a-f]{40}|[0-9a-f]{64})$"


def _commit(**kwargs) -> fields.String:
    return fields.String(
        validate=validate.Regexp(COMMIT, error="expected a full commit id (40 or 64 lowercase hex digits)"),
        metadata={"description": "The commit the file was read at"},
        **kwargs,
    )


class EvidenceSchema(Schema):
    path = fields.String(
        required=True, validate=non_blank(MAX_PATH), metadata={"description": "A path in the repository"}
    )
    commit = _commit(required=True)


class ProposalInSchema(Schema):
    question = fields.String(required=True, validate=non_blank(64), metadata={"description": "A question id"})
    value = fields.Raw(required=True, metadata={"description": "A value the question accepts"})
    why = fields.String(required=True, validate=non_blank(MAX_TEXT), metadata={"description": "Why, in plain words"})
    evidence = fields.List(fields.Nested(EvidenceSchema), load_default=list, validate=validate.Length(max=MAX_EVIDENCE))


class ScanSchema(Schema):
    repository = fields.String(required=True, validate=non_blank(500))
    commit = _commit(required=True)
    proposals = fields.List(fields.Nested(ProposalInSchema), required=True, validate=validate.Length(max=MAX_PROPOSALS))
    not_visible = fields.List(
        fields.String(validate=non_blank(MAX_TEXT)),
        load_default=list,
        validate=validate.Length(max=MAX_PROPOSALS),
        metadata={"description": "What the scan could not see from a clone"},
    )


class OfferedEvidenceSchema(Schema):
    """A scan's file (path, commit), or the part of another certified system (clause, title, relation)."""

    path = fields.String()
    commit = fields.String()
    clause = fields.String(metadata={"description": "A clause or Annex A control of the other standard"})
    title = fields.String()
    relation = fields.String(metadata={"enum": ["covers", "partly_covers"]})


class ProposalSchema(Schema):
    id = fields.Integer()
    source = fields.String(
        metadata={"enum": ["scan", "iso27001"], "description": "A repository scan, or a declared ISO/IEC 27001 system"}
    )
    question = fields.String(attribute="question_id")
    value = fields.Raw()
    why = fields.String()
    evidence = fields.List(fields.Nested(OfferedEvidenceSchema))
    status = fields.String(
        metadata={"enum": ["pending", "confirmed", "rejected", "superseded"], "description": "Counts once confirmed"}
    )
    repository = fields.String(attribute="scan.repository")
    commit = fields.String(attribute="scan.commit")
    decided_at = fields.DateTime(allow_none=True)


class TakenScanSchema(Schema):
    repository = fields.String(attribute="scan.repository")
    commit = fields.String(attribute="scan.commit")
    not_visible = fields.List(fields.String(), attribute="scan.not_visible")
    proposals = fields.List(fields.Nested(ProposalSchema))
    not_asked = fields.List(
        fields.String(), metadata={"description": "Questions the scan answers that this questionnaire does not ask"}
    )
