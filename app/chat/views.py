from __future__ import annotations

from flask import abort, current_app, redirect, render_template, request, url_for

from ..interview.quick_replies import number_replies
from ..knowledge.model import NOT_APPLICABLE, YES_NO_LABELS, YES_NO_VALUES
from ..services import assessments, interview
from ..services.errors import Invalid
from ..web import fragment_wanted, me, members_only
from . import bp

members_only(bp)


@bp.get("/chat")
def chat(assessment_id: int):
    state = interview.load(me(), assessment_id)
    return render_template("chat/page.html", state=state, can_answer=_can_answer(state), error=None)


@bp.post("/chat")
def message(assessment_id: int):
    form = request.form
    after = form.get("after", type=int) or 0
    since = after if fragment_wanted() else None  # htmx appends the new messages; a page shows them all
    error = None
    try:
        state = interview.respond(
            me(),
            assessment_id,
            text=form.get("text"),
            question_id=form.get("question_id") or None,
            value=_value(form),
            note=form.get("note") or None,
            evidence=form.get("evidence") or None,
            after=since,
            shown_total=form.get("total", type=int),
        )
    except Invalid as refused:
        state = interview.load(me(), assessment_id, since)
        error = "; ".join(m for messages in refused.fields.values() for m in messages) or refused.message
    return _reply(state, after, error)


@bp.post("/chat/floor")
def floor(assessment_id: int):
    """The bench's floor: only what an answer round trip cannot avoid (the same login and tenancy check, the same
    durable write of one answer). Exists only when BENCH_FLOOR is configured."""
    if not current_app.config.get("BENCH_FLOOR"):
        abort(404)
    assessments.write_floor_answer(me(), assessment_id, request.form["question_id"], request.form["value"])
    return "", 204


@bp.post("/chat/revisit/<question_id>")
def revisit(assessment_id: int, question_id: str):
    after = request.form.get("after", type=int) or 0
    since = after if fragment_wanted() else None
    return _reply(interview.revisit(me(), assessment_id, question_id, since), after, None)


@bp.route("/sections/<section_id>", methods=["GET", "POST"])
def section(assessment_id: int, section_id: str):
    state = interview.load(me(), assessment_id)
    found = next((s for s in state.questionnaire.sections if s.id == section_id), None)
    if found is None:
        return render_template("error.html", code=404, description="There is no such section."), 404
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        entries = _section_entries(found, request.form)
        try:
            if entries:
                assessments.save_answers(me(), assessment_id, entries)
        except Invalid as refused:
            errors = refused.fields
        else:
            return redirect(url_for(".section", assessment_id=assessment_id, section_id=section_id, saved=1))
        state = interview.load(me(), assessment_id)
    relevant = {q.id for q in state.relevant}
    questions = [q for q in found.questions if q.id in relevant]
    return render_template(
        "chat/section.html",
        state=state,
        section=found,
        questions=questions,
        warnings=interview.exclusion_warnings(state, questions),
        errors=errors,
        form=request.form if errors else None,
        saved=request.args.get("saved"),
        can_answer=_can_answer(state),
    ), 422 if errors else 200


@bp.app_template_global()
def number_choices(question) -> list[tuple[str, str]]:
    """A number question's quick replies: the value each button posts, and its label."""
    return [(f"{r.value:g}", r.label) for r in number_replies(question)]


@bp.app_template_global()
def answer_choices(question) -> list[tuple[str, str]]:
    """The values a yes/no or choice question takes, with their labels, "don't know" last; "not applicable" only
    where ISO 9001 lets it stand (planning.exclusions grades it as "no" elsewhere)."""
    if question.kind == "yes_no":
        values = YES_NO_VALUES if question.excludable else [v for v in YES_NO_VALUES if v != NOT_APPLICABLE]
        return [(v, YES_NO_LABELS[v]) for v in values]
    return [(o.value, o.label) for o in question.options] + [("dont_know", YES_NO_LABELS["dont_know"])]


def _reply(state, after: int, error: str | None):
    if fragment_wanted():
        new = [m for m in state.transcript if m.id > after]  # the service read only these already
        return render_template("chat/_turn.html", state=state, messages=new, can_answer=_can_answer(state), error=error)
    if error:
        return render_template("chat/page.html", state=state, can_answer=_can_answer(state), error=error), 422
    return redirect(url_for(".chat", assessment_id=state.assessment.id) + "#composer")


def _can_answer(state) -> bool:
    return state.can_answer and state.assessment.status.value == "in_progress"


def _value(form):
    """A quick reply's value: one button value, several ticked options, or nothing (typed text instead)."""
    value = form.get("value")
    if value == "dont_know":  # the button wins over boxes ticked before it was clicked
        return value
    if "values" in form:
        return form.getlist("values")
    if value is None or value == "":
        return None
    if form.get("kind") == "scale" and value.isdigit():
        return int(value)
    if form.get("kind") == "number":  # a range's button: the number it saves
        try:
            number = float(value)
        except ValueError:
            return value  # the service says what is wrong with it
        return int(number) if number.is_integer() else number
    return value


def _section_entries(section, form) -> dict:
    entries = {}
    for question in section.questions:
        key = f"q-{question.id}"
        if question.kind == "multiple_choice":
            values = form.getlist(key)
            if values:  # "don't know" ticked stands for the whole answer, whatever else is ticked beside it
                entries[question.id] = {"value": "dont_know" if "dont_know" in values else values}
        else:
            raw = (form.get(key) or "").strip()
            if not raw:
                continue
            value = raw
            if question.kind in ("number", "scale") and raw != "dont_know":
                try:
                    value = int(raw) if raw.lstrip("-").isdigit() else float(raw)
                except ValueError:
                    value = raw  # the service says what is wrong with it
            entries[question.id] = {"value": value}
        note = (form.get(f"note-{question.id}") or "").strip()
        if note and question.id in entries:
            entries[question.id]["note"] = note
    return entries
