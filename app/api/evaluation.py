"""The evaluation of an assessment: verdict, readiness, findings and plan."""

from __future__ import annotations

from flask import jsonify
from flask.views import MethodView

from ..schemas.evaluation import ReportSchema
from ..services import evaluation, tenancy
from .auth import caller, resource_blueprint

blp = resource_blueprint("evaluation", __name__, "The evaluation report of an assessment")


@blp.route("/assessments/<int:assessment_id>/evaluation")
class Evaluation(MethodView):
    @blp.response(200, ReportSchema)
    def get(self, assessment_id: int):
        """The report: evaluated now while in progress, the frozen snapshot once completed"""
        return jsonify(evaluation.evaluate(tenancy.assessment_for(caller(), assessment_id)).to_dict())
