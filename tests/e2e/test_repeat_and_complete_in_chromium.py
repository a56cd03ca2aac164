"""A repeat confirmed to the end by clicking "still true" on every kind of question, then completed (asked to
confirm first, with what is unanswered) and reopened, in a real browser."""

from __future__ import annotations

import re

import pytest

from app.extensions import knowledge_base
from app.services import assessments

from .. import factories
from .conftest import log_in

pytestmark = pytest.mark.browser


def a_value(question):
    """An answer every question of its kind accepts."""
    return {
        "yes_no": "yes",
        "number": 25,
        "scale": 3,
        "single_choice": question.options[0].value if question.options else None,
        "multiple_choice": [question.options[-1].value] if question.options else None,
    }.get(question.kind, "As we said last time")


@pytest.fixture
def completed_scan(live_app):
    """A quick scan with every question answered, completed: what a repeat copies."""
    with live_app.app_context():
        organisation, owner = factories.organisation(name="Repeat Browser Ltd")
        first = factories.assessment(owner, organisation.id, "quick-scan", title="Gap analysis")
        questions = knowledge_base().questionnaire("quick-scan").questions
        assessments.save_answers(owner, first.id, {q.id: {"value": a_value(q)} for q in questions})
        assessments.complete_assessment(owner, first.id)
        return owner.email, first.id, {q.kind for q in questions}


def test_a_repeat_confirmed_to_the_end_with_still_true_then_completed_and_reopened(page, completed_scan):
    email, first_id, kinds = completed_scan
    assert {"yes_no", "number", "scale", "single_choice", "multiple_choice"} <= kinds
    log_in(page, email)
    page.goto(f"/workspace/assessments/{first_id}")
    page.get_by_role("button", name="Repeat from this one").click()
    page.wait_for_url(re.compile(rf".*/workspace/assessments/(?!{first_id}$)\d+$"))
    repeat_url = page.url
    title = page.locator("h1").inner_text()
    assert title.startswith("Gap analysis (repeat, ")  # not the same title as the one it repeats

    page.get_by_role("button", name=re.compile("the interview")).click()
    page.wait_for_url("**/chat")
    progress = page.locator("#progress").inner_text()
    assert progress.startswith("Answered 0 of"), progress  # copied answers count once confirmed
    page.screenshot_step("repeat-first-question")

    confirmed_kinds = set()
    for _ in range(60):
        composer = page.locator("#composer")
        if composer.get_by_text("That was the last question").count():
            break
        kind = composer.locator('input[name="kind"]').get_attribute("value")
        if kind == "multiple_choice":  # the earlier choice is shown ticked
            assert composer.locator('input[type="checkbox"]:checked').count() == 1
            page.screenshot_step("repeat-multiple-choice-ticked")
        before = page.locator("#transcript > li").count()
        button = composer.get_by_role("button", name="Still true")
        assert button.is_enabled(), kind
        button.click()
        page.locator("#transcript > li").nth(before).wait_for()
        confirmed_kinds.add(kind)
        assert "couldn't find" not in page.locator("#transcript").inner_text()
    else:
        pytest.fail("the repeat did not end")
    assert confirmed_kinds == kinds
    assert "100%" in page.locator("#progress").inner_text()
    page.screenshot_step("repeat-confirmed")

    # Complete: asked first, in place.
    page.goto(repeat_url)
    page.get_by_role("button", name=re.compile("Complete and freeze")).click()
    dialog = page.locator("#complete-step")
    dialog.get_by_role("heading", name="Complete and freeze the report?").wait_for()
    assert "Every question that matters is answered" in dialog.inner_text()
    page.screenshot_step("complete-confirmation")
    dialog.get_by_role("button", name="Complete the assessment").click()
    assert page.url == repeat_url  # the box is required: nothing was sent
    dialog.get_by_role("checkbox").check()
    dialog.get_by_role("button", name="Complete the assessment").click()
    page.get_by_role("button", name="Reopen to change answers").wait_for()
    assert "completed" in page.locator("hgroup").inner_text()
    page.screenshot_step("completed")

    page.get_by_role("button", name="Reopen to change answers").click()
    page.locator("#reopening-1").wait_for()
    assert "kept as revision 1" in page.locator("#reopening-1").inner_text()
    assert "in progress" in page.locator("hgroup").inner_text()
    page.screenshot_step("reopened")


def test_completing_with_unanswered_questions_names_them(page, live_app):
    with live_app.app_context():
        organisation, owner = factories.organisation(name="Half Done Ltd")
        started = factories.assessment(owner, organisation.id, "quick-scan")
        assessments.save_answers(owner, started.id, {"people_in_scope": {"value": 8}})
        email, started_id = owner.email, started.id
    log_in(page, email)
    page.goto(f"/workspace/assessments/{started_id}")
    page.get_by_role("button", name=re.compile("Complete and freeze")).click()
    page.get_by_role("heading", name="Complete and freeze the report?").wait_for()
    text = page.locator("#complete-step").inner_text()
    assert re.search(r"\d+ of \d+ questions that matter are not answered", text), text
    assert "Your organisation: 5" in text
    page.screenshot_step("unanswered")
