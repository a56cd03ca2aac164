"""The results page's transition section in chromium: open for a certified organisation, folded behind its counts
for one seeking its first certificate, and what an organisation writes is shown as text, never run."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from app.config import PROJECT_ROOT
from app.extensions import db
from app.services import assessments

from .. import factories
from .conftest import log_in

pytestmark = pytest.mark.browser


def _imported(live_app, example: str, name: str, **changes) -> tuple[str, int]:
    text = (PROJECT_ROOT / "examples" / example).read_text()
    for old, new in changes.items():
        text = text.replace(old, new)
    with live_app.app_context():
        organisation, owner = factories.organisation(name=name)
        assessment = assessments.import_answers(owner, organisation.id, text)
        db.session.commit()
        return owner.email, assessment.id


def test_a_certified_organisation_sees_the_transition_open_with_its_gaps(page, live_app):
    email, assessment_id = _imported(live_app, "full-surveillance-certified.yaml", "<b>Certified</b> & Co")
    log_in(page, email)
    page.goto(f"/workspace/assessments/{assessment_id}/results")
    section = page.locator("#transition")
    expect(section.get_by_role("heading", name="Moving to ISO 9001:2026")).to_be_visible()
    fold = page.locator("#transition-fold")
    expect(fold).to_have_attribute("open", "")
    # Gaps first, each with its clause in the new edition and the reason read from the answers.
    first = section.locator(".transition-item").first
    expect(first).to_have_attribute("data-status", "gap")
    expect(first.locator(".transition-because li").first).to_contain_text("Because")
    expect(section.locator(".transition-item[data-clause='6.1.1']")).to_contain_text("6.1.1, 6.1.2, 6.1.3")
    expect(fold.locator("summary")).to_contain_text("the transition ends 2029-09-30 (expected, not fixed yet)")
    assert page.locator("b", has_text="Certified").count() == 0  # the organisation's name is escaped
    # The summary folds it like every other fold of the page.
    fold.locator("summary").click()
    expect(first).to_be_hidden()


def test_an_organisation_seeking_its_first_certificate_has_the_transition_folded(page, live_app):
    email, assessment_id = _imported(live_app, "full-tiny-startup.yaml", "Starting Ltd")
    log_in(page, email)
    page.goto(f"/workspace/assessments/{assessment_id}/results")
    fold = page.locator("#transition-fold")
    expect(fold).to_be_visible()
    assert fold.get_attribute("open") is None
    expect(fold.locator(".transition-item").first).to_be_hidden()
    expect(fold.locator("summary")).to_contain_text("not asked yet")
    fold.locator("summary").click()
    expect(fold.locator(".transition-item").first).to_be_visible()
