"""A repository scan in a real browser: its JSON uploaded on the assessment page, then the interview offering each
proposal before its question (shown when the interview page loads at it), confirmed or rejected one by one."""

from __future__ import annotations

import json

import pytest

from app.evidence_scan import scan
from app.extensions import knowledge_base
from app.services import answers, assessments

from .. import factories
from ..gitrepos import make_repo
from .conftest import log_in

pytestmark = pytest.mark.browser

WORKFLOW = "on: [pull_request]\njobs:\n  test:\n    steps:\n      - run: python -m pytest\n"
LEFT_OPEN = ("requirements_acceptance_criteria", "pull_request_review", "continuous_integration")


@pytest.fixture
def scanned(live_app, tmp_path):
    repo = make_repo(tmp_path / "shop", {".github/workflows/ci.yml": WORKFLOW, ".github/CODEOWNERS": "* @team\n"})
    file = tmp_path / "scan.json"
    file.write_text(json.dumps(scan(repo).as_dict()))
    with live_app.app_context():
        organisation, owner = factories.organisation(name="Scanned Ltd")
        assessment = factories.assessment(owner, organisation.id, "quick-scan")
        entries = {
            q.id: {"value": "some words" if q.kind == "text" else "dont_know"}
            for q in knowledge_base().questionnaire("quick-scan").questions
            if q.id not in LEFT_OPEN
        }
        assessments.save_answers(owner, assessment.id, entries)
        return owner.email, assessment.id, file


def test_scan_proposals_are_confirmed_one_by_one_in_the_interview(page, scanned, live_app):
    email, assessment_id, file = scanned
    log_in(page, email)
    page.goto(f"/workspace/assessments/{assessment_id}")
    page.get_by_label("Scan file (JSON)").set_input_files(str(file))
    page.get_by_role("button", name="Upload the scan").click()
    page.get_by_text("2 proposal(s) from shop").wait_for()
    page.screenshot_step("uploaded")

    page.goto(f"/workspace/assessments/{assessment_id}/chat")
    offer = page.locator("#scan-offer")
    assert offer.inner_text().strip() == ""  # the question asked now has no proposal
    before = page.locator("#transcript > li").count()
    page.locator("#composer").get_by_role("button", name="Partly", exact=True).click()
    page.locator("#transcript > li").nth(before).wait_for()
    # The htmx turn does not bring the offer in (that would cost the quick reply a second connection): a page load
    # does, as confirming and rejecting are page loads themselves.
    page.reload()
    offer.get_by_text("CODEOWNERS file names who reviews").wait_for()
    page.screenshot_step("first-offer")
    offer.get_by_role("button", name="Confirm: Partly").click()
    offer.get_by_text("runs the tests on every pull or merge request").wait_for()
    with live_app.app_context():
        saved = answers.current_answer(assessment_id, "pull_request_review")
        assert saved.value == "partly" and ".github/CODEOWNERS" in saved.evidence
        assert answers.current_answer(assessment_id, "continuous_integration") is None
    offer.get_by_role("button", name="Reject, I will answer").click()
    page.get_by_text("Rejected: answer the question yourself.").wait_for()
    assert page.locator("#scan-offer").inner_text().strip() == ""
    page.screenshot_step("after-reject")
    with live_app.app_context():
        assert answers.current_answer(assessment_id, "continuous_integration") is None
