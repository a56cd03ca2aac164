"""A real browser (Debian's chromium, driven by Playwright) against the app served on a loopback port."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import Assessment, User
from app.services import demo, tenancy

from ..conftest import make_app
from ..serving import serving

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def live_app(tmp_path_factory):
    database = tmp_path_factory.mktemp("e2e") / "e2e.sqlite3"
    return make_app(f"sqlite:///{database}")


@pytest.fixture(scope="session")
def live_server(live_app):
    with serving(live_app, threaded=True) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    assert executable, "Debian's chromium is needed for the browser tests: apt-get install chromium (make test does)"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server, request):
    context = browser.new_context(base_url=live_server)
    page = context.new_page()
    outside: list[str] = []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(live_server) else None)
    page.screenshot_step = lambda name: _screenshot(page, request.node.name, name)
    yield page
    context.close()
    assert outside == [], f"the page loaded something from outside the app: {outside}"


@pytest.fixture
def interview(live_app, live_server):
    """A new quick-scan assessment of its own organisation: (the owner's e-mail, the assessment's id)."""
    from .. import factories

    with live_app.app_context():
        organisation, owner = factories.organisation(name="Browser Test Ltd")
        assessment = factories.assessment(owner, organisation.id, "quick-scan")
        return owner.email, assessment.id


def _screenshot(page, test_name: str, step: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{test_name}-{step}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def log_in(page, email: str) -> None:
    """Log in through the form, as a person would."""
    from ..factories import PASSWORD

    log_in_as(page, email, PASSWORD)


@dataclass(frozen=True)
class DemoWorkspace:
    login: tuple[str, str]  # the consultant's e-mail and password
    organisations: list[int]
    assessments: list[int]


@pytest.fixture(scope="session")
def demo_workspace(live_app):
    """The demo workspace `make run` shows: two organisations, assessments in every state, a plan, respondents."""
    with live_app.app_context():
        email, password = demo.create_demo_workspace()
        consultant = db.session.scalar(sa.select(User).where(User.email == email))
        organisations = [organisation.id for organisation, _ in tenancy.organisations_of(consultant)]
        assessments = db.session.scalars(
            sa.select(Assessment.id).where(Assessment.organisation_id.in_(organisations))
        ).all()
    return DemoWorkspace((email, password), organisations, assessments)


def log_in_as(page, email: str, password: str) -> None:
    """Log in through the form with this password (the demo's is random)."""
    page.goto("/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/workspace/")


def demo_pages(demo: DemoWorkspace) -> list[str]:
    """Every page of the demo workspace a consultant opens."""
    organisations, assessments = demo.organisations, demo.assessments
    found = ["/", "/practices", "/glossary", "/workspace/", "/workspace/portfolio", "/workspace/tokens", "/account"]
    for organisation_id in organisations:
        found += [f"/workspace/organisations/{organisation_id}", f"/workspace/organisations/{organisation_id}/progress"]
    for assessment_id in assessments:
        base = f"/workspace/assessments/{assessment_id}"
        found += [base, f"{base}/chat", f"{base}/results", f"{base}/plan", f"{base}/respondents"]
    return found


def every_page(live_app, demo: DemoWorkspace) -> list[str]:
    """Every kind of page an owner of the demo workspace can open: the demo's pages, each knowledge-base page, a
    comparison, a chat section, an answer's evidence, a results drill-down and an error page (not only the first of
    each list)."""
    from app.extensions import knowledge_base

    with live_app.app_context():
        kb = knowledge_base()
        clauses = sorted({clause.id for catalogue in kb.catalogues.values() for clause in catalogue.clauses})
        questionnaires = list(kb.questionnaires)
        sections, groups, questions = {}, {}, {}
        for row in db.session.scalars(sa.select(Assessment).where(Assessment.id.in_(demo.assessments))):
            sections[row.id] = kb.questionnaire(row.questionnaire_id).sections[0].id
            questions[row.id] = kb.questionnaire(row.questionnaire_id).sections[0].questions[0].id
            groups[row.id] = kb.catalogue_for(row.questionnaire_id).groups[0].id
        by_organisation = db.session.execute(
            sa.select(Assessment.organisation_id, Assessment.id).where(Assessment.id.in_(demo.assessments))
        ).all()
    found = demo_pages(demo)
    found += [f"/clauses/{clause}" for clause in clauses[:: max(len(clauses) // 8, 1)]]
    found += ["/?edition=iso9001-2026", "/clauses/6.1.2?edition=iso9001-2026"]  # the draft edition's notice too
    found += [f"/questionnaires/{questionnaire}" for questionnaire in questionnaires]
    for assessment_id in demo.assessments:
        base = f"/workspace/assessments/{assessment_id}"
        found += [f"{base}/sections/{sections[assessment_id]}", f"{base}/results/groups/{groups[assessment_id]}"]
        found.append(f"{base}/answers/{questions[assessment_id]}/evidence")
    pairs: dict[int, list[int]] = {}
    for organisation_id, assessment_id in by_organisation:
        pairs.setdefault(organisation_id, []).append(assessment_id)
    for ids in pairs.values():
        if len(ids) > 1:
            found.append(f"/workspace/compare?a={min(ids)}&b={max(ids)}")
    found += ["/no-such-page", "/workspace/compare"]  # a 404 and a 400, inside the layout
    return found
