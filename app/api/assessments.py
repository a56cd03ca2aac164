"""Assessments: list and start them per organisation, read, complete, reopen, repeat and compare them."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Page

from ..models import Assessment
from ..schemas.assessments import (
    AssessmentCreateSchema,
    AssessmentDetailSchema,
    AssessmentSchema,
    CompareQuerySchema,
    ComparisonSchema,
)
from ..services import answers, assessments, comparison, completion, tenancy
from .auth import caller, resource_blueprint
from .document import refused

blp = resource_blueprint("assessments", __name__, "Assessments: start, read, complete, reopen, repeat and compare")


def detail(assessment: Assessment) -> dict:
    """What AssessmentDetailSchema dumps: the assessment and how many questions have an answer."""
    return {"assessment": assessment, "answer_count": len(answers.answers_of(assessment))}


@blp.route("/organisations/<int:organisation_id>/assessments")
class OrganisationAssessments(MethodView):
    @blp.response(200, AssessmentSchema(many=True))
    @blp.paginate(Page)
    def get(self, organisation_id: int):
        """The organisation's assessments, newest first"""
        return assessments.assessments_of(caller(), organisation_id)

    @blp.arguments(AssessmentCreateSchema)
    @blp.response(201, AssessmentDetailSchema)
    def post(self, body, organisation_id: int):
        """Start an assessment (owners and consultants)"""
        started = assessments.start_assessment(
            caller(), organisation_id, body["questionnaire"], body["title"], edition=body["edition"]
        )
        return detail(started)


@blp.route("/assessments/<int:assessment_id>")
class AssessmentResource(MethodView):
    @blp.response(200, AssessmentDetailSchema)
    def get(self, assessment_id: int):
        """One assessment: status, questionnaire, versions, what it repeats and how many answers it has"""
        return detail(tenancy.assessment_for(caller(), assessment_id))


@blp.route("/assessments/<int:assessment_id>/complete")
class Completion(MethodView):
    @blp.response(200, AssessmentDetailSchema)
    @refused(blp, 409, "The assessment is completed already")
    def post(self, assessment_id: int):
        """Complete an assessment: its evaluation is frozen and its answers can no longer change

        Completes at once, whatever is still unanswered: the web asks its user to confirm first, an API client
        has decided already (`answer_count` and the report's `unanswered` say what is left)."""
        return detail(assessments.complete_assessment(caller(), assessment_id))


@blp.route("/assessments/<int:assessment_id>/reopen")
class Reopen(MethodView):
    @blp.response(200, AssessmentDetailSchema)
    @refused(blp, 409, "The assessment is not completed")
    def post(self, assessment_id: int):
        """Reopen a completed assessment (owners and consultants): its frozen report is kept as a revision, the
        reopening is recorded (who, when) and the answers can change again until it is completed anew"""
        return detail(completion.reopen(caller(), assessment_id))


@blp.route("/assessments/<int:assessment_id>/repeat")
class Repetition(MethodView):
    @blp.response(201, AssessmentDetailSchema)
    def post(self, assessment_id: int):
        """Start the next assessment: answers copied and marked to confirm, plan actions carried over"""
        return detail(assessments.repeat_assessment(caller(), assessment_id))


@blp.route("/assessments/compare")
class Comparison(MethodView):
    @blp.arguments(CompareQuerySchema, location="query")
    @blp.response(200, ComparisonSchema)
    @refused(blp, 403, "The caller's role does not allow this")
    @refused(blp, 404, "No such assessment, or not two of one organisation the caller may see")
    def get(self, query):
        """What changed between two assessments of one organisation (in either order)"""
        return comparison.compare(caller(), query["a"], query["b"]).result
