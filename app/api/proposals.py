"""Proposals from a repository scan: send the scan's document to an assessment, list what it proposed."""

from __future__ import annotations

from flask.views import MethodView

from ..schemas.proposals import ProposalSchema, ScanSchema, TakenScanSchema
from ..services import proposals
from .auth import caller, resource_blueprint
from .document import refused

blp = resource_blueprint("proposals", __name__, "Answers proposed by a repository scan, pending until confirmed")


@blp.route("/assessments/<int:assessment_id>/proposals")
class Proposals(MethodView):
    @blp.response(200, ProposalSchema(many=True))
    def get(self, assessment_id: int):
        """Every proposal, the latest scan's first; only confirmed ones became answers"""
        return proposals.proposals_of(caller(), assessment_id)

    @blp.arguments(ScanSchema)
    @blp.response(201, TakenScanSchema)
    @refused(blp, 409, "The assessment is completed")
    def post(self, body, assessment_id: int):
        """The output of `clausewise evidence scan --format json`; its proposals wait for a person to confirm them,
        replacing those of an earlier scan not yet decided on. All are taken, or none"""
        return proposals.take_scan(caller(), assessment_id, body)
