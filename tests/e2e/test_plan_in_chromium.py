"""The plan page in chromium at 1366x900 on the demo workspace: a compact list at most three screens tall, an
action opened and saved in place, filters with and without JavaScript, and no serious accessibility violation."""

from __future__ import annotations

import re

import pytest
from axe_playwright_python.sync_playwright import Axe

from .conftest import log_in_as
from .test_accessibility_in_chromium import OPTIONS

VIEWPORT = {"width": 1366, "height": 900}
THREE_SCREENS = 3 * VIEWPORT["height"]
SERIOUS = {"serious", "critical"}


@pytest.fixture
def consultant(browser, live_server, demo_workspace):
    context = browser.new_context(base_url=live_server, viewport=VIEWPORT)
    page = context.new_page()
    log_in_as(page, *demo_workspace.login)
    yield page
    context.close()


def plan_path(assessment_id: int) -> str:
    return f"/workspace/assessments/{assessment_id}/plan"


def filters(page):
    return page.get_by_role("search", name="Filter the plan")


def actions_on(page) -> int:
    return page.locator("article.plan-action").count()


def largest_plan(page, demo_workspace) -> int:
    sizes = {}
    for assessment_id in demo_workspace.assessments:
        page.goto(plan_path(assessment_id))
        sizes[assessment_id] = actions_on(page)
    return max(sizes, key=sizes.get)


def height(page) -> int:
    return page.evaluate("document.documentElement.scrollHeight")


def test_every_demo_plan_is_at_most_three_screens_tall_until_something_is_opened(consultant, demo_workspace):
    page = consultant
    heights = {}
    for assessment_id in demo_workspace.assessments:
        page.goto(plan_path(assessment_id))
        folded = height(page)
        page.evaluate("document.querySelectorAll('details.action-details').forEach(d => d.open = true)")
        heights[assessment_id] = (actions_on(page), folded, height(page))
    print("\nplan page heights (actions, folded px, every action opened px):", heights)
    page.goto(plan_path(largest_plan(page, demo_workspace)))
    page.screenshot(path=_artifact("plan-compact-1366.png"), full_page=True)
    assert any(actions for actions, _, _ in heights.values())
    assert {a: h for a, (_, h, _) in heights.items() if h > THREE_SCREENS} == {}


def test_an_action_opens_in_place_and_saves_with_javascript(consultant, demo_workspace):
    page = consultant
    page.goto(plan_path(largest_plan(page, demo_workspace)))
    action = page.locator("article.plan-action").nth(2)
    action_id = action.get_attribute("data-action")
    summary = action.locator("summary")
    form = action.locator("form.action-edit")
    assert not form.is_visible()
    summary.focus()
    page.keyboard.press("Enter")  # a keyboard user opens it the way a mouse user does
    assert form.is_visible()
    form.get_by_label("Owner").fill("Quinn Example")
    form.get_by_label("Due date").fill("2031-07-15")
    form.get_by_role("button", name="Save").click()
    page.wait_for_selector(f"#result-{action_id} .saved")
    line = page.locator(f"#line-{action_id}")
    page.wait_for_function(
        "id => document.getElementById('line-' + id).textContent.includes('Quinn Example')", arg=action_id
    )
    assert "2031-07-15" in line.inner_text() and "Unassigned" not in line.inner_text()
    assert action.locator("details").get_attribute("open") is not None  # the swap left it open
    page.screenshot(path=_artifact("plan-action-saved.png"), full_page=False)
    page.reload()
    assert "Quinn Example" in page.locator(f"#line-{action_id}").inner_text()


def test_filters_swap_the_list_and_push_the_address_with_javascript(consultant, demo_workspace):
    page = consultant
    assessment_id = largest_plan(page, demo_workspace)
    page.goto(plan_path(assessment_id))
    every = actions_on(page)
    filters(page).get_by_label("Owner").select_option("nobody")
    page.wait_for_url(re.compile(r".*owner=nobody.*"))
    page.wait_for_function(f"document.querySelectorAll('article.plan-action').length < {every}")
    unassigned = page.locator("article.plan-action")
    assert unassigned.count() > 0
    for n in range(unassigned.count()):
        assert "Unassigned" in unassigned.nth(n).locator("summary").inner_text()
    assert page.locator(".plan-count").inner_text().startswith(f"{unassigned.count()} of {every} actions")
    filters(page).get_by_label("Phase").select_option("before Stage 1")
    page.wait_for_url(re.compile(r".*phase=before.*"))
    page.wait_for_function("document.querySelectorAll('section.phase').length === 1")
    page.screenshot(path=_artifact("plan-filtered-js.png"), full_page=True)


def test_filters_work_without_javascript(browser, live_server, demo_workspace):
    context = browser.new_context(base_url=live_server, viewport=VIEWPORT, java_script_enabled=False)
    page = context.new_page()
    log_in_as(page, *demo_workspace.login)
    assessment_id = largest_plan(page, demo_workspace)
    page.goto(plan_path(assessment_id))
    every = actions_on(page)
    filters(page).get_by_label("Status").select_option("todo")
    filters(page).get_by_role("button", name="Filter").click()
    page.wait_for_url(re.compile(r".*status=todo.*"))
    todo = page.locator("article.plan-action")
    assert 0 < todo.count() < every or todo.count() == every  # the demo may have every action still to do
    for n in range(todo.count()):
        assert todo.nth(n).locator(".line-status").inner_text().endswith("To do")
    # the native disclosure opens without JavaScript too
    first = page.locator("article.plan-action").first
    first.locator("summary").click()
    assert first.locator(".why").is_visible()
    page.screenshot(path=_artifact("plan-filtered-no-js.png"), full_page=True)
    context.close()


def test_the_plan_page_has_no_serious_accessibility_violation(consultant, demo_workspace):
    page = consultant
    axe = Axe()
    found = {}
    for assessment_id in demo_workspace.assessments:
        page.goto(plan_path(assessment_id))
        page.evaluate("document.querySelectorAll('details.action-details').forEach(d => d.open = true)")
        violations = axe.run(page, options=OPTIONS).response["violations"]
        serious = sorted(f"{v['id']} ({len(v['nodes'])})" for v in violations if v["impact"] in SERIOUS)
        if serious:
            found[assessment_id] = serious
    assert found == {}


def _artifact(name: str) -> str:
    from .conftest import ARTIFACTS

    ARTIFACTS.mkdir(exist_ok=True)
    return str(ARTIFACTS / name)
