"""Respondents of an assessment: invite them, read each one's own answers, and consolidate where they disagree."""

from __future__ import annotations

from flask.views import MethodView

from ..schemas.respondents import (
    ConsensusSchema,
    ConsolidationSchema,
    InvitedRespondentSchema,
    ResolveSchema,
    RespondentAnswerSchema,
    RespondentCreateSchema,
    RespondentSchema,
)
from ..services import consolidation, mailing, respondents, tenancy
from .auth import caller, resource_blueprint
from .document import refused

blp = resource_blueprint("respondents", __name__, "Several respondents per assessment and their consolidation")


def _listed(assessment, people) -> list[dict]:
    counts = respondents.answer_counts(assessment)
    return [
        {
            "id": r.id,
            "name": r.name,
            "sections": r.sections,
            "answering": r.user_id is not None,
            "answers": counts[r.id],
            "invitation_id": r.invitation_id,
            "invitation_state": r.invitation.state.value if r.invitation else None,
        }
        for r in people
    ]


@blp.route("/assessments/<int:assessment_id>/respondents")
class Respondents(MethodView):
    @blp.response(200, RespondentSchema(many=True))
    def get(self, assessment_id: int):
        """Everyone answering the assessment (owners and consultants), whole: the list is short"""
        people = respondents.respondents_of(caller(), assessment_id)
        return _listed(tenancy.assessment_for(caller(), assessment_id), people)

    @blp.arguments(RespondentCreateSchema)
    @blp.response(201, InvitedRespondentSchema)
    @refused(blp, 409, "The assessment is completed")
    def post(self, body, assessment_id: int):
        """Invite a respondent to the whole interview or to chosen sections; the link is returned once"""
        respondent, token = respondents.invite(
            caller(),
            assessment_id,
            body["email"],
            body["name"],
            body["sections"],
            anyone_with_link=body["anyone_with_link"],
        )
        delivery = mailing.deliver(respondent.invitation, token, caller(), respondent)
        assessment = tenancy.assessment_for(caller(), assessment_id)
        return {
            "respondent": _listed(assessment, [respondent])[0],
            "invitation_url": delivery.link,
            "emailed": delivery.emailed,
            "email_error": delivery.error,
        }


@blp.route("/assessments/<int:assessment_id>/respondents/<int:respondent_id>/answers")
class OwnAnswers(MethodView):
    @blp.response(200, RespondentAnswerSchema(many=True))
    def get(self, assessment_id: int, respondent_id: int):
        """One respondent's own answers, in questionnaire order: for owners and consultants, or that respondent"""
        _respondent, rows = respondents.respondent_answers(caller(), assessment_id, respondent_id)
        return rows


@blp.route("/assessments/<int:assessment_id>/consolidation")
class Consolidation(MethodView):
    @blp.response(200, ConsolidationSchema)
    def get(self, assessment_id: int):
        """Per question: how respondents split, the answer that counts and why; alignment overall and per clause"""
        assessment = tenancy.assessment_for(caller(), assessment_id, manage=True)
        found = consolidation.consensus_of(assessment)
        picks = respondents.resolutions_of(assessment)
        alignment = consolidation.alignment_of(assessment) or {"overall": {}, "clauses": {}}
        order = {q.id: i for i, q in enumerate(respondents.questionnaire_of(assessment).questions)}
        return {
            "show_names": assessment.show_respondent_names,
            "alignment": alignment["overall"],
            "clauses": alignment["clauses"],
            "questions": [
                {**found[q].as_dict(assessment.show_respondent_names), "resolution": picks.get(q)}
                for q in sorted(found, key=lambda q: order.get(q, len(order)))
            ],
        }


@blp.route("/assessments/<int:assessment_id>/consolidation/<question_id>")
class Resolution(MethodView):
    @blp.arguments(ResolveSchema)
    @blp.response(200, ConsensusSchema)
    @refused(blp, 409, "The assessment is completed")
    def put(self, body, assessment_id: int, question_id: str):
        """Decide which respondent's answer counts where they disagree, with a note saying why"""
        found = respondents.resolve(caller(), assessment_id, question_id, body["value"], body["note"])
        assessment = tenancy.assessment_for(caller(), assessment_id)
        picks = respondents.resolutions_of(assessment)
        return {**found.as_dict(assessment.show_respondent_names), "resolution": picks.get(question_id)}

    @blp.response(204)
    @refused(blp, 409, "The assessment is completed")
    def delete(self, assessment_id: int, question_id: str):
        """Undo a pick: the more conservative answer counts again"""
        respondents.unresolve(caller(), assessment_id, question_id)
