"""The plan of an assessment, and the tracking of each action: status, owner, due date, notes."""

from __future__ import annotations

from flask import jsonify
from flask.views import MethodView

from ..schemas.plan import PlanActionPatchSchema, PlanActionSchema, PlanItemSchema
from ..services import assessments, tenancy
from .auth import caller, resource_blueprint
from .document import refused
from .versions import ETAG_HEADER, etag, expected_version

blp = resource_blueprint("plan", __name__, "Plan actions and their tracking")


@blp.route("/assessments/<int:assessment_id>/plan")
class Plan(MethodView):
    @blp.response(200, PlanItemSchema(many=True))
    def get(self, assessment_id: int):
        """The ranked plan, whole (its length is bounded by the knowledge base), each action with its tracking"""
        plan = assessments.plan_of(tenancy.assessment_for(caller(), assessment_id))
        return jsonify([item.to_dict() for item in plan])


@blp.route("/assessments/<int:assessment_id>/plan/<action_id>")
class PlanAction(MethodView):
    @blp.arguments(PlanActionPatchSchema)
    @blp.response(200, PlanActionSchema, headers=ETAG_HEADER)
    @refused(blp, 409, "A stale version: someone changed the action since")
    def patch(self, body, assessment_id: int, action_id: str):
        """Change an action's tracking (owners and consultants); send If-Match or version to avoid lost updates"""
        version = expected_version(body.pop("version", None))
        action = assessments.update_plan_action(caller(), assessment_id, action_id, body, version)
        return action, etag(action.version)
