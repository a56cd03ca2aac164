"""The chat's rough edges in a real browser, walked as a new user: ranges and "don't know" to click, an empty
multiple-choice save, an aside and the question after it, the change button reached by keyboard, the sidebar
keeping up with the total, and the links to the results and the plan."""

from __future__ import annotations

import re

import pytest

from .conftest import log_in
from .test_interview_in_chromium import answer_current

pytestmark = pytest.mark.browser


def open_chat(page, interview):
    email, assessment_id = interview
    log_in(page, email)
    page.goto(f"/workspace/assessments/{assessment_id}/chat")
    return assessment_id


def bubbles(page):
    return page.locator("#transcript > li")


def test_a_new_chat_introduces_itself_and_offers_ranges_for_the_first_number(page, interview):
    open_chat(page, interview)
    assert page.locator("h1").count() == 1 and page.locator("h1").inner_text().startswith("Interview: ")
    assert re.match(
        r"Hello! This interview has \d+ questions, and takes about \d+ minutes", bubbles(page).first.inner_text()
    )
    composer = page.locator("#composer")
    assert composer.get_by_role("button", name="Don't know").is_visible()
    composer.get_by_role("button", name="11–25 people").click()
    page.locator(".bubble.user", has_text="11–25 people").wait_for()
    page.screenshot_step("range-clicked")


def test_an_empty_multiple_choice_save_says_what_to_do(page, interview):
    open_chat(page, interview)
    for _ in range(10):
        if page.locator('#composer input[name="kind"]').get_attribute("value") == "multiple_choice":
            break
        answer_current(page)
    composer = page.locator("#composer")
    assert composer.get_by_role("button", name="Don't know").is_visible()
    before = bubbles(page).count()
    composer.get_by_role("button", name="Save the ticked options").click()
    alert = page.get_by_role("alert")
    alert.wait_for()
    assert "tick at least one option" in alert.inner_text() and "“None yet”" in alert.inner_text()
    assert bubbles(page).count() == before
    page.screenshot_step("nothing-ticked")


def test_after_a_glossary_answer_the_question_is_asked_again(page, interview):
    open_chat(page, interview)
    answer_current(page)
    question = page.locator(".bubble.assistant.question").last.inner_text()
    page.locator("#answer-input").fill("what does nonconformity mean?")
    page.locator("#answer-input").press("Enter")
    page.get_by_text("Nonconformity: A requirement that was not met.").wait_for()
    last = bubbles(page).last
    assert last.inner_text() == f"Back to the question: {question}"
    assert page.locator("#composer .quick-replies button").first.is_visible()
    page.screenshot_step("asked-again")


def test_a_past_answer_is_changed_from_its_visible_button_by_keyboard(page, interview):
    open_chat(page, interview)
    page.locator("#answer-input").fill("we are 12")
    page.locator("#answer-input").press("Enter")
    change = page.locator(".bubble.user .answer-edit").first
    change.wait_for()
    assert change.is_visible() and change.inner_text().strip() == "✎ Change"
    page.locator("body").focus()
    for _ in range(80):  # Tab from the top of the page until the change button has the focus
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('answer-edit')"):
            break
    else:
        pytest.fail("the change button cannot be reached with the keyboard")
    page.keyboard.press("Enter")
    page.get_by_text("Let's revisit this one (you said “12 people”)").wait_for()
    page.screenshot_step("revisit-by-keyboard")


def test_the_sidebar_keeps_up_with_the_total_and_the_results_are_a_click_away(page, interview):
    assessment_id = open_chat(page, interview)
    for _ in range(3):
        answer_current(page)
    top = re.search(r"Answered (\d+) of (\d+)", page.locator("#progress").inner_text())
    counts = [tuple(map(int, c.split("/"))) for c in page.locator("#sections small").all_inner_texts() if "/" in c]
    assert sum(a for a, _ in counts) == int(top.group(1)) == 3
    assert sum(r for _, r in counts) == int(top.group(2))
    page.screenshot_step("sidebar")
    page.get_by_role("link", name="Plan so far").click()
    page.wait_for_url(f"**/workspace/assessments/{assessment_id}/plan")
    page.go_back()
    page.get_by_role("link", name="Results so far").click()
    page.wait_for_url(f"**/workspace/assessments/{assessment_id}/results")


def test_the_chat_with_its_new_parts_has_no_serious_accessibility_violation(page, interview):
    from axe_playwright_python.sync_playwright import Axe

    from .test_accessibility_in_chromium import OPTIONS, SERIOUS

    open_chat(page, interview)
    for _ in range(4):  # a range clicked, a choice, ... up to the multiple-choice question
        answer_current(page)
    page.locator("#answer-input").fill("show my plan")
    page.locator("#answer-input").press("Enter")
    page.locator(".bubble.plan").wait_for()
    violations = Axe().run(page, options=OPTIONS).response["violations"]
    assert sorted(v["id"] for v in violations if v["impact"] in SERIOUS) == []
    page.screenshot_step("plan-bubble")
