from __future__ import annotations

import json
from datetime import date
from typing import Any

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from markupsafe import Markup

from .. import labels
from ..extensions import knowledge_base
from ..formats.charts import Bar, band, readiness_bars
from ..fragment_cache import Fragments
from ..services import answers, assessments, consolidation, editions, evaluation, tenancy, transition
from ..services.errors import Conflict, Invalid
from ..web import fragment_wanted, me, members_only
from . import bp, pages, plan_filters, summary

EDITABLE = ("owner", "due_date", "status", "notes")
FIELD_LABELS = {"owner": "Owner", "due_date": "Due date", "status": "Status", "notes": "Notes"}
# Cached sections kept per app, three for each state of an assessment (findings, checklist, transition: about
# 150 kB together for the largest questionnaire), so some 30 states, a few MB.
SECTIONS = 96
SECTIONS_KEY = "clausewise.results_sections"
CONFLICT_MESSAGE = (
    "This action was changed by someone else meanwhile, so it has been reloaded with their changes. "
    "Make your change again if it is still needed."
)


members_only(bp)
bp.record_once(lambda state: state.app.extensions.setdefault(SECTIONS_KEY, Fragments(lambda: SECTIONS)))


@bp.app_template_filter("band")
def band_filter(score: int | None) -> str:
    return band(score)


# ---------------------------------------------------------------------------------------------- results


@bp.get("/results")
def results(assessment_id: int):
    context = _results_context(assessment_id)
    if fragment_wanted():
        return context["findings_html"]
    return render_template("results/page.html", **context)


@bp.get("/results/groups/<group_id>")
def group(assessment_id: int, group_id: str):
    context = _results_context(assessment_id, group_id)
    if fragment_wanted():
        return render_template("results/_group.html", **context)
    return render_template("results/page.html", **context)


def _results_context(assessment_id: int, group_id: str | None = None) -> dict[str, Any]:
    assessment, role = tenancy.assessment_and_role(me(), assessment_id)
    kb = knowledge_base()
    edition = editions.view_of(assessment)  # the clauses in the assessment's edition (knowledge.rekey)
    catalogue = edition.catalogue
    groups = {g.id: g for g in catalogue.groups}
    if group_id is not None and group_id not in groups:
        abort(404, description=f"There is no clause group {group_id} in {catalogue.title}.")
    # One read of the answers serves both the evaluation and the answers shown under the clauses.
    values = answers.answer_values(assessment)
    report, report_key = evaluation.evaluate_keyed(assessment, values)
    stored = {q: a.value for q, a in values.items()}
    questionnaire = edition.questionnaire
    filters = pages.filters_from(request.args, catalogue)
    in_progress = assessment.status.value == "in_progress"
    bars = [
        Bar(g.id, f"{g.id} {g.title}", score, url_for(".group", assessment_id=assessment.id, group_id=g.id))
        for g, score in pages.group_scores(report, catalogue)
    ]
    context: dict[str, Any] = dict(
        assessment=assessment,
        report=report,
        catalogue=catalogue,
        answered=len(stored),
        filters=filters,
        severities=labels.SEVERITY_LABELS,
        badges=summary.BADGES,
        blocks=labels.BLOCKS_LABELS,
        first_actions=summary.first_actions(report),
        all_counts=summary.counts_text(summary.grade_counts(report.findings)),
        # A completed assessment is a frozen snapshot: how far its interview went is no longer the question.
        interview=summary.interview_so_far(questionnaire, kb.ruleset_for(questionnaire.id).follow_ups, report, stored)
        if in_progress
        else None,
        next_step=report.verdict.blocks_next,
        group_chart=Markup(
            readiness_bars(bars, title="Readiness per clause group", element_id="group-chart", hx_target="#drilldown")
        ),
        group=None,
        alignment=_alignment_rows(assessment, catalogue, role.can_manage),
        sees_organisation=role.sees_organisation,
    )
    context.update(_sections(context, report_key, stored, questionnaire, kb.version))
    if group_id is not None:
        context.update(_group_context(report, catalogue, groups[group_id]))
    return context


def _sections(
    context: dict[str, Any], report_key: tuple, stored: dict[str, Any], questionnaire, kb_version: str
) -> dict[str, Markup]:
    """The findings, the documented information and the move to the next edition, rendered once for each state of
    the assessment. They are a function of the report (named by its key), the stored answers, the filters and the
    assessment's id, status and edition, and of nobody's session (no user, no CSRF token inside them): a new answer
    changes the report key or the stored answers, so they are rendered again. The rest of the page, which names the
    organisation and the user, is rendered on every request."""
    assessment, report, catalogue, filters = (context[k] for k in ("assessment", "report", "catalogue", "filters"))
    key = (
        kb_version,
        assessment.questionnaire_id,
        assessment.edition,
        report_key,
        json.dumps(stored, sort_keys=True),
        assessment.id,
        assessment.status.value,
        filters,
        request.script_root,
    )
    worked_out: dict[str, Any] = {}

    def parts() -> dict[str, Any]:  # the findings' and the checklist's views, worked out once if either is missed
        if not worked_out:
            by_clause = pages.answers_by_clause(questionnaire, stored, report)
            still_asked = pages.clauses_still_asked(questionnaire, stored, report)
            findings = pages.findings_view(report, catalogue, by_clause, filters, still_asked)
            checklist = pages.documented_information(report, catalogue, by_clause)
            worked_out.update(
                findings=findings,
                finding_groups=summary.findings_by_group(findings.clauses, catalogue),
                checklist=checklist,
                checklist_summary=summary.checklist_summary(checklist),
            )
        return worked_out

    def transition_section() -> Markup:  # what the next edition changes: nothing to show without a crosswalk
        fold = summary.transition_fold(transition.transition_of(assessment, report, stored), stored, report)
        return Markup(render_template("results/_transition.html", **context, transition=fold)) if fold else Markup()

    renderers = {
        "findings": lambda: Markup(render_template("results/_findings.html", **context, **parts())),
        "checklist": lambda: Markup(render_template("results/_checklist.html", **context, **parts())),
        "transition": transition_section,
    }
    cache: Fragments = current_app.extensions[SECTIONS_KEY]
    return {f"{name}_html": cache.get((name, *key), render) for name, render in renderers.items()}


def _alignment_rows(assessment, catalogue, manages: bool) -> dict[str, Any] | None:
    """With several respondents: how far they agreed, overall and per clause (in catalogue order)."""
    alignment = consolidation.alignment_of(assessment)
    if alignment is None:
        return None
    per_clause = alignment["clauses"]
    rows = [(c, per_clause[c.id]) for c in catalogue.clauses if c.id in per_clause]
    return {"overall": alignment["overall"], "clauses": rows, "manages": manages}


def _group_context(report, catalogue, group) -> dict[str, Any]:
    rows = pages.clause_rows(report, catalogue, group.id)
    bars = [
        Bar(r.clause.id, _short(f"{r.clause.id} {r.clause.title}"), r.score, f"#clause-{r.clause.id}") for r in rows
    ]
    chart = readiness_bars(
        bars, title=f"Readiness of the clauses in {group.id} {group.title}", element_id=f"group-{group.id}-chart"
    )
    return dict(
        group=group,
        group_score=report.readiness.groups.get(group.id),
        clause_rows=rows,
        clause_chart=Markup(chart),
    )


def _short(label: str, limit: int = 36) -> str:
    """A chart label that fits beside its bar; the table under the chart gives the whole title."""
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"


# ---------------------------------------------------------------------------------------------- plan


@bp.get("/plan")
def plan(assessment_id: int):
    context = _plan_context(assessment_id)
    if fragment_wanted():
        return render_template("results/_plan_list.html", **context)
    return render_template("results/plan.html", **context)


@bp.post("/plan/<action_id>")
def update_action(assessment_id: int, action_id: str):
    form = request.form
    changes = {name: form[name] for name in EDITABLE if name in form}
    try:
        assessments.update_plan_action(
            me(), assessment_id, action_id, changes, expected_version=form.get("version", type=int)
        )
    except Conflict:
        return _refused(assessment_id, action_id, 409, notice=CONFLICT_MESSAGE)
    except Invalid as refused:
        return _refused(assessment_id, action_id, 422, errors=refused.fields)
    if fragment_wanted():
        context = _plan_context(assessment_id)
        return render_template("results/_action_saved.html", row=_row_of(context, action_id), **context)
    context = _plan_context(assessment_id)
    flash(f"Saved: {_row_of(context, action_id).item.title}", "success")
    return redirect(url_for(".plan", assessment_id=assessment_id) + f"#action-{action_id}")


def _refused(assessment_id: int, action_id: str, status: int, *, notice: str = "", errors=None):
    """A conflict reloads the row with the stored values; an invalid value keeps what was typed and says why."""
    errors = {FIELD_LABELS.get(f, f): messages for f, messages in (errors or {}).items()}
    context = _plan_context(assessment_id)
    row = _row_of(context, action_id)
    if fragment_wanted():
        if status == 409:
            headers = {"HX-Retarget": f"#action-{action_id}", "HX-Reswap": "outerHTML"}
            return render_template("results/_action.html", row=row, row_notice=notice, **context), status, headers
        return render_template("results/_action_result.html", row=row, row_errors=errors, **context), status
    context.update(
        notices={action_id: notice} if notice else {},
        errors={action_id: errors} if errors else {},
        submitted={action_id: request.form} if errors else {},
    )
    return render_template("results/plan.html", **context), status


def _plan_context(assessment_id: int) -> dict[str, Any]:
    assessment, role = tenancy.assessment_and_role(me(), assessment_id)
    report = evaluation.evaluate(assessment)
    plan = assessments.plan_of(assessment, report)
    every_phase = pages.phases(plan, report, date.today())
    filters = plan_filters.plan_filters_from(request.args, plan)
    shown = plan_filters.filtered(every_phase, filters)
    return dict(
        assessment=assessment,
        report=report,
        role=role,
        sees_organisation=role.sees_organisation,
        can_edit=role.can_manage,
        plan=plan,
        phases=shown,
        every_phase=every_phase,
        filters=filters,
        owners=plan_filters.owners_of(plan),
        shown_count=sum(len(p.rows) for p in shown),
        overdue_count=sum(r.overdue for p in every_phase for r in p.rows),
        unassigned_count=sum(not r.item.owner.strip() for p in every_phase for r in p.rows),
        phase_titles=labels.PHASE_TITLES,
        nobody=plan_filters.NOBODY,
        overdue=plan_filters.OVERDUE,
        answered=len(answers.answers_of(assessment)),
        statuses=labels.STATUS_LABELS,
        efforts=labels.EFFORT_LABELS,
        severities=labels.SEVERITY_LABELS,
        notices={},
        errors={},
        submitted={},
    )


def _row_of(context: dict[str, Any], action_id: str) -> pages.PlanRow:
    # every_phase: a filter on the page the form came from must not hide the action just saved
    row = next((r for phase in context["every_phase"] for r in phase.rows if r.id == action_id), None)
    if row is None:
        abort(404, description="There is no such action in this assessment's plan.")
    return row
