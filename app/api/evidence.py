"""Evidence on answers and plan actions: add a file (multipart) or a link (JSON), list, download, delete.

A file's bytes come back as an attachment with the type read from its content when it was added, never sniffed by
the browser. A link has no bytes: asking for them is a 404 that says so (its address is in the list)."""

from __future__ import annotations

from flask import current_app, request
from flask.views import MethodView
from flask_smorest import abort

from ..evidence_files.checks import ACCEPTED_TYPES
from ..evidence_pages.download import attachment_of
from ..request_checks import takes_uploads
from ..schemas.evidence import EvidenceFileSchema, EvidenceLinkSchema, EvidenceRecordSchema
from ..services import evidence
from ..services.errors import Invalid
from ..services.evidence import Subject
from .auth import caller, resource_blueprint
from .document import refused

blp = resource_blueprint("evidence_api", __name__, "Evidence files and links on answers and plan actions")

ADD_BODY = {
    "required": True,
    "content": {
        "multipart/form-data": {"schema": EvidenceFileSchema},
        "application/json": {"schema": EvidenceLinkSchema},
    },
}
DOWNLOAD_RESPONSE = {
    "200": {
        "description": "The file's bytes as an attachment, in the type read from its content when it was added",
        "headers": {
            "Content-Disposition": {"schema": {"type": "string"}, "description": "attachment; its sanitised name"},
            "X-Content-SHA256": {"schema": {"type": "string"}, "description": "The SHA-256 of the bytes, hex"},
        },
        "content": {kind: {"schema": {"type": "string", "contentMediaType": kind}} for kind in ACCEPTED_TYPES},
    }
}


def sent_evidence(user, assessment_id: int, subject: Subject):
    """A file from a multipart body, or a link from a JSON one."""
    if request.mimetype == "multipart/form-data":
        upload = request.files.get("file")
        title = request.form.get("title", "")
        if upload is None:
            raise Invalid("send the file in the field 'file'", {"file": ["missing"]})
        limit = current_app.config["EVIDENCE_MAX_BYTES"]
        data = upload.read(limit + 1)  # one byte more than allowed is enough to refuse it with its size
        return evidence.add_file(user, assessment_id, subject, data, upload.filename or "", title)
    if request.is_json:
        body = blp.ARGUMENTS_PARSER.parse(EvidenceLinkSchema(), request, location="json")
        return evidence.add_link(user, assessment_id, subject, body["url"], body["title"])
    abort(415, message='send a file as multipart/form-data (field "file"), or a link as JSON {"url", "title"}')


ANSWER = "/assessments/<int:assessment_id>/answers/<question_id>/evidence"
ACTION = "/assessments/<int:assessment_id>/plan/<action_id>/evidence"


@blp.route(ANSWER)
class AnswerEvidence(MethodView):
    @blp.response(200, EvidenceRecordSchema(many=True))
    def get(self, assessment_id: int, question_id: str):
        """The live evidence on an answer, oldest first"""
        return evidence.listed(caller(), assessment_id, Subject.answer(question_id))

    @blp.doc(requestBody=ADD_BODY)
    @blp.response(201, EvidenceRecordSchema)
    @refused(blp, 409, "The assessment is completed")
    @refused(blp, 415, "The body is neither multipart/form-data nor JSON")
    @takes_uploads
    def post(self, assessment_id: int, question_id: str):
        """Add a file (multipart/form-data: file, title) or a link (JSON: url, title) to an answer; a file that is
        empty, too large or not a kind taken as evidence is refused with a 422 that says which"""
        return sent_evidence(caller(), assessment_id, Subject.answer(question_id))


@blp.route(ANSWER + "/<int:evidence_id>")
class AnswerEvidenceItem(MethodView):
    @blp.doc(responses=DOWNLOAD_RESPONSE)
    def get(self, assessment_id: int, question_id: str, evidence_id: int):
        """The bytes of an evidence file, as an attachment (nosniff, with its SHA-256); a link has no bytes: 404,
        its address is in the list"""
        return attachment_of(evidence.one(caller(), assessment_id, Subject.answer(question_id), evidence_id))

    @blp.response(204)
    @refused(blp, 409, "The assessment is completed")
    def delete(self, assessment_id: int, question_id: str, evidence_id: int):
        """Delete evidence: it no longer shows or counts; who deleted it and when is kept"""
        evidence.delete(caller(), assessment_id, Subject.answer(question_id), evidence_id)


@blp.route(ACTION)
class ActionEvidence(MethodView):
    @blp.response(200, EvidenceRecordSchema(many=True))
    def get(self, assessment_id: int, action_id: str):
        """The live evidence that a plan action is done, oldest first"""
        return evidence.listed(caller(), assessment_id, Subject.action(action_id))

    @blp.doc(requestBody=ADD_BODY)
    @blp.response(201, EvidenceRecordSchema)
    @refused(blp, 409, "The assessment is completed")
    @refused(blp, 415, "The body is neither multipart/form-data nor JSON")
    @takes_uploads
    def post(self, assessment_id: int, action_id: str):
        """Add a file (multipart/form-data: file, title) or a link (JSON: url, title) to a plan action; refused
        files as for answers"""
        return sent_evidence(caller(), assessment_id, Subject.action(action_id))


@blp.route(ACTION + "/<int:evidence_id>")
class ActionEvidenceItem(MethodView):
    @blp.doc(responses=DOWNLOAD_RESPONSE)
    def get(self, assessment_id: int, action_id: str, evidence_id: int):
        """The bytes of an evidence file of a plan action, as for answers"""
        return attachment_of(evidence.one(caller(), assessment_id, Subject.action(action_id), evidence_id))

    @blp.response(204)
    @refused(blp, 409, "The assessment is completed")
    def delete(self, assessment_id: int, action_id: str, evidence_id: int):
        """Delete evidence of a plan action; who deleted it and when is kept"""
        evidence.delete(caller(), assessment_id, Subject.action(action_id), evidence_id)
