"""Evidence on an answer or a plan action: a file (multipart) or a link (JSON) sent in, and the record sent back."""

from __future__ import annotations

from flask import url_for
from marshmallow import Schema, fields, validate

from ..services.evidence import MAX_TITLE, MAX_URL

URL_PATTERN = "^[Hh][Tt][Tt][Pp][Ss]?://[^\\u0000]+$"


def download_url(item) -> str | None:
    """Where the API serves the bytes of a file; None for links and repository references."""
    if item.kind.value != "file":
        return None
    if item.question_id is not None:
        return url_for(
            "evidence_api.AnswerEvidenceItem",
            assessment_id=item.assessment_id,
            question_id=item.question_id,
            evidence_id=item.id,
        )
    return url_for(
        "evidence_api.ActionEvidenceItem",
        assessment_id=item.assessment_id,
        action_id=item.action_id,
        evidence_id=item.id,
    )


class EvidenceLinkSchema(Schema):
    url = fields.String(
        required=True,
        validate=[validate.Length(max=MAX_URL), validate.Regexp(URL_PATTERN, error="not an http(s) address")],
        metadata={"description": "A full http:// or https:// address of where the record lives"},
    )
    title = fields.String(
        load_default="", validate=validate.Length(max=MAX_TITLE), metadata={"description": "Default: the address"}
    )


class EvidenceFileSchema(Schema):
    """Only for the OpenAPI document: the multipart body is read by the view, which checks the file's content."""

    file = fields.Raw(
        required=True,
        metadata={
            # OpenAPI 3.1's way to say "a file" (format: binary is 3.0's).
            "type": "string",
            "contentMediaType": "application/octet-stream",
            "description": "PDF, PNG, JPEG, text, Markdown, CSV, JSON, YAML or an office document, at most "
            "EVIDENCE_MAX_BYTES (20 MB by default); its type is read from its content, not its name",
        },
    )
    title = fields.String(validate=validate.Length(max=MAX_TITLE), metadata={"description": "Default: the file name"})


class EvidenceRecordSchema(Schema):
    id = fields.Integer(required=True)
    kind = fields.Function(
        lambda item: item.kind.value,
        required=True,
        metadata={"type": "string", "enum": ["file", "link", "reference"]},
    )
    title = fields.String(required=True)
    filename = fields.String(allow_none=True, metadata={"description": "The sanitised file name (files)"})
    content_type = fields.String(allow_none=True, metadata={"description": "Read from the content (files)"})
    size = fields.Integer(allow_none=True, metadata={"description": "In bytes (files)"})
    sha256 = fields.String(allow_none=True, metadata={"description": "Of the bytes, hex (files)"})
    url = fields.String(allow_none=True, metadata={"description": "The address (links)"})
    to_confirm = fields.Boolean(
        required=True, metadata={"description": "Carried over by a repeat; backs the answer once confirmed again"}
    )
    added_by = fields.Function(
        lambda item: item.added_by.display_name if item.added_by else None,
        allow_none=True,
        metadata={"type": "string", "description": "Who added it (name, else e-mail)"},
    )
    added_at = fields.DateTime(required=True)
    download = fields.Function(
        download_url,
        allow_none=True,
        metadata={"type": "string", "description": "Where the API serves its bytes (files)"},
    )
