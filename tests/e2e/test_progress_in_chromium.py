"""The progress page (timeline, trend charts, comparison) and the portfolio (htmx search, sort, pages) in a real
browser, on SQLite and PostgreSQL: each test serves its own db_app on a loopback port."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.config import PROJECT_ROOT
from app.extensions import db
from app.models import Assessment, Role
from app.models.base import utcnow
from app.services import accounts, assessments

from .. import factories
from ..serving import serving
from .conftest import _screenshot, log_in

pytestmark = pytest.mark.browser
EXAMPLES = ["startup-scrum", "agency-documented", "company-near-ready"]


@pytest.fixture
def served(db_app):
    with serving(db_app, threaded=True) as url:
        yield url


def open_page(browser, base_url: str, request, **options):
    context = browser.new_context(base_url=base_url, viewport={"width": 1280, "height": 900}, **options)
    page = context.new_page()
    outside: list[str] = []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(base_url) else None)
    page.screenshot_step = lambda name: _screenshot(page, request.node.name, name)
    return context, page, outside


@pytest.fixture
def page(browser, served, request):
    context, page, outside = open_page(browser, served, request)
    yield page
    context.close()
    assert outside == [], f"the page loaded something from outside the app: {outside}"


def backdate(assessment_id: int, days: int) -> None:
    when = utcnow() - timedelta(days=days)
    db.session.execute(
        sa.update(Assessment).where(Assessment.id == assessment_id).values(started_at=when, last_activity_at=when)
    )
    db.session.commit()


def example(name: str) -> str:
    return (PROJECT_ROOT / "examples" / f"{name}.yaml").read_text()


@pytest.fixture
def northwind(db_app):
    """One organisation assessed three times over eight months, getting better."""
    with db_app.app_context():
        organisation, owner = factories.organisation(name="Northwind Apps")
        first = assessments.import_answers(owner, organisation.id, example("startup-scrum"), "Gap analysis")
        assessments.update_plan_action(
            owner, first.id, "determine-context-and-scope", {"status": "done", "owner": "CTO"}
        )
        assessments.complete_assessment(owner, first.id)
        second = assessments.repeat_assessment(owner, first.id)
        assessments.save_answer(owner, second.id, "quality_policy", "yes")
        assessments.save_answer(owner, second.id, "pull_request_review", "no")
        assessments.complete_assessment(owner, second.id)
        third = assessments.import_answers(owner, organisation.id, example("agency-documented"), "Pre-audit check")
        for assessment, days in ((first, 240), (second, 120), (third, 7)):
            backdate(assessment.id, days)
        return owner.email, organisation.id, [first.id, second.id, third.id]


def test_progress_timeline_trend_and_comparison(page, northwind):
    email, organisation_id, ids = northwind
    log_in(page, email)
    page.goto(f"/workspace/organisations/{organisation_id}")
    page.get_by_role("link", name="Progress over time").click()
    page.wait_for_url(f"**/workspace/organisations/{organisation_id}/progress")
    assert page.locator("#trend-overall circle.point").count() == 3
    assert page.locator("#trend-groups polyline").count() >= 7
    assert page.locator("#trend-overall").bounding_box()["width"] > 300  # drawn, not collapsed
    assert page.locator(".timeline-entry").count() == 3
    assert "Pre-audit check" in page.locator(".timeline-entry").first.inner_text()
    page.screenshot_step("progress")

    page.get_by_text("The numbers").click()
    assert page.locator(".trend-numbers table").is_visible()

    page.get_by_label("From").select_option(str(ids[0]))
    page.get_by_label("To").select_option(str(ids[1]))
    page.get_by_role("button", name="Compare").click()
    page.wait_for_url(f"**/workspace/compare?a={ids[0]}&b={ids[1]}")
    assert "There is no approved quality policy" in page.locator(".findings-resolved").inner_text()
    assert "Nobody reviews or authorises changes" in page.locator(".findings-regressed").inner_text()
    assert "written scope" in page.locator("#done-but-persisting").inner_text()
    assert "▲ +100" in page.locator('tr[data-clause="5.2.1"]').inner_text()
    page.screenshot_step("comparison")

    page.goto(f"/workspace/organisations/{organisation_id}/progress")
    page.emulate_media(media="print")
    assert page.locator("#trend-overall").is_visible() and not page.locator(".compare-section").is_visible()
    page.screenshot_step("progress-print")


def test_an_organisation_without_assessments_starts_its_first_from_the_progress_page(page, db_app):
    with db_app.app_context():
        organisation, owner = factories.organisation(name="Fresh Start Ltd")
        email, organisation_id = owner.email, organisation.id
    log_in(page, email)
    page.goto(f"/workspace/organisations/{organisation_id}/progress")
    assert page.get_by_role("heading", name="No assessment yet").is_visible()
    page.screenshot_step("empty")
    page.get_by_role("button", name="Start the first assessment").click()
    page.wait_for_url("**/workspace/assessments/*")
    page.goto(f"/workspace/organisations/{organisation_id}/progress")
    assert page.locator(".timeline-entry").count() == 1


@pytest.fixture
def consultant(db_app):
    """A consultant with 30 client organisations (one without any assessment) and an outsider's organisation."""
    with db_app.app_context():
        user = factories.user()
        for n in range(30):
            organisation = accounts.create_organisation(
                user, f"Client {n:02d} {['Apps', 'Labs', 'Cloud'][n % 3]}", Role.CONSULTANT
            )
            if n == 29:
                continue
            older = assessments.import_answers(user, organisation.id, example(EXAMPLES[n % 3]), "First look")
            backdate(older.id, 90 + n)
            if n % 2 == 0:
                newer = assessments.import_answers(user, organisation.id, example(EXAMPLES[(n + 1) % 3]), "Follow-up")
                backdate(newer.id, n)
        outsider = factories.user()
        accounts.create_organisation(outsider, "Client 99 Secret", Role.OWNER)
        return user.email


def test_portfolio_search_sort_and_pages_with_htmx(page, consultant):
    log_in(page, consultant)
    page.get_by_role("link", name="Portfolio").click()
    page.wait_for_url("**/workspace/portfolio")
    rows = page.locator("#portfolio-table tbody tr")
    assert rows.count() == 25 and "Client 00" in rows.first.inner_text()
    assert "30 organisations · page 1 of 2" in page.locator(".pagination").inner_text()
    page.screenshot_step("portfolio")

    page.evaluate("window.__sameDocument = true")  # survives only if htmx swaps the table without a reload
    page.get_by_role("columnheader", name="Readiness").get_by_role("link").click()
    page.wait_for_url("**/workspace/portfolio?sort=readiness&dir=asc")
    page.locator('th[data-sort="readiness"][aria-sort="ascending"]').wait_for()
    scores = [int(s) for s in page.locator("td.readiness").evaluate_all("cells => cells.map(c => c.dataset.score)")]
    assert scores == sorted(scores)
    page.get_by_role("columnheader", name="Readiness").get_by_role("link").click()
    page.locator('th[data-sort="readiness"][aria-sort="descending"]').wait_for()
    scores = [int(s) for s in page.locator("td.readiness").evaluate_all("cells => cells.map(c => c.dataset.score)")]
    assert scores == sorted(scores, reverse=True)
    page.screenshot_step("sorted-by-readiness")

    page.get_by_role("searchbox").fill("labs")
    page.wait_for_url("**/workspace/portfolio?q=labs&sort=readiness&dir=desc")  # the search keeps the order
    page.locator("#portfolio-table tbody tr").first.wait_for()
    names = page.locator("#portfolio-table tbody tr td:first-child a").all_inner_texts()
    assert names and all("Labs" in n for n in names) and len(names) == 10
    assert page.get_by_role("searchbox").evaluate("el => el === document.activeElement")
    page.screenshot_step("search-labs")

    page.get_by_role("searchbox").fill("secret")
    page.get_by_text("No organisation matches “secret”.").wait_for()  # an outsider's organisation stays hidden

    page.get_by_role("searchbox").fill("")
    page.locator("#portfolio-table tbody tr").nth(24).wait_for()
    page.get_by_role("link", name="Next →").click()
    page.get_by_text("page 2 of 2").wait_for()
    assert page.locator("#portfolio-table tbody tr").count() == 5
    assert page.evaluate("window.__sameDocument") is True
    page.screenshot_step("page-2")

    page.go_back()
    page.get_by_text("page 1 of 2").wait_for()


def test_portfolio_works_without_javascript(browser, served, consultant, request):
    context, page, outside = open_page(browser, served, request, java_script_enabled=False)
    try:
        log_in(page, consultant)
        page.goto("/workspace/portfolio?sort=open_majors&dir=desc")
        page.get_by_role("searchbox").fill("cloud")
        page.get_by_role("button", name="Search").click()
        page.wait_for_url("**/workspace/portfolio?q=cloud&sort=open_majors&dir=desc")
        names = page.locator("#portfolio-table tbody tr td:first-child a").all_inner_texts()
        assert len(names) == 10 and all("Cloud" in n for n in names)
        majors = [int(m) for m in page.locator("td.open-majors").all_inner_texts() if m.strip()]
        assert majors == sorted(majors, reverse=True)
        page.screenshot_step("no-js-search")
    finally:
        context.close()
    assert outside == []
