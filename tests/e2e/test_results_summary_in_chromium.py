"""The results page in chromium at 1366x900: the summary in the first screen, the rest folded (with and without
JavaScript) and unfolded again for print, and what an interview still in progress says."""

from __future__ import annotations

import json
import re

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from app.extensions import db
from app.models import Assessment, AssessmentStatus
from app.services import assessments

from .. import factories
from .conftest import ARTIFACTS, log_in, log_in_as

pytestmark = pytest.mark.browser

SCREEN = {"width": 1366, "height": 900}
THREE_SCREENS = 3 * SCREEN["height"]
OPEN_ALL = (
    "() => { document.querySelectorAll('details').forEach(d => d.open = true); return document.body.scrollHeight }"
)


def _demo_assessments(live_app, demo_workspace, status: AssessmentStatus) -> list[int]:
    with live_app.app_context():
        return db.session.scalars(
            sa.select(Assessment.id)
            .where(Assessment.id.in_(demo_workspace.assessments), Assessment.status == status)
            .order_by(Assessment.id)
        ).all()


@pytest.fixture
def consultant(browser, live_server, demo_workspace, request):
    """A logged-in consultant's page at 1366x900; `request.param` False switches JavaScript off."""
    scripts = getattr(request, "param", True)
    context = browser.new_context(base_url=live_server, viewport=SCREEN, java_script_enabled=scripts)
    page = context.new_page()
    log_in_as(page, *demo_workspace.login)
    yield page
    context.close()


def _shot(page, name: str, full_page: bool = True) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"results-summary-{name}.png"), full_page=full_page)


def test_a_completed_assessment_fits_three_screens_with_its_first_five_actions_in_the_first(
    consultant, live_app, demo_workspace
):
    page = consultant
    completed = _demo_assessments(live_app, demo_workspace, AssessmentStatus.COMPLETED)
    assert completed, "the demo workspace has completed assessments"
    heights = {}
    for assessment_id in completed:
        page.goto(f"/workspace/assessments/{assessment_id}/results")
        folded = page.evaluate("document.body.scrollHeight")
        _shot(page, f"{assessment_id}-first-screen", full_page=False)
        _shot(page, f"{assessment_id}-folded")
        actions = page.locator(".first-action")
        expect(actions).to_have_count(5)
        for n in range(5):
            box = actions.nth(n).bounding_box()
            assert box["y"] + box["height"] <= SCREEN["height"], f"action {n + 1} of #{assessment_id} below the fold"
        verdict = page.locator(".verdict").bounding_box()
        assert verdict["y"] + verdict["height"] <= SCREEN["height"]
        # Each action on its line says what it closes, with the grade.
        first = actions.first
        expect(first.locator(".first-action-closes .badge").first).to_have_text(
            re.compile("Major|Minor|Observation|Improvement|Evidence to find")
        )
        unfolded = page.evaluate(OPEN_ALL)
        heights[assessment_id] = (folded, unfolded)
        assert folded <= THREE_SCREENS, f"#{assessment_id} is {folded} px tall before anything is opened"
        assert unfolded > 3 * folded  # the folds do hold the findings and tables
    (ARTIFACTS / "results-summary-heights.json").write_text(json.dumps(heights, indent=1))


def test_each_group_header_counts_its_findings_by_grade(consultant, live_app, demo_workspace):
    page = consultant
    assessment_id = _demo_assessments(live_app, demo_workspace, AssessmentStatus.COMPLETED)[0]
    page.goto(f"/workspace/assessments/{assessment_id}/results")
    groups = page.locator("details.group-findings")
    assert groups.count() > 1
    total = 0
    for n in range(groups.count()):
        group = groups.nth(n)
        severities = group.locator("article.finding").evaluate_all("items => items.map(i => i.dataset.severity)")
        counted = {g: severities.count(g) for g in dict.fromkeys(severities)}
        header = group.locator("summary .group-counts").inner_text()
        for severity, count in counted.items():
            word = {"observation": "observation", "improvement": "improvement"}.get(severity, severity)
            assert re.search(rf"\b{count} {word}", header), (header, counted)
        total += len(severities)
    assert total == page.locator("#findings article.finding").count()
    expect(page.locator("#findings .count")).to_contain_text(f"{total} findings")


@pytest.mark.parametrize("consultant", [False, True], ids=["without-js", "with-js"], indirect=True)
def test_findings_unfold_and_filter_with_and_without_javascript(consultant, live_app, demo_workspace, request):
    page = consultant
    scripts = request.node.callspec.id == "with-js"
    assessment_id = _demo_assessments(live_app, demo_workspace, AssessmentStatus.COMPLETED)[0]
    page.goto(f"/workspace/assessments/{assessment_id}/results")
    group = page.locator("details.group-findings").first
    finding = group.locator("article.finding").first
    expect(finding).to_be_hidden()
    group.locator("summary").click()
    expect(finding).to_be_visible()
    group.locator("summary").click()
    expect(finding).to_be_hidden()

    checklist = page.locator("#checklist-fold")
    expect(checklist.locator("table").first).to_be_hidden()
    expect(checklist.locator("summary").first).to_contain_text(
        re.compile(r"\d+ of \d+ required documents and records in place")
    )
    checklist.locator("summary").first.click()
    expect(checklist.locator("table").first).to_be_visible()

    # A link from the summary to a finding opens the group it is folded in.
    link = page.locator(".first-action-closes a").first
    target = link.get_attribute("href")
    link.click()
    expect(page.locator(target)).to_be_visible()
    expect(page.locator(target)).to_be_in_viewport()

    # The filter: htmx swaps the findings in place; without JavaScript the form is a plain GET.
    page.get_by_label("Severity").select_option("major")
    if not scripts:
        page.get_by_role("button", name="Filter").click()
    expect(page.locator("#findings .count")).to_contain_text("of ")
    assert "severity=major" in page.url
    shown = page.locator("#findings article.finding")
    assert shown.count() > 0
    for severity in shown.evaluate_all("items => items.map(i => i.dataset.severity)"):
        assert severity == "major"
    expect(shown.first).to_be_visible()  # a filtered list is what was asked for: its groups come open
    _shot(page, f"filtered-{'js' if scripts else 'no-js'}")


def test_printing_shows_every_folded_finding_and_table(consultant, live_app, demo_workspace):
    page = consultant
    assessment_id = _demo_assessments(live_app, demo_workspace, AssessmentStatus.COMPLETED)[0]
    page.goto(f"/workspace/assessments/{assessment_id}/results")
    findings = page.locator("#findings article.finding")
    checklist_rows = page.locator("#documented-information tr.di")
    expect(findings.first).to_be_hidden()

    page.emulate_media(media="print")  # the print stylesheet alone shows what is folded
    for n in range(findings.count()):
        expect(findings.nth(n)).to_be_visible()
    expect(checklist_rows.last).to_be_visible()
    expect(page.locator("form.filters")).to_be_hidden()
    _shot(page, "print")
    page.emulate_media(media="screen")
    expect(findings.first).to_be_hidden()

    # The script opens every fold before printing and closes again the ones that were closed.
    page.locator("details.group-findings").nth(1).evaluate("d => d.open = true")
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    assert page.evaluate("[...document.querySelectorAll('details')].every(d => d.open)")
    page.evaluate("window.dispatchEvent(new Event('afterprint'))")
    opened = page.locator("details.group-findings").evaluate_all("ds => ds.map(d => d.open)")
    assert opened == [n == 1 for n in range(len(opened))]


@pytest.fixture
def in_progress(live_app):
    """An interview just begun: three answers, one of them a major gap."""
    with live_app.app_context():
        organisation, owner = factories.organisation(name="Halfway Ltd")
        assessment = factories.assessment(owner, organisation.id, title="Halfway")
        assessments.save_answers(
            owner,
            assessment.id,
            {"people_in_scope": {"value": 12}, "scope_documented": "no", "pull_request_review": "yes"},
        )
        return owner.email, assessment.id


def test_an_interview_in_progress_says_how_far_it_is_and_what_is_known(browser, live_server, in_progress):
    email, assessment_id = in_progress
    context = browser.new_context(base_url=live_server, viewport=SCREEN)
    page = context.new_page()
    log_in(page, email)
    page.goto(f"/workspace/assessments/{assessment_id}/results")
    note = page.locator(".interview-so-far")
    expect(note).to_contain_text(re.compile(r"Interview in progress: 3 of \d+ questions answered"))
    expect(note).to_contain_text("findings known so far")
    page.get_by_role("link", name="Continue with the next question").click()
    page.wait_for_url(f"**/workspace/assessments/{assessment_id}/chat*")
    page.go_back()

    # The findings known so far are there, the long lists of what is not known yet are folded away.
    expect(page.locator("#finding-scope-not-documented")).to_be_attached()
    expect(page.locator("details.group-findings summary").first).to_contain_text("1 major")
    expect(page.locator(".not-assessed")).to_be_hidden()
    expect(page.locator("#checklist-not-known tr.di").first).to_be_hidden()
    expect(page.locator("#checklist-not-known > summary")).to_contain_text("not known yet")
    assert page.get_by_text("? Unknown").first.is_hidden()
    height = page.evaluate("document.body.scrollHeight")
    assert height <= THREE_SCREENS
    _shot(page, "in-progress")
    context.close()
