"""The evaluation of an assessment: verdict, readiness, findings and plan."""

from __future__ import annotations

from flask import jsonify
from flask.views import MethodView
from flask_smorest import abort

from ..schemas.evaluation import ReportSchema, TransitionSchema
from ..services import evaluation, tenancy
from ..services.transition import transition_of
from .auth import caller, resource_blueprint
from .document import refused

blp = resource_blueprint("evaluation", __name__, "The evaluation report of an assessment")


@blp.route("/assessments/<int:assessment_id>/evaluation")
class Evaluation(MethodView):
    @blp.response(200, ReportSchema)
    def get(self, assessment_id: int):
        """The report: evaluated now while in progress, the frozen snapshot once completed"""
        return jsonify(evaluation.evaluate(tenancy.assessment_for(caller(), assessment_id)).to_dict())


@blp.route("/assessments/<int:assessment_id>/transition")
class TransitionView(MethodView):
    @blp.response(200, TransitionSchema)
    @refused(blp, 404, "No such assessment, or no newer edition of its standard in the knowledge base")
    def get(self, assessment_id: int):
        """Moving to the next edition: each new or changed requirement with this organisation's status, gaps first"""
        found = transition_of(tenancy.assessment_for(caller(), assessment_id))
        if found is None:
            abort(404, message="the knowledge base has no newer edition of this assessment's standard")
        return jsonify(found.to_dict())
