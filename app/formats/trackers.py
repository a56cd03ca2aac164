"""A plan as issues for the trackers teams work in (Jira, GitHub, GitLab) and as a calendar of due dates.

Plain Python: a ranked plan and its report in, bytes out. Each issue's description carries the findings the action
closes, with their clauses, so that the tracker holds the reason for the work and not only its title; labels name
the phase and the clauses, written without spaces because Jira splits labels on spaces.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from datetime import datetime, timedelta

import icalendar

from ..labels import PHASE_TITLES, SEVERITY_LABELS, STATUS_LABELS
from ..planning.plan import TrackedItem
from ..planning.report import Report
from .tables import to_csv

# How many actions lead the plan as the ones that decide the audit (the results page's "what decides your audit").
DECIDING = 5
PRIORITY_BY_PHASE = {"before Stage 1": "High", "before Stage 2": "Medium", "continual improvement": "Low"}


def label(text: str) -> str:
    """A label every tracker keeps as one word: lower case, runs of anything else than [a-z0-9.] made a hyphen."""
    return re.sub(r"[^a-z0-9.]+", "-", text.lower()).strip("-")


def labels_of(item: TrackedItem) -> list[str]:
    return ["iso9001", label(f"phase {item.phase}"), *(label(f"clause {c}") for c in item.clauses)]


def priority_of(item: TrackedItem) -> str:
    """Jira's default priorities: the first actions decide the audit, the rest follow their phase."""
    return "Highest" if item.rank <= DECIDING else PRIORITY_BY_PHASE.get(item.phase, "Medium")


def description_of(item: TrackedItem, report: Report) -> str:
    """Plain text with light Markdown (GitHub and GitLab render it; Jira shows it as it is)."""
    findings = {f.id: f for f in report.findings}
    lines = [
        f"Rank {item.rank} of the ISO 9001 readiness plan, {PHASE_TITLES.get(item.phase, item.phase).lower()}.",
        "",
        f"Why here: {item.why}",
        "",
        f"Clauses: {', '.join(item.clauses) or 'none'}",
    ]
    closed = [findings[f] for f in item.closes if f in findings]
    if closed:
        lines += ["", "Findings this closes:"]
        for f in closed:
            lines.append(
                f"- [{SEVERITY_LABELS.get(f.severity, f.severity)}] {f.title} (clauses {', '.join(f.clauses)})"
            )
            if f.explanation:
                lines.append(f"  {f.explanation}")
    if item.steps:
        lines += ["", "Steps:"]
        lines += [f"{n}. {step.title}" for n, step in enumerate(item.steps, start=1)]
    tracking = [f"Status: {STATUS_LABELS.get(item.status, item.status)}"]
    if item.owner:
        tracking.append(f"Owner: {item.owner}")
    if item.due_date:
        tracking.append(f"Due: {item.due_date}")
    lines += ["", " · ".join(tracking)]
    if item.notes:
        lines += ["", f"Notes: {item.notes}"]
    return "\n".join(lines)


def jira_csv(plan: Sequence[TrackedItem], report: Report) -> bytes:
    """Jira's CSV importer: one Labels column per label (a repeated header is how it takes several values),
    dates as yyyy-MM-dd (the importer is told that format), UTF-8 without a byte order mark (Jira would read it as
    part of the first header)."""
    width = max((len(labels_of(item)) for item in plan), default=1)
    columns = ["Summary", "Issue Type", "Priority", "Due date", "Description", *["Labels"] * width]
    rows = [
        [
            item.title,
            "Task",
            priority_of(item),
            item.due_date or "",
            description_of(item, report),
            *_padded(labels_of(item), width),
        ]
        for item in plan
    ]
    return to_csv(columns, rows, byte_order_mark=False)


def gitlab_csv(plan: Sequence[TrackedItem], report: Report) -> bytes:
    """GitLab's issue import: title and description first (it reads them by position), then its due date column.
    Labels have no column there; a /label quick action at the end of the description sets them on import."""
    rows = [
        [
            item.title,
            description_of(item, report) + "\n\n/label " + " ".join(f"~{x}" for x in labels_of(item)),
            item.due_date or "",
        ]
        for item in plan
    ]
    return to_csv(["title", "description", "due date"], rows, byte_order_mark=False)


def github_issues(plan: Sequence[TrackedItem], report: Report) -> list[dict]:
    """GitHub has no CSV import: a JSON list a `gh issue create` loop reads (README, "Taking the plan out")."""
    return [
        {
            "rank": item.rank,
            "title": item.title,
            "body": description_of(item, report),
            "labels": labels_of(item),
            "milestone": PHASE_TITLES.get(item.phase, item.phase),
            "due": item.due_date,
        }
        for item in plan
    ]


def github_json(plan: Sequence[TrackedItem], report: Report) -> bytes:
    return (json.dumps(github_issues(plan, report), ensure_ascii=False, indent=2) + "\n").encode()


def calendar(plan: Sequence[TrackedItem], *, name: str, uid_prefix: str, generated_at: datetime) -> bytes:
    """An all-day event on each open action's due date; actions without one, done or dropped are left out.
    `uid_prefix` keeps each event's UID stable across downloads, so a calendar updates it instead of adding it."""
    cal = icalendar.Calendar()
    cal.add("prodid", "-//Clausewise//ISO 9001 readiness plan//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", name)
    for item in plan:
        if item.due is None or item.status in ("done", "wont_do"):
            continue
        event = icalendar.Event()
        event.add("uid", f"{uid_prefix}-{item.id}@clausewise")
        event.add("dtstamp", generated_at)
        event.add("dtstart", item.due)
        event.add("dtend", item.due + timedelta(days=1))
        event.add("summary", f"Due: {item.title}")
        owner = f"Owner: {item.owner}. " if item.owner else ""
        event.add(
            "description", f"{owner}Rank {item.rank}, {PHASE_TITLES.get(item.phase, item.phase).lower()}. {item.why}"
        )
        event.add("categories", labels_of(item))
        cal.add_component(event)
    return cal.to_ical()


def _padded(values: list[str], width: int) -> list[str]:
    return values + [""] * (width - len(values))
