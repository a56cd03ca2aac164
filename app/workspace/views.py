from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for

from ..exports.downloads import YAML, attachment, filename
from ..extensions import knowledge_base
from ..models import Role
from ..services import (
    accounts,
    answers,
    assessments,
    comparison,
    completion,
    editions,
    evaluation,
    exports,
    invitations,
    mailing,
    respondents,
    tenancy,
)
from ..services.errors import Conflict, Invalid, ServiceError
from ..web import fragment_wanted, me, members_only, show_once, shown_once
from . import bp

members_only(bp)


@bp.get("/")
def home():
    return render_template(
        "workspace/home.html",
        organisations=tenancy.organisations_of(me()),
        to_answer=respondents.invited_assessments(me()),
    )


@bp.post("/organisations")
def create_organisation():
    try:
        organisation = accounts.create_organisation(me(), request.form.get("name", ""), Role.OWNER)
    except ServiceError as refused:
        flash(refused.message, "error")
        return redirect(url_for(".home"))
    return redirect(url_for(".organisation", organisation_id=organisation.id))


@bp.get("/organisations/<int:organisation_id>")
def organisation(organisation_id: int):
    member = tenancy.membership(me(), organisation_id)
    listed = assessments.assessments_of(me(), organisation_id)
    return render_template(
        "workspace/organisation.html",
        organisation=member.organisation,
        role=member.role,
        assessments=listed,
        members=accounts.members_of(me(), organisation_id),
        questionnaires=knowledge_base().questionnaires.values(),
        roles=Role.of_organisations(),
        invitations=invitations.organisation_invitations(me(), organisation_id) if member.role.can_manage else [],
        sent=shown_once(f"invitation:organisation:{organisation_id}"),
        answering_only=respondents.answering_only(me(), listed, member.role),
        editions=editions.choices(),
        edition_titles={c.id: c.title for c in knowledge_base().catalogues.values()},
    )


@bp.post("/organisations/<int:organisation_id>/edition")
def default_edition(organisation_id: int):
    try:
        editions.set_default_edition(me(), organisation_id, request.form.get("edition") or None)
    except Invalid as refused:
        flash(" ".join(m for ms in refused.fields.values() for m in ms) or refused.message, "error")
    else:
        flash("New assessments will be read in the edition chosen.")
    return redirect(url_for(".organisation", organisation_id=organisation_id), code=303)


@bp.post("/organisations/<int:organisation_id>/invitations")
def invite(organisation_id: int):
    try:
        invitation, token = invitations.invite(
            me(),
            organisation_id,
            request.form.get("email", ""),
            request.form.get("role", ""),
            anyone_with_link=request.form.get("anyone_with_link") == "1",
        )
    except Invalid as refused:  # a wrong address or role: said on the page; no right to invite is a 403
        flash(" ".join(m for ms in refused.fields.values() for m in ms) or refused.message, "error")
    else:
        delivery = mailing.deliver(invitation, token, me())
        show_once(f"invitation:organisation:{organisation_id}", delivery.notice(invitation))
    # Redirected, so a reload shows the page again instead of sending another invitation.
    return redirect(url_for(".organisation", organisation_id=organisation_id) + "#invitations", code=303)


@bp.post("/organisations/<int:organisation_id>/invitations/<int:invitation_id>/revoke")
def revoke_invitation(organisation_id: int, invitation_id: int):
    try:
        revoked = invitations.revoke(me(), organisation_id, invitation_id)
    except Conflict as refused:
        flash(refused.message, "error")
    else:
        flash(f"The invitation of {revoked.email} is revoked: its link no longer works.")
    return redirect(url_for(".organisation", organisation_id=organisation_id) + "#invitations", code=303)


@bp.post("/organisations/<int:organisation_id>/assessments")
def start(organisation_id: int):
    assessment = assessments.start_assessment(
        me(), organisation_id, request.form.get("questionnaire", ""), request.form.get("title", "")
    )
    return redirect(url_for(".assessment", assessment_id=assessment.id))


@bp.get("/assessments/<int:assessment_id>")
def assessment(assessment_id: int):
    found = tenancy.assessment_for(me(), assessment_id)
    report = evaluation.evaluate(found)
    role = tenancy.role_in(me(), found.organisation_id)
    # A respondent reading the report of the assessment they answered has no other assessment to compare it with.
    listed = assessments.assessments_of(me(), found.organisation_id) if role.sees_organisation else []
    others = [a for a in listed if a.id != found.id]
    return render_template(
        "workspace/assessment.html",
        assessment=found,
        report=report,
        others=others,
        role=role,
        answered=len(answers.answers_of(found)),
    )


@bp.route("/assessments/<int:assessment_id>/complete", methods=["GET", "POST"])
def complete(assessment_id: int):
    """Completing is asked for twice: the page (or, with htmx, the form in place) says what is unanswered, and
    only the form sent with its box ticked freezes the report."""
    if request.method == "POST" and request.form.get("confirm") == "yes":
        try:
            assessments.complete_assessment(me(), assessment_id)
        except Conflict as refused:
            flash(refused.message, "error")
        return redirect(url_for(".assessment", assessment_id=assessment_id), code=303)
    found, outstanding = completion.outstanding(me(), assessment_id)
    if found.status.value != "in_progress":
        flash("This assessment is completed already.", "error")
        return redirect(url_for(".assessment", assessment_id=assessment_id), code=303)
    error = "Tick the box to confirm that the report is frozen as it is." if request.method == "POST" else None
    template = "workspace/_complete_confirm.html" if fragment_wanted() else "workspace/complete.html"
    status = 422 if error else 200
    return render_template(template, assessment=found, outstanding=outstanding, error=error), status


@bp.post("/assessments/<int:assessment_id>/reopen")
def reopen(assessment_id: int):
    try:
        completion.reopen(me(), assessment_id)
    except Conflict as refused:
        flash(refused.message, "error")
    else:
        flash("The assessment is open again: its frozen report is kept as a revision.")
    return redirect(url_for(".assessment", assessment_id=assessment_id), code=303)


@bp.post("/assessments/<int:assessment_id>/repeat")
def repeat(assessment_id: int):
    fresh = assessments.repeat_assessment(me(), assessment_id)
    return redirect(url_for(".assessment", assessment_id=fresh.id))


@bp.get("/assessments/<int:assessment_id>/export.yaml")
def export(assessment_id: int):
    answers = exports.answers_file(me(), assessment_id)
    return attachment(answers.text, YAML, filename(answers, "answers", "yaml"))


@bp.get("/compare")
def compare():
    try:
        first, second = int(request.args["a"]), int(request.args["b"])
    except (KeyError, ValueError):
        abort(400, description="Choose two assessments to compare.")
    compared = comparison.compare(me(), first, second)
    return render_template("workspace/compare.html", comparison=compared.result, view=compared)


@bp.route("/tokens", methods=["GET", "POST"])
def tokens():
    created = None
    if request.method == "POST":
        _row, created = accounts.create_api_token(me(), request.form.get("name", ""))
    return render_template("workspace/tokens.html", tokens=accounts.tokens_of(me()), created=created)


@bp.post("/tokens/<int:token_id>/revoke")
def revoke_token(token_id: int):
    accounts.revoke_api_token(me(), token_id)
    return redirect(url_for(".tokens"))
