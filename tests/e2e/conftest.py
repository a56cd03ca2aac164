"""A real browser (Debian's chromium, driven by Playwright) against the app served on a loopback port."""

from __future__ import annotations

import shutil
import threading
from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlalchemy as sa
from werkzeug.serving import make_server

from app.extensions import db
from app.models import Assessment, User
from app.services import demo, tenancy

from ..conftest import make_app

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
    app = live_app
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join()


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
