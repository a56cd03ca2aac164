from __future__ import annotations

import json

from flask import flash, redirect, request, url_for

from ..extensions import knowledge_base
from ..knowledge.answers import answer_label
from ..services import proposals, tenancy
from ..services.errors import Conflict, Invalid
from ..web import me, members_only
from . import bp

members_only(bp)

SHOWN_PROBLEMS = 8  # on the page; the rest are counted


@bp.post("")
def upload(assessment_id: int):
    """The scan's JSON file, taken whole or refused with what is wrong in it."""
    # Access first: another tenant's assessment is a 404 whatever the form holds.
    tenancy.assessment_for(me(), assessment_id, answer=True)
    back = redirect(url_for("workspace.assessment", assessment_id=assessment_id) + "#repository-scan", code=303)
    file = request.files.get("scan")
    if file is None or not file.filename:
        flash("Choose the JSON file that 'clausewise evidence scan --format json' wrote.", "error")
        return back
    data = file.read(proposals.MAX_SCAN_BYTES + 1)
    if len(data) > proposals.MAX_SCAN_BYTES:
        flash(f"{file.filename}: larger than {proposals.MAX_SCAN_BYTES // 1024} KB; a scan file is a few KB.", "error")
        return back
    try:
        document = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as error:
        flash(f"{file.filename}: not a JSON file ({error}). Nothing was saved.", "error")
        return back
    try:
        taken = proposals.take_scan(me(), assessment_id, document)
    except (Invalid, Conflict) as refused:
        problems = [m for ms in refused.fields.values() for m in ms]
        shown = "; ".join(problems[:SHOWN_PROBLEMS]) + (
            f"; and {len(problems) - SHOWN_PROBLEMS} more" if len(problems) > SHOWN_PROBLEMS else ""
        )
        flash(f"{file.filename}: {refused.message}{': ' + shown if shown else ''}. Nothing was saved.", "error")
        return back
    skipped = f" ({len(taken.not_asked)} answer questions this questionnaire does not ask)" if taken.not_asked else ""
    flash(
        f"{len(taken.proposals)} proposal(s) from {taken.scan.repository} at {taken.scan.commit[:12]}{skipped}. "
        "Each counts only once you confirm it; the interview offers them before their questions."
    )
    return back


@bp.post("/decision")
def decide(assessment_id: int):
    """Confirm or reject one proposal (form fields `proposal` and `decision`)."""
    decision = request.form.get("decision")
    proposal_id = request.form.get("proposal", type=int)
    try:
        if decision not in ("confirm", "reject") or proposal_id is None:
            raise Invalid("choose to confirm or reject a proposal")
        decided = proposals.decide(me(), assessment_id, proposal_id, confirm=decision == "confirm")
    except (proposals.NoSuchProposal, Conflict, Invalid) as refused:  # a stale form, decided already, completed
        flash(refused.message, "error")
    else:
        confirmed = decided.status.value == "confirmed"
        source = "the scan's files" if decided.scan_id else "the ISO/IEC 27001 clauses"
        flash(
            f"Confirmed: the answer is saved with {source} as its evidence."
            if confirmed
            else "Rejected: answer the question yourself."
        )
    if request.form.get("back") == "assessment":
        return redirect(url_for("workspace.assessment", assessment_id=assessment_id) + "#repository-scan", code=303)
    return redirect(url_for("chat.chat", assessment_id=assessment_id) + "#composer", code=303)


@bp.app_template_global()
def scan_offer(state):
    """The pending proposal for the question the interview is at, if any."""
    if state.current is None or state.voice.respondent_id:  # not to a respondent answering independently
        return None
    return proposals.pending_for(state.assessment, state.current.id)


@bp.app_template_global()
def scan_pending(assessment):
    return proposals.pending_of(assessment)


@bp.app_template_global()
def scan_answer_label(assessment, proposal) -> tuple[str, str]:
    """The question a proposal answers and its proposed value, in words."""
    question = knowledge_base().questionnaire(assessment.questionnaire_id).question(proposal.question_id)
    return question.text, answer_label(question, proposal.value)
