"""Answers files in and out: the YAML format of `clausewise assess` (docs/knowledge-base.md, the end)."""

from __future__ import annotations

from flask import request
from flask.views import MethodView
from flask_smorest import abort

from ..exports.downloads import YAML, attachment, filename
from ..schemas.answer_files import AnswersFileSchema, ImportSchema
from ..schemas.assessments import AssessmentDetailSchema
from ..schemas.common import STORABLE
from ..services import assessments, exports
from .assessments import detail
from .auth import caller, resource_blueprint
from .document import refused

blp = resource_blueprint("answer_files", __name__, "Import and export answers files (YAML)")

YAML_TYPES = {"application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml", "text/plain"}
IMPORT_BODY = {
    "required": True,
    "content": {
        "application/yaml": {"schema": AnswersFileSchema},
        "application/json": {"schema": ImportSchema},
    },
}
TITLE_PARAMETER = {
    "in": "query",
    "name": "title",
    "schema": {"type": "string", "pattern": STORABLE},
    "description": "The new assessment's title (with a YAML body); cut to 200 characters",
}


@blp.route("/assessments/<int:assessment_id>/export")
class Export(MethodView):
    @blp.response(200, AnswersFileSchema, content_type="application/yaml", description="The answers file")
    def get(self, assessment_id: int):
        """The assessment's answers as an answers file; importing it gives back the same answers"""
        answers = exports.answers_file(caller(), assessment_id)
        return attachment(answers.text, YAML, filename(answers, "answers", "yaml"))


@blp.route("/organisations/<int:organisation_id>/import")
class Import(MethodView):
    @blp.doc(requestBody=IMPORT_BODY, parameters=[TITLE_PARAMETER])
    @blp.response(201, AssessmentDetailSchema)
    @refused(blp, 415, "The body is neither YAML nor JSON")
    def post(self, organisation_id: int):
        """A new assessment from an answers file, sent as YAML or as JSON {"yaml": ..., "title": ...}"""
        text, title = _answers_file()
        return detail(assessments.import_answers(caller(), organisation_id, text, title))


def _answers_file() -> tuple[str, str]:
    if request.mimetype in YAML_TYPES:
        return request.get_data(as_text=True), request.args.get("title", "")
    if not request.is_json:
        abort(415, message='send the answers file as application/yaml, or as JSON {"yaml": "..."}')
    body = blp.ARGUMENTS_PARSER.parse(ImportSchema(), request, location="json")
    return body["yaml"], body["title"]
