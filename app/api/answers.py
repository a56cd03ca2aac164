"""Answers of an assessment: read them with their history, change one or several at once."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import abort

from ..extensions import knowledge_base
from ..schemas.answers import AnswerPutSchema, AnswerSchema, AnswersPutSchema
from ..services import answers, assessments, tenancy
from .auth import caller, resource_blueprint
from .document import refused
from .versions import ETAG_HEADER, etag, expected_version, refuse_if_match

blp = resource_blueprint("answers", __name__, "Answers with their history; optimistic concurrency by version")


@blp.route("/assessments/<int:assessment_id>/answers")
class Answers(MethodView):
    @blp.response(200, AnswerSchema(many=True))
    def get(self, assessment_id: int):
        """Every current answer with its history, in questionnaire order (whole: at most one per question)"""
        found = tenancy.assessment_for(caller(), assessment_id)
        questions = knowledge_base().questionnaire(found.questionnaire_id).questions
        order = {q.id: i for i, q in enumerate(questions)}
        current = answers.answers_of(found).values()
        return sorted(current, key=lambda a: (order.get(a.question_id, len(order)), a.question_id))

    @blp.arguments(AnswersPutSchema)
    @blp.response(200, AnswerSchema(many=True))
    @refused(blp, 409, "A stale version, or the assessment is completed")
    def put(self, body, assessment_id: int):
        """Several answers at once, all saved or none; give each a version to refuse stale ones"""
        refuse_if_match("If-Match names one answer; send a version with each answer instead")
        return assessments.save_answers(caller(), assessment_id, body["answers"])


@blp.route("/assessments/<int:assessment_id>/answers/<question_id>")
class AnswerResource(MethodView):
    @blp.response(200, AnswerSchema, headers=ETAG_HEADER)
    def get(self, assessment_id: int, question_id: str):
        """One answer with its history; its ETag is its version"""
        found = tenancy.assessment_for(caller(), assessment_id)
        answer = answers.answers_of(found).get(question_id)
        if answer is None:
            abort(404, message=f"'{question_id}' has no answer in this assessment")
        return answer, etag(answer.version)

    @blp.arguments(AnswerPutSchema)
    @blp.response(200, AnswerSchema, headers=ETAG_HEADER)
    @refused(blp, 409, "A stale version, or the assessment is completed")
    def put(self, body, assessment_id: int, question_id: str):
        """Answer or re-answer a question; send If-Match (or version) to refuse a stale edit with 409"""
        saved = assessments.save_answer(
            caller(),
            assessment_id,
            question_id,
            body["value"],
            note=body.get("note", ""),  # PUT replaces the whole answer; the old note stays in the history
            evidence=body.get("evidence", ""),
            expected_version=expected_version(body.get("version")),
        )
        return saved.answer, etag(saved.answer.version)
