"""The whole quick-scan interview in a real browser: clicking, typing, editing, reloading, and without JavaScript."""

from __future__ import annotations

import pytest

from .conftest import log_in

pytestmark = pytest.mark.browser


def answer_current(page):
    """Answer whatever is asked, the way a person would: click a quick reply, tick options, or type."""
    composer = page.locator("#composer")
    kind = composer.locator('input[name="kind"]').get_attribute("value")
    before = page.locator("#transcript > li").count()
    if kind == "yes_no":
        composer.get_by_role("button", name="Partly", exact=True).click()
    elif kind == "scale":
        composer.get_by_role("button", name="3").first.click()
    elif kind == "single_choice":
        composer.locator('.quick-replies button[name="value"]').first.click()
    elif kind == "multiple_choice":
        composer.locator('input[type="checkbox"]').first.check()
        composer.get_by_role("button", name="Save the ticked options").click()
    else:
        page.locator("#answer-input").fill("about 40 people" if kind == "number" else "A free answer")
        page.locator("#answer-input").press("Enter")
    page.locator("#transcript > li").nth(before).wait_for()  # a new bubble arrived


def test_a_full_quick_scan_interview_by_clicking_and_typing(page, interview):
    email, assessment_id = interview
    log_in(page, email)
    page.goto(f"/workspace/assessments/{assessment_id}/chat")
    page.screenshot_step("first-question")
    assert page.evaluate("document.activeElement.id") == "answer-input"
    page.evaluate("window.__sameDocument = true")
    for _ in range(40):
        if page.locator("#composer").get_by_text("That was the last question").count():
            break
        answer_current(page)
    else:
        pytest.fail("the interview did not end")
    assert page.evaluate("window.__sameDocument") is True  # every answer came back as an htmx fragment
    page.screenshot_step("last-question")
    assert "100%" in page.locator("#progress").inner_text()
    page.get_by_role("link", name="See the results").click()
    page.wait_for_url(f"**/workspace/assessments/{assessment_id}/results")
    page.screenshot_step("results")


def test_editing_a_past_answer_and_resuming_after_a_reload(page, interview):
    email, assessment_id = interview
    log_in(page, email)
    page.goto(f"/workspace/assessments/{assessment_id}/chat")
    page.locator("#answer-input").fill("we are 12")
    page.locator("#answer-input").press("Enter")
    page.locator(".bubble.user").first.wait_for()
    page.locator(".bubble.user .answer-edit").first.click()
    page.get_by_text("Let's revisit").wait_for()
    page.locator("#answer-input").fill("about 30")
    page.locator("#answer-input").press("Enter")
    page.get_by_text("about 30").wait_for()
    page.screenshot_step("edited")
    transcript = page.locator("#transcript").inner_text()
    page.reload()
    assert page.locator("#transcript").inner_text() == transcript
    page.screenshot_step("after-reload")


def test_typed_html_and_script_stay_text(page, interview):
    email, assessment_id = interview
    log_in(page, email)
    page.goto(f"/workspace/assessments/{assessment_id}/chat")
    page.evaluate("window.__pwned = false")
    payload = '<img src=x onerror="window.__pwned=true"><script>window.__pwned=true</script>'
    page.locator("#answer-input").fill(payload)
    page.locator("#answer-input").press("Enter")
    page.get_by_text("<script>window.__pwned=true</script>", exact=False).first.wait_for()
    assert page.evaluate("window.__pwned") is False
    page.screenshot_step("payload-as-text")


def test_the_interview_works_without_javascript(browser, live_server, interview, request):
    email, assessment_id = interview
    context = browser.new_context(base_url=live_server, java_script_enabled=False)
    page = context.new_page()
    try:
        log_in(page, email)
        page.goto(f"/workspace/assessments/{assessment_id}/chat")
        first = page.locator('input[name="question_id"]').get_attribute("value")
        page.locator("#answer-input").fill("about 40 people")
        page.get_by_role("button", name="Send").click()
        page.wait_for_load_state()
        assert page.locator('input[name="question_id"]').get_attribute("value") != first
        assert "about 40 people" in page.locator("#transcript").inner_text()
        page.screenshot(path=str(_artifact(request, "no-js")), full_page=True)
    finally:
        context.close()


def _artifact(request, step):
    from .conftest import ARTIFACTS

    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS / f"{request.node.name}-{step}.png"
