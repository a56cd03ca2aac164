"""The results page leads with the actions that decide the audit, and every channel shows merged findings and the
steps of bundled actions: the pages, the API and the exports (examples/full-tiny-startup.yaml, on both databases).
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest

from app.config import PROJECT_ROOT
from app.services import assessments

from .. import factories
from ..apiclient import caller_for
from ..webclient import login

STARTUP = Path(PROJECT_ROOT) / "examples" / "full-tiny-startup.yaml"
FIRST_FIVE = [
    "determine-context-and-scope",
    "set-policy-and-objectives",
    "describe-delivery-system",
    "close-the-loop",
    "audit-and-review",
]


@pytest.fixture
def startup(db_app):
    with db_app.app_context():
        organisation, owner = factories.organisation(name="Fennel")
        assessment = assessments.import_answers(owner, organisation.id, STARTUP.read_text(), title="start-up")
        client = db_app.test_client()
        assert login(client, owner.email).status_code == 302
        return client, caller_for(db_app, owner), assessment.id


def test_results_lead_with_the_five_actions_that_decide_the_audit(startup):
    client, _api, assessment_id = startup
    html = client.get(f"/workspace/assessments/{assessment_id}/results").get_data(as_text=True)
    head = html.index('id="first-actions-heading"')
    assert head < html.index('id="findings-title"') and head < html.index('id="readiness-heading"')
    section = html[head : html.index("</section>", head)]
    assert re.findall(r'<li class="first-action" id="first-([^"]+)"', section) == FIRST_FIVE
    # Each with its steps: the context action holds the climate decision and the scope.
    context = section[section.index('id="first-determine-context-and-scope"') : section.index('id="first-set-policy')]
    steps = re.findall(r'<li data-step="([^"]+)">', context)
    assert steps[:2] == ["map-context-and-parties", "decide-climate-relevance"] and "write-scope" in steps


def test_a_merged_finding_shows_the_rules_it_stands_for(startup):
    client, _api, assessment_id = startup
    html = client.get(f"/workspace/assessments/{assessment_id}/results").get_data(as_text=True)
    assert len(re.findall(r'<article class="finding" id="finding-', html)) <= 25
    objectives = html[html.index('id="finding-planning-objectives-missing"') :]
    objectives = objectives[: objectives.index("</article>")]
    assert "One gap, also raised by" in objectives
    assert {"d-measurement-history-missing", "d-analysis-without-decisions"} <= set(
        re.findall(r'<li data-rule="([^"]+)">', objectives)
    )
    assert 'id="finding-d-measurement-history-missing"' not in html


def test_the_plan_page_lists_each_bundles_steps(startup):
    client, _api, assessment_id = startup
    html = client.get(f"/workspace/assessments/{assessment_id}/plan").get_data(as_text=True)
    action = html[html.index('id="action-close-the-loop"') :]
    action = action[: action.index("</article>")]
    assert {"set-up-corrective-action-log", "measure-customer-satisfaction"} <= set(
        re.findall(r'<li data-step="([^"]+)">', action)
    )


def test_the_api_sends_merged_findings_and_action_steps(startup):
    _client, api, assessment_id = startup
    report = api.get(f"/assessments/{assessment_id}/evaluation").get_json()
    merged = {f["id"]: [m["id"] for m in f["merged"]] for f in report["findings"]}
    assert "d-measurement-history-missing" in merged["planning-objectives-missing"]
    assert [i["id"] for i in report["plan"][:5]] == FIRST_FIVE
    plan = api.get(f"/assessments/{assessment_id}/plan").get_json()
    steps = {i["id"]: [s["id"] for s in i["steps"]] for i in plan}
    assert "write-scope" in steps["determine-context-and-scope"]
    assert set(plan[0]["steps"][0]) == {"id", "title", "clauses", "closes", "effort"}


def test_exports_show_merged_findings_and_steps(startup):
    client, _api, assessment_id = startup
    base = f"/workspace/assessments/{assessment_id}/export"
    markdown = client.get(f"{base}/report.md").get_data(as_text=True)
    assert markdown.index("## The actions that decide the audit") < markdown.index("## Findings")
    assert "**One gap, also raised by:**" in markdown and "(steps: 1. " in markdown
    findings = list(csv.DictReader(io.StringIO(client.get(f"{base}/findings.csv").data.decode("utf-8-sig"))))
    by_id = {row["Finding"]: row for row in findings}
    assert "d-measurement-history-missing" in by_id["planning-objectives-missing"]["Merged rules"]
    plan = list(csv.DictReader(io.StringIO(client.get(f"{base}/plan.csv").data.decode("utf-8-sig"))))
    assert plan[0]["Action"] == "determine-context-and-scope" and plan[0]["Steps"].startswith("1. ")
