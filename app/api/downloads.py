"""Files of an assessment to hand over: the evidence pack (the answers file and the plan's tracker files are with
their own resources, answer_files and plan)."""

from __future__ import annotations

from flask.views import MethodView

from ..exports.views import evidence_pack_file
from ..services import exports
from .auth import caller, resource_blueprint

blp = resource_blueprint("downloads", __name__, "Files of an assessment to hand over")

PACK_RESPONSE = {
    "200": {
        "description": "A ZIP (an attachment): every evidence file under the clause it serves, and index.csv and "
        "index.html listing the files, links and repository references",
        "content": {"application/zip": {"schema": {"type": "string", "format": "binary"}}},
    }
}


@blp.route("/assessments/<int:assessment_id>/evidence-pack")
class EvidencePack(MethodView):
    @blp.doc(responses=PACK_RESPONSE)
    def get(self, assessment_id: int):
        """The evidence pack an auditor can open offline (README, "Evidence")"""
        return evidence_pack_file(exports.evidence_pack(caller(), assessment_id))
