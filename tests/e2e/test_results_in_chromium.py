"""The results and the plan in a real browser: drilling down, filtering, editing a plan action in place, printing."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from app.config import PROJECT_ROOT
from app.services import assessments

from .. import factories
from .conftest import log_in

pytestmark = pytest.mark.browser


@pytest.fixture
def answered(live_app, live_server):
    with live_app.app_context():
        organisation, owner = factories.organisation(name="Brightpath Labs")
        text = (Path(PROJECT_ROOT) / "examples" / "startup-scrum.yaml").read_text()
        assessment = assessments.import_answers(owner, organisation.id, text, title="Spring gap analysis")
        return owner.email, assessment.id


def test_results_drill_down_and_filter_without_leaving_the_page(page, answered):
    email, assessment_id = answered
    log_in(page, email)
    page.goto(f"/workspace/assessments/{assessment_id}")
    page.get_by_role("button", name="See the results").click()
    page.wait_for_url(f"**/workspace/assessments/{assessment_id}/results")
    expect(page.locator(".verdict-label")).to_have_text("Not ready")
    page.evaluate("window.__sameDocument = true")
    page.screenshot_step("results")

    page.locator('#group-chart a[href$="/results/groups/9"]').click()
    expect(page.locator("#drilldown #group-9-chart")).to_be_visible()
    expect(page.locator("#drilldown .clause-table tbody tr")).not_to_have_count(0)
    page.locator("#drilldown").scroll_into_view_if_needed()
    page.screenshot_step("drill-down")

    total = page.locator("#findings article.finding").count()
    page.get_by_label("Severity").select_option("major")
    expect(page.locator("#findings .count")).to_contain_text(f"of {total} findings")
    shown = page.locator("#findings article.finding")
    assert 0 < shown.count() < total
    for severity in shown.evaluate_all("items => items.map(i => i.dataset.severity)"):
        assert severity == "major"
    assert "severity=major" in page.url  # the filter is in the address, for a reload or a link
    assert page.evaluate("window.__sameDocument") is True  # drill-down and filter came as htmx fragments
    page.locator("#findings").scroll_into_view_if_needed()
    page.screenshot_step("filtered")

    page.reload()
    expect(page.get_by_label("Severity")).to_have_value("major")
    assert page.locator("#findings article.finding").count() == shown.count()

    page.emulate_media(media="print")
    expect(page.locator("form.filters")).to_be_hidden()
    expect(page.locator("#group-chart")).to_be_visible()
    page.screenshot_step("print")


def test_editing_a_plan_action_in_place_survives_a_reload(page, answered):
    email, assessment_id = answered
    log_in(page, email)
    page.goto(f"/workspace/assessments/{assessment_id}/plan")
    page.evaluate("window.__sameDocument = true")
    row = page.locator("#action-determine-context-and-scope")
    page.screenshot_step("plan")

    row.locator("summary").click()  # the action's line opens its edit form in place
    row.get_by_label("Status").select_option("doing")
    expect(row.locator(".saved")).to_have_text("Saved.")
    expect(page.locator("#version-determine-context-and-scope")).to_have_value("1")
    row.get_by_label("Owner").fill("Dana <QA>")
    row.get_by_label("Owner").press("Tab")  # leaving the field is a change: saved at once
    expect(page.locator("#version-determine-context-and-scope")).to_have_value("2")
    row.get_by_label("Due date").fill("2001-02-03")
    row.get_by_label("Due date").press("Tab")
    expect(row.locator(".action-result .badge-overdue")).to_have_text("Overdue")
    expect(row.locator("summary .badge-overdue")).to_have_text("Overdue")  # the line says it too
    expect(page.locator("#version-determine-context-and-scope")).to_have_value("3")
    assert page.evaluate("window.__sameDocument") is True
    row.scroll_into_view_if_needed()
    page.screenshot_step("plan-saved")

    page.reload()
    row = page.locator("#action-determine-context-and-scope")
    expect(row.locator("summary")).to_contain_text("Dana <QA>")
    row.locator("summary").click()
    expect(row.get_by_label("Status")).to_have_value("doing")
    expect(row.get_by_label("Owner")).to_have_value("Dana <QA>")
    expect(row.locator(".overdue")).to_contain_text("was due 2001-02-03")
    row.scroll_into_view_if_needed()
    page.screenshot_step("plan-after-reload")
