"""The plan of an assessment, and the tracking of each action: status, owner, due date, notes."""

from __future__ import annotations

from flask import jsonify
from flask.views import MethodView

from ..exports.views import plan_file
from ..schemas.plan import PlanActionPatchSchema, PlanActionSchema, PlanExportQuerySchema, PlanItemSchema
from ..services import assessments, exports, tenancy
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


# One 200 with the four files' media types: which one comes back is chosen by the query's format.
EXPORT_RESPONSE = {
    "200": {
        "description": "The plan as a file to import in a tracker or a calendar (an attachment)",
        "content": {
            "text/csv": {"schema": {"type": "string"}},
            "application/json": {
                "schema": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["rank", "title", "body", "labels", "milestone", "due"],
                        "properties": {
                            "rank": {"type": "integer"},
                            "title": {"type": "string"},
                            "body": {"type": "string"},
                            "labels": {"type": "array", "items": {"type": "string"}},
                            "milestone": {"type": "string"},
                            "due": {"type": ["string", "null"], "format": "date"},
                        },
                    },
                }
            },
            "text/calendar": {"schema": {"type": "string"}},
        },
    }
}


# Not under /plan/: a path there is an action's, and would be advertised with the action's PATCH (Allow header).
@blp.route("/assessments/<int:assessment_id>/plan-export")
class PlanExport(MethodView):
    @blp.arguments(PlanExportQuerySchema, location="query")
    @blp.doc(responses=EXPORT_RESPONSE)
    def get(self, query, assessment_id: int):
        """The plan as issues for Jira, GitLab or GitHub, or its due dates as an iCalendar file (README, "Taking
        the plan out")"""
        return plan_file(exports.export_data(caller(), assessment_id, with_answers=False), query["format"])


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
