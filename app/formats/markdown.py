"""An assessment report as plain text (the terminal) or Markdown (a file to share)."""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping
from typing import Any

from ..labels import SEVERITY_LABELS, STATUS_LABELS
from ..planning.plan import PlanItem, TrackedItem
from ..planning.report import MergedRule, Report


def _because(reasons: Iterable[Mapping[str, Any]], depth: int = 0) -> list[str]:
    lines = []
    for reason in reasons:
        lines.append("  " * depth + "- " + reason["text"])
        lines += _because(reason.get("because", []), depth + 1)
    return lines


def _score(value: int | None) -> str:
    return "not assessed" if value is None else f"{value}/100"


def to_text(report: Report, organisation: str = "") -> str:
    out = [
        f"Clausewise assessment{' of ' + organisation if organisation else ''}",
        f"questionnaire {report.questionnaire.id} v{report.questionnaire.version}, "
        f"{report.standard}, knowledge base {report.kb_version}",
        "",
        f"VERDICT: {report.verdict.label}",
    ]
    for blocker in report.verdict.blockers:
        out.append(f"  blocks the next step: {blocker.title} ({', '.join(blocker.clauses)})")
    out += ["", f"READINESS: {_score(report.readiness.overall)}"]
    for group, score in report.readiness.groups.items():
        out.append(f"  clause {group:<3} {_score(score)}")
    if report.evidenced is not None:
        out += ["", f"EVIDENCED READINESS: {_score(report.evidenced.readiness.overall)} ({_claims(report)})"]
        for group, score in report.evidenced.readiness.groups.items():
            out.append(f"  clause {group:<3} {_score(score)}")
        for claim in report.evidenced.unevidenced:
            out.append(f"  * no record yet for {claim.clause} {claim.question}: {claim.record or claim.text}")
    out += ["", f"FINDINGS ({len(report.findings)})"]
    if report.worded_for:
        out.append(f"  what to do is worded for {report.worded_for.name}")
    for finding in report.findings:
        out.append(f"* [{SEVERITY_LABELS[finding.severity]}] {', '.join(finding.clauses)} {finding.title}")
        out.append(f"    {finding.explanation}")
        out += ["    " + line for line in ["because:", *_because(finding.because)]]
        if finding.merged:
            out.append("    one gap, also raised by: " + "; ".join(_merged(m) for m in finding.merged))
        out.append(f"    what to do: {finding.recommendation}")
        if finding.practices:
            out.append("    practices: " + ", ".join(p.name for p in finding.practices))
    out += ["", f"PLAN ({len(report.plan)} actions)"]
    for item in report.plan:
        out.append(f"{item.rank:>3}. [{item.phase}] {item.title} (effort {item.effort})")
        out.append(f"       closes {', '.join(item.closes) or '-'} on {', '.join(item.clauses)}; {item.why}")
        out += [f"       {n}) {step.title}" for n, step in enumerate(item.steps, start=1)]
    if report.suggestions:
        out += ["", "ADVICE"]
        out += [f"* {s.title}: {s.text}" for s in report.suggestions]
    if report.unanswered:
        out += ["", "OPEN QUESTIONS THAT COULD CHANGE THIS RESULT"]
        out += [f"* {q.question}: {q.text}" for q in report.unanswered]
    out += ["", f"Readiness formula: {report.readiness.formula}"]
    return "\n".join(out) + "\n"


def _claims(report: Report) -> str:
    """Such as "3 claims without a record": the gap between the claimed and the evidenced figure."""
    n = len(report.evidenced.unevidenced) if report.evidenced else 0
    return f"{n} claim{'' if n == 1 else 's'} without a record"


def _merged(rule: MergedRule) -> str:
    return f"{rule.title} ({SEVERITY_LABELS.get(rule.severity, rule.severity).lower()}, {', '.join(rule.clauses)})"


def _steps(item: PlanItem) -> str:
    return "; ".join(f"{n}. {step.title}" for n, step in enumerate(item.steps, start=1))


def _cell(text: Any) -> str:
    # Markdown renderers pass HTML through: text a user typed (an organisation's name, an owner) must stay text.
    return html.escape(str(text), quote=False).replace("|", "\\|").replace("\n", " ")


def to_markdown(report: Report, organisation: str = "", plan: list[TrackedItem] | None = None) -> str:
    """`plan`: the plan with each action's tracking (services.assessments.plan_of); without it, the plan as ranked."""
    out = [
        f"# ISO 9001 readiness{' of ' + _cell(organisation) if organisation else ''}",
        "",
        f"*Questionnaire {report.questionnaire.id} v{report.questionnaire.version}, "
        f"{report.standard}, knowledge base {report.kb_version}. A self-assessment, not an audit result.*",
        "",
        f"## Verdict: {report.verdict.label}",
        "",
    ]
    out += [f"- Blocks the next step: {_cell(b.title)} ({', '.join(b.clauses)})" for b in report.verdict.blockers]
    out += ["", f"## Readiness: {_score(report.readiness.overall)}", ""]
    if report.evidenced is None:
        out += ["| Clause group | Readiness |", "|---|---|"]
        out += [f"| {g} | {_score(s)} |" for g, s in report.readiness.groups.items()]
    else:
        evidenced = report.evidenced.readiness
        out += [
            f"Evidenced: {_score(evidenced.overall)} ({_claims(report)}: positive answers an auditor will check "
            "against a record, counted as “don't know” until one is attached).",
            "",
            "| Clause group | Claimed | Evidenced |",
            "|---|---|---|",
        ]
        out += [
            f"| {g} | {_score(s)} | {_score(evidenced.groups.get(g))} |" for g, s in report.readiness.groups.items()
        ]
        if report.evidenced.unevidenced:
            out += ["", "### Claims without a record", ""]
            out += [
                f"- {c.clause} {_cell(c.text)} Show: {_cell(c.record) if c.record else 'the record'}"
                for c in report.evidenced.unevidenced
            ]
    if report.plan:
        out += ["", "## The actions that decide the audit", ""]
        for item in report.plan[:5]:
            out.append(f"{item.rank}. **{_cell(item.title)}** ({item.phase}, effort {item.effort}): {_cell(item.why)}")
            out += [f"    - {_cell(step.title)}" for step in item.steps]
    out += ["", f"## Findings ({len(report.findings)})", ""]
    if report.worded_for:
        out += [f"_What to do is worded for {_cell(report.worded_for.name)}._", ""]
    for finding in report.findings:
        out += [
            f"### {', '.join(finding.clauses)} {_cell(finding.title)}",
            "",
            f"**{SEVERITY_LABELS[finding.severity]}.** {_cell(finding.explanation)}",
            "",
            "Because:",
            "",
            *_because(finding.because),
            "",
        ]
        if finding.merged:
            out += ["**One gap, also raised by:** " + "; ".join(_cell(_merged(m)) for m in finding.merged), ""]
        out += [
            f"**What to do:** {_cell(finding.recommendation)}",
            "",
        ]
        if finding.practices:
            out += ["**Practices:** " + ", ".join(p.name for p in finding.practices), ""]
    if plan is None:
        out += ["## Plan", "", "| # | Phase | Action | Effort | Closes | Why here |", "|---|---|---|---|---|---|"]
        out += [
            f"| {i.rank} | {i.phase} | {_cell(i.title)}{_cell(' (steps: ' + _steps(i) + ')') if i.steps else ''} | "
            f"{i.effort} | {', '.join(i.closes)} | {_cell(i.why)} |"
            for i in report.plan
        ]
    else:
        out += [
            "## Plan",
            "",
            "| # | Phase | Action | Effort | Closes | Why here | Status | Owner | Due |",
            "|---|---|---|---|---|---|---|---|---|",
        ]
        out += [
            f"| {i.rank} | {i.phase} | {_cell(i.title)}{_cell(' (steps: ' + _steps(i) + ')') if i.steps else ''} | "
            f"{i.effort} | {', '.join(i.closes)} | {_cell(i.why)} | {STATUS_LABELS.get(i.status, i.status)} | "
            f"{_cell(i.owner) or '-'} | {i.due_date or '-'} |"
            for i in plan
        ]
    if report.suggestions:
        out += ["", "## Advice", ""] + [f"- **{_cell(s.title)}**: {_cell(s.text)}" for s in report.suggestions]
    out += ["", f"*Readiness formula: {report.readiness.formula}*", ""]
    return "\n".join(out)
