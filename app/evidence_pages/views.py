from __future__ import annotations

from flask import current_app, flash, g, redirect, render_template, request, url_for

from ..extensions import knowledge_base
from ..models import Assessment
from ..request_checks import takes_uploads
from ..services import evidence, tenancy
from ..services.errors import Invalid
from ..services.evidence import Subject
from ..web import me, members_only
from . import bp
from .download import attachment_of

members_only(bp)

ANSWER = "/answers/<question_id>/evidence"
ACTION = "/plan/<action_id>/evidence"


def _subject(question_id: str | None = None, action_id: str | None = None) -> Subject:
    return Subject.answer(question_id) if question_id is not None else Subject.action(action_id)


def _ids(subject: Subject) -> dict:
    if subject.question_id is not None:
        return {"question_id": subject.question_id}
    return {"action_id": subject.action_id}


def _endpoint(subject: Subject, what: str) -> str:
    return f".{'answer' if subject.question_id is not None else 'action'}_{what}"


def page(assessment_id: int, error: str = "", typed: dict | None = None, status: int = 200, **ids):
    subject = _subject(**ids)
    items = evidence.listed(me(), assessment_id, subject)  # 404 for another tenant, an unknown question or action
    assessment = tenancy.assessment_for(me(), assessment_id)
    return render_template(
        "evidence/page.html",
        assessment=assessment,
        subject=subject,
        subject_ids=_ids(subject),
        what=subject_text(assessment, subject),
        items=items,
        can_change=can_change_evidence(assessment),
        error=error,
        typed=typed or {},
        max_mb=current_app.config["EVIDENCE_MAX_BYTES"] // (1024 * 1024),
    ), status


@takes_uploads
def attach(assessment_id: int, **ids):
    """A file (field `file`) or a link (`url`), each with an optional title. Back to where the form was (the chat,
    a section form) once taken; refused, the evidence page says why and keeps what was typed."""
    subject = _subject(**ids)
    form = request.form
    upload = request.files.get("file")
    title = form.get("title", "")
    try:
        if upload is not None and upload.filename:
            data = upload.read(current_app.config["EVIDENCE_MAX_BYTES"] + 1)
            item = evidence.add_file(me(), assessment_id, subject, data, upload.filename, title)
        elif form.get("url", "").strip():
            item = evidence.add_link(me(), assessment_id, subject, form["url"], title)
        else:
            raise Invalid("choose a file, or give a link", {"file": ["choose a file, or give a link"]})
    except Invalid as refused:
        named = f"{upload.filename}: " if upload is not None and upload.filename else ""
        typed = {"title": title, "url": form.get("url", "")}
        return page(assessment_id, error=named + refused.message, typed=typed, status=422, **ids)
    flash(f"Evidence attached: {item.title}", "success")
    return redirect(_back(assessment_id, subject), code=303)


def download(assessment_id: int, evidence_id: int, **ids):
    return attachment_of(evidence.one(me(), assessment_id, _subject(**ids), evidence_id))


def delete(assessment_id: int, evidence_id: int, **ids):
    subject = _subject(**ids)
    item = evidence.delete(me(), assessment_id, subject, evidence_id)
    flash(f"Removed: {item.title}. Who removed it and when is kept.", "success")
    return redirect(url_for(_endpoint(subject, "page"), assessment_id=assessment_id, **ids), code=303)


def confirm(assessment_id: int, evidence_id: int, **ids):
    subject = _subject(**ids)
    item = evidence.confirm(me(), assessment_id, subject, evidence_id)
    flash(f"Kept: {item.title} backs the answer again.", "success")
    return redirect(url_for(_endpoint(subject, "page"), assessment_id=assessment_id, **ids), code=303)


def _back(assessment_id: int, subject: Subject) -> str:
    back = request.form.get("back", "")
    if back == "chat":
        return url_for("chat.chat", assessment_id=assessment_id) + "#composer"
    if back.startswith("section:") and subject.question_id is not None:
        section = back.removeprefix("section:")
        return url_for("chat.section", assessment_id=assessment_id, section_id=section) + f"#q-{subject.question_id}"
    return url_for(_endpoint(subject, "page"), assessment_id=assessment_id, **_ids(subject))


for prefix, kind in ((ANSWER, "answer"), (ACTION, "action")):
    bp.add_url_rule(prefix, f"{kind}_page", page, methods=["GET"])
    bp.add_url_rule(prefix, f"{kind}_attach", attach, methods=["POST"])
    bp.add_url_rule(prefix + "/<int:evidence_id>", f"{kind}_download", download, methods=["GET"])
    bp.add_url_rule(prefix + "/<int:evidence_id>/delete", f"{kind}_delete", delete, methods=["POST"])
    bp.add_url_rule(prefix + "/<int:evidence_id>/confirm", f"{kind}_confirm", confirm, methods=["POST"])


def subject_text(assessment: Assessment, subject: Subject) -> str:
    if subject.question_id is not None:
        return knowledge_base().questionnaire(assessment.questionnaire_id).question(subject.question_id).text
    return knowledge_base().ruleset_for(assessment.questionnaire_id).actions[subject.action_id].title


@bp.app_template_global()
def can_change_evidence(assessment: Assessment) -> bool:
    """Forms to attach, delete and keep: for those who may answer, while the assessment is open."""
    if assessment.status.value != "in_progress":
        return False
    return tenancy.role_in(me(), assessment.organisation_id).can_answer


@bp.app_template_global()
def evidence_counts(assessment: Assessment) -> dict[str, int]:
    """Live evidence per question, read once per request (a section form shows one count per question)."""
    cache = g.setdefault("_evidence_counts", {})
    if assessment.id not in cache:
        counts: dict[str, int] = {}
        for item in evidence.live_of(assessment):
            if item.question_id is not None:
                counts[item.question_id] = counts.get(item.question_id, 0) + 1
        cache[assessment.id] = counts
    return cache[assessment.id]
