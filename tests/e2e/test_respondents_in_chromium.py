"""Two respondents answer in their own chats and contradict each other; the consultant picks the answer that counts."""

from __future__ import annotations

import pytest

from .. import factories
from ..factories import PASSWORD
from .conftest import log_in

pytestmark = pytest.mark.browser

AUDIT = "internal_audit_held"


@pytest.fixture
def workshop(live_app):
    with live_app.app_context():
        organisation, consultant = factories.organisation(name="Two Views Ltd")
        assessment = factories.assessment(consultant, organisation.id, "quick-scan", title="Workshop")
        return consultant.email, assessment.id


def invite(page, assessment_id: int, email: str, name: str) -> str:
    """The consultant creates a respondent's link for the evaluation section only; the link shown once."""
    page.goto(f"/workspace/assessments/{assessment_id}/respondents")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Name or role").fill(name)
    page.get_by_label("Measuring, auditing and reviewing").check()
    page.get_by_role("button", name="Create the invitation link").click()
    return page.get_by_label("Invitation link").input_value()


def answer_as_respondent(browser, live_server, link: str, audit_answer: str, note: str, shot) -> str:
    """A respondent opens the link in a browser of their own, chooses a password and answers every question of
    their section; the audit question gets `audit_answer`. Returns their transcript as shown."""
    context = browser.new_context(base_url=live_server)
    page = context.new_page()
    try:
        page.goto(link)
        page.get_by_label("Choose a password").fill(PASSWORD)
        page.get_by_role("button", name="Accept the invitation").click()
        page.wait_for_url("**/chat")
        for _ in range(20):
            composer = page.locator("#composer")
            if composer.get_by_text("That was the last question").count():
                break
            question = composer.locator('input[name="question_id"]').get_attribute("value")
            before = page.locator("#transcript > li").count()
            if question == AUDIT:
                composer.locator("summary").click()
                composer.get_by_label("Note").fill(note)
                composer.get_by_role("button", name=audit_answer, exact=True).click()
            else:
                kind = composer.locator('input[name="kind"]').get_attribute("value")
                if kind == "multiple_choice":
                    composer.locator('input[type="checkbox"]').first.check()
                    composer.get_by_role("button", name="Save the ticked options").click()
                elif kind == "scale":
                    composer.get_by_role("button", name="2").first.click()
                else:
                    composer.locator('.quick-replies button[name="value"]').first.click()
            page.locator("#transcript > li").nth(before).wait_for()
        else:
            pytest.fail("the respondent's interview did not end")
        shot(page)
        return page.locator("#transcript").inner_text()
    finally:
        context.close()


def test_two_respondents_disagree_and_the_consultant_resolves_the_question(page, browser, live_server, workshop):
    email, assessment_id = workshop
    log_in(page, email)
    first = invite(page, assessment_id, "lead@twoviews.example", "Development lead")
    page.screenshot_step("invitation-link")
    second = invite(page, assessment_id, "tester@twoviews.example", "Tester")
    assert first != second and "/invitations/" in first

    lead = answer_as_respondent(
        browser, live_server, first, "Yes", "audit report in the wiki", lambda p: p.screenshot(path=_shot("lead"))
    )
    tester = answer_as_respondent(
        browser, live_server, second, "No", "never saw an auditor", lambda p: p.screenshot(path=_shot("tester"))
    )
    # Each saw only their own conversation.
    assert "never saw an auditor" not in lead and "audit report in the wiki" not in tester
    assert "Yes" in lead and "No" in tester

    page.goto(f"/workspace/assessments/{assessment_id}/respondents")
    audit = page.locator(f"#q-{AUDIT}")
    assert "Disagreement" in audit.inner_text() and "Contradiction" in audit.inner_text()
    assert "1 × “Yes”" in audit.inner_text() and "1 × “No”" in audit.inner_text()
    page.screenshot_step("disagreement")
    page.evaluate("window.__sameDocument = true")
    audit.get_by_label("Yes").check()
    audit.get_by_label("Why").fill("We read the audit report together")
    audit.get_by_role("button", name="Use this answer").click()
    page.locator(f"#q-{AUDIT} .badge-resolved").wait_for()
    assert page.evaluate("window.__sameDocument") is True  # resolved in place, by htmx
    assert "We read the audit report together" in page.locator(f"#q-{AUDIT}").inner_text()
    page.screenshot_step("resolved")

    page.goto(f"/workspace/assessments/{assessment_id}/results")
    assert "How aligned the respondents were" in page.content()
    finding = page.locator("#finding-respondents-disagree-internal-audit")
    # Findings are folded by clause group (issue 17): open the folds that hold this one, as a reader would.
    finding.evaluate(
        "el => { for (let d = el.closest('details'); d; d = d.parentElement.closest('details')) d.open = true; }"
    )
    assert "1 said “Yes”, 1 said “No”" in finding.inner_text()
    assert "Tester" not in finding.inner_text()  # counts, not who
    page.screenshot_step("results")


def _shot(name: str) -> str:
    from .conftest import ARTIFACTS

    ARTIFACTS.mkdir(exist_ok=True)
    return str(ARTIFACTS / f"test_two_respondents_disagree_and_the_consultant_resolves_the_question-{name}.png")
