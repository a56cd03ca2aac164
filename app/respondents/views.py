from __future__ import annotations

import json

from flask import flash, redirect, render_template, request, url_for

from ..extensions import knowledge_base
from ..planning import consensus
from ..services import consolidation, invitations, mailing, respondents, tenancy
from ..services.errors import Conflict, Invalid
from ..web import fragment_wanted, me, members_only, show_once, shown_once
from . import bp

members_only(bp)  # owners and consultants only: the services check the role on each request


@bp.get("/<int:assessment_id>/respondents")
def page(assessment_id: int):
    return _page(assessment_id)


@bp.post("/<int:assessment_id>/respondents")
def invite(assessment_id: int):
    try:
        respondent, token = respondents.invite(
            me(),
            assessment_id,
            request.form.get("email", ""),
            request.form.get("name", ""),
            request.form.getlist("sections"),
            anyone_with_link=request.form.get("anyone_with_link") == "1",
        )
    except Invalid as refused:
        return _page(assessment_id, errors=refused.fields, status=422)
    delivery = mailing.deliver(respondent.invitation, token, me(), respondent)
    show_once(f"invitation:assessment:{assessment_id}", delivery.notice(respondent.invitation, respondent.name))
    # Redirected, so a reload shows the page again instead of inviting the same person once more.
    return redirect(url_for(".page", assessment_id=assessment_id) + "#invite-heading", code=303)


@bp.post("/<int:assessment_id>/respondents/<int:respondent_id>/revoke")
def revoke(assessment_id: int, respondent_id: int):
    try:
        invitations.revoke_respondent_invitation(me(), assessment_id, respondent_id)
    except Conflict as refused:
        flash(refused.message, "error")
    else:
        flash("The invitation is revoked: its link no longer works.")
    return redirect(url_for(".page", assessment_id=assessment_id) + f"#respondent-{respondent_id}", code=303)


@bp.post("/<int:assessment_id>/respondents/names")
def names(assessment_id: int):
    respondents.set_show_names(me(), assessment_id, request.form.get("show") == "1")
    return redirect(url_for(".page", assessment_id=assessment_id))


@bp.post("/<int:assessment_id>/consolidation/<question_id>")
def resolve(assessment_id: int, question_id: str):
    errors = None
    try:
        if request.form.get("withdraw"):
            respondents.unresolve(me(), assessment_id, question_id)
        else:
            respondents.resolve(
                me(), assessment_id, question_id, _value(request.form.get("value", "")), request.form.get("note", "")
            )
    except Invalid as refused:
        errors = refused.fields
    if not fragment_wanted():
        if errors:
            return _page(assessment_id, errors=errors, status=422)
        return redirect(url_for(".page", assessment_id=assessment_id) + f"#q-{question_id}")
    row = _rows(tenancy.assessment_for(me(), assessment_id, manage=True), only=question_id)
    return render_template(
        "respondents/_question.html", row=row[0], assessment_id=assessment_id, errors=errors or {}
    ), (422 if errors else 200)


def _value(raw: str):
    """The form sends the picked answer as JSON text (so numbers, lists and words all survive the trip)."""
    try:
        return json.loads(raw)
    except ValueError:
        return raw


def _page(assessment_id: int, *, errors=None, status: int = 200):
    found = tenancy.assessment_for(me(), assessment_id, manage=True)
    questionnaire = knowledge_base().questionnaire(found.questionnaire_id)
    people = respondents.respondents_of(me(), assessment_id)
    only_disagreements = request.args.get("only") == "disagreements"
    rows = _rows(found)
    if only_disagreements:
        rows = [r for r in rows if r["consensus"].strength != consensus.ALIGNED]
    return render_template(
        "respondents/page.html",
        assessment=found,
        questionnaire=questionnaire,
        respondents=people,
        counts=respondents.answer_counts(found),
        rows=rows,
        only_disagreements=only_disagreements,
        alignment=consolidation.alignment_of(found),
        errors=errors or {},
        sent=shown_once(f"invitation:assessment:{assessment_id}"),
    ), status


def _rows(assessment, only: str | None = None) -> list[dict]:
    """Each question some respondent answered, in questionnaire order, with its consolidation and any pick."""
    questionnaire = knowledge_base().questionnaire(assessment.questionnaire_id)
    found = consolidation.consensus_of(assessment, only=only)
    picks = respondents.resolutions_of(assessment)
    return [
        {"question": q, "consensus": found[q.id], "resolution": picks.get(q.id)}
        for q in questionnaire.questions
        if q.id in found
    ]
