"""On a phone (390 px wide) no page scrolls sideways: the menu wraps, wide tables scroll inside their own box."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import Assessment, User
from app.services import demo, tenancy

PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def demo_login(live_app):
    """The demo workspace `make run` shows: two organisations, assessments in every state, a plan, respondents."""
    with live_app.app_context():
        email, password = demo.create_demo_workspace()
        consultant = db.session.scalar(sa.select(User).where(User.email == email))
        organisations = [organisation.id for organisation, _ in tenancy.organisations_of(consultant)]
        assessments = db.session.scalars(
            sa.select(Assessment.id).where(Assessment.organisation_id.in_(organisations))
        ).all()
    return email, password, organisations, assessments


def pages(organisations, assessments) -> list[str]:
    found = ["/", "/practices", "/glossary", "/workspace/", "/workspace/portfolio", "/workspace/tokens", "/account"]
    for organisation_id in organisations:
        found += [f"/workspace/organisations/{organisation_id}", f"/workspace/organisations/{organisation_id}/progress"]
    for assessment_id in assessments:
        base = f"/workspace/assessments/{assessment_id}"
        found += [base, f"{base}/chat", f"{base}/results", f"{base}/plan", f"{base}/respondents"]
    return found


def test_no_page_scrolls_sideways_on_a_phone(browser, live_server, demo_login):
    email, password, organisations, assessments = demo_login
    context = browser.new_context(base_url=live_server, viewport=PHONE)
    page = context.new_page()
    page.goto("/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/workspace/")
    too_wide = {}
    for path in pages(organisations, assessments):
        response = page.goto(path)
        if response.status != 200:  # a page this consultant may not open (respondents of a finished one, say)
            continue
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            too_wide[path] = width
    context.close()
    assert too_wide == {}
