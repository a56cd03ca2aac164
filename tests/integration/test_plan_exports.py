"""The plan taken out of the app: Jira and GitLab CSV, GitHub JSON and an iCalendar file, each read back the way
its importer reads it and compared with the plan."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from datetime import date

import icalendar
import pytest

from app.config import PROJECT_ROOT
from app.formats.trackers import labels_of
from app.models import Role
from app.services import accounts, assessments, evaluation

from .. import factories
from ..webclient import login

OWNER = "=cmd|' /C calc'!A0"  # typed by a user: must not run as a formula in a spreadsheet
EXPORTS = "/workspace/assessments/{}/export/{}"


@dataclass
class Planned:
    email: str
    token: str
    assessment_id: int
    plan: list  # TrackedItem
    report: object
    viewer_email: str


@pytest.fixture
def planned(db_app) -> Planned:
    with db_app.app_context():
        organisation, owner = factories.organisation(name="Northwind Apps")
        text = (PROJECT_ROOT / "examples" / "startup-scrum.yaml").read_text()
        assessment = assessments.import_answers(owner, organisation.id, text, "Gap analysis")
        first, second, third = evaluation.evaluate(assessment).plan[:3]
        assessments.update_plan_action(owner, assessment.id, first.id, {"owner": OWNER, "due_date": "2027-03-31"})
        assessments.update_plan_action(owner, assessment.id, second.id, {"due_date": "2027-04-15"})
        assessments.update_plan_action(owner, assessment.id, third.id, {"due_date": "2027-01-10", "status": "done"})
        _row, token = accounts.create_api_token(owner, "exports")
        viewer = factories.member(organisation.id, Role.VIEWER, by=owner)
        report = evaluation.evaluate(assessment)
        plan = assessments.plan_of(assessment, report)
        return Planned(owner.email, token, assessment.id, plan, report, viewer.email)


def fetch(db_app, planned: Planned, what: str):
    client = db_app.test_client()
    login(client, planned.email)
    response = client.get(EXPORTS.format(planned.assessment_id, what))
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    assert response.headers["Content-Disposition"].startswith('attachment; filename="northwind-apps-assessment-')
    assert "no-store" in response.headers["Cache-Control"]
    return response


def test_jira_csv_has_one_issue_per_action_with_repeated_labels_columns_and_due_dates(db_app, planned):
    response = fetch(db_app, planned, "plan-jira.csv")
    assert response.mimetype == "text/csv"
    assert not response.data.startswith(b"\xef\xbb\xbf")  # Jira would read a BOM into its first header
    header, *rows = list(csv.reader(io.StringIO(response.data.decode())))
    assert header[:5] == ["Summary", "Issue Type", "Priority", "Due date", "Description"]
    assert set(header[5:]) == {"Labels"} and len(header) > 6
    assert [r[0] for r in rows] == [item.title for item in planned.plan]
    for row, item in zip(rows, planned.plan, strict=True):
        assert row[3] == (item.due_date or "")
        assert [x for x in row[5:] if x] == labels_of(item)
        assert all(" " not in x for x in row[5:])  # Jira splits a label on spaces
        assert f"Rank {item.rank} " in row[4]
        assert f"Clauses: {', '.join(item.clauses)}" in row[4]
    assert rows[0][2] == "Highest"
    assert rows[0][3] == "2027-03-31" and rows[1][3] == "2027-04-15"
    assert "'=cmd" in rows[0][4] or f"Owner: {OWNER}" in rows[0][4]  # inside the text, not at a cell's start
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)


def test_jira_description_names_the_findings_an_action_closes(db_app, planned):
    rows = list(csv.DictReader(io.StringIO(fetch(db_app, planned, "plan-jira.csv").data.decode())))
    findings = {f.id: f for f in planned.report.findings}
    with_findings = [(row, item) for row, item in zip(rows, planned.plan, strict=True) if item.closes]
    assert with_findings
    for row, item in with_findings:
        for finding_id in item.closes:
            if finding_id in findings:
                assert findings[finding_id].title in row["Description"]


def test_gitlab_csv_has_title_and_description_first_and_labels_as_a_quick_action(db_app, planned):
    response = fetch(db_app, planned, "plan-gitlab.csv")
    rows = list(csv.DictReader(io.StringIO(response.data.decode())))
    assert list(rows[0]) == ["title", "description", "due date"]
    assert [r["title"] for r in rows] == [item.title for item in planned.plan]
    for row, item in zip(rows, planned.plan, strict=True):
        assert row["due date"] == (item.due_date or "")
        quick_action = row["description"].splitlines()[-1]
        assert quick_action == "/label " + " ".join(f"~{x}" for x in labels_of(item))


def test_github_json_lists_issues_with_title_body_labels_milestone_and_due(db_app, planned):
    response = fetch(db_app, planned, "plan-github.json")
    assert response.mimetype == "application/json"
    issues = json.loads(response.data)
    assert [(i["rank"], i["title"]) for i in issues] == [(item.rank, item.title) for item in planned.plan]
    assert [i["due"] for i in issues] == [item.due_date for item in planned.plan]
    assert [i["labels"] for i in issues] == [labels_of(item) for item in planned.plan]
    assert issues[0]["labels"][1] == "phase-" + planned.plan[0].phase.replace(" ", "-").lower()
    assert {i["milestone"] for i in issues} <= {"Before Stage 1", "Before Stage 2", "Continual improvement"}


def test_bundled_actions_list_their_steps_in_the_issue_body(db_app, planned):
    issues = json.loads(fetch(db_app, planned, "plan-github.json").data)
    bundles = [(issue, item) for issue, item in zip(issues, planned.plan, strict=True) if item.steps]
    if not bundles:
        pytest.skip("this example's plan has no bundled action")
    for issue, item in bundles:
        for n, step in enumerate(item.steps, start=1):
            assert f"{n}. {step.title}" in issue["body"]


def test_calendar_has_an_all_day_event_on_each_open_due_date(db_app, planned):
    response = fetch(db_app, planned, "plan-calendar.ics")
    assert response.mimetype == "text/calendar"
    calendar = icalendar.Calendar.from_ical(response.data)
    events = list(calendar.walk("VEVENT"))
    due = {item.id: item for item in planned.plan if item.due_date and item.status not in ("done", "wont_do")}
    assert len(events) == len(due) == 2  # the done action's date is left out
    by_start = {e.decoded("dtstart"): e for e in events}
    assert set(by_start) == {date(2027, 3, 31), date(2027, 4, 15)}
    first = by_start[date(2027, 3, 31)]
    assert str(first["summary"]) == f"Due: {planned.plan[0].title}"
    assert first.decoded("dtend") == date(2027, 4, 1)
    assert str(first["uid"]) == f"assessment-{planned.assessment_id}-{planned.plan[0].id}@clausewise"
    again = icalendar.Calendar.from_ical(fetch(db_app, planned, "plan-calendar.ics").data)
    assert {str(e["uid"]) for e in again.walk("VEVENT")} == {str(e["uid"]) for e in events}  # stable across downloads


def test_the_api_serves_the_same_files(db_app, planned):
    client = db_app.test_client()
    headers = {"Authorization": f"Bearer {planned.token}"}
    path = f"/api/v1/assessments/{planned.assessment_id}/plan-export"
    web = db_app.test_client()
    login(web, planned.email)
    for fmt, what, mimetype in [
        ("jira", "plan-jira.csv", "text/csv"),
        ("gitlab", "plan-gitlab.csv", "text/csv"),
        ("github", "plan-github.json", "application/json"),
    ]:
        response = client.get(path, query_string={"format": fmt}, headers=headers)
        assert response.status_code == 200 and response.mimetype == mimetype
        assert response.data == web.get(EXPORTS.format(planned.assessment_id, what)).data
    calendar = client.get(path, query_string={"format": "calendar"}, headers=headers)
    assert len(list(icalendar.Calendar.from_ical(calendar.data).walk("VEVENT"))) == 2
    assert client.get(path, query_string={"format": "trello"}, headers=headers).status_code == 422
    assert client.get(path, query_string={"format": "jira"}).status_code == 401


def test_another_organisations_plan_export_is_404(db_app, planned):
    with db_app.app_context():
        _, stranger = factories.organisation(name="Another Tenant")
        email = stranger.email
        _row, token = accounts.create_api_token(stranger, "other")
    other = db_app.test_client()
    login(other, email)
    for what in ("plan-jira.csv", "plan-gitlab.csv", "plan-github.json", "plan-calendar.ics"):
        assert other.get(EXPORTS.format(planned.assessment_id, what)).status_code == 404
        assert db_app.test_client().get(EXPORTS.format(planned.assessment_id, what)).status_code == 302
    api = other.get(
        f"/api/v1/assessments/{planned.assessment_id}/plan-export",
        query_string={"format": "jira"},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert api.status_code == 404


def test_a_viewer_may_download_the_plan_files(db_app, planned):
    client = db_app.test_client()
    login(client, planned.viewer_email)
    assert client.get(EXPORTS.format(planned.assessment_id, "plan-jira.csv")).status_code == 200


def test_an_unknown_plan_format_or_a_wrong_extension_is_404(db_app, planned):
    client = db_app.test_client()
    login(client, planned.email)
    assert client.get(EXPORTS.format(planned.assessment_id, "plan-trello.csv")).status_code == 404
    assert client.get(EXPORTS.format(planned.assessment_id, "plan-jira.json")).status_code == 404
