"""axe-core over every page of the app, in the light and the dark colour scheme: no serious or critical violation.

The experimental rule label-content-name-mismatch is switched on: a link named differently from the text it shows
cannot be followed by speech-input users, who say what they see. Each run writes what axe found per page and scheme
to test-artifacts/axe-violations.json, so a failure says where to look.
"""

from __future__ import annotations

import json

import pytest
from axe_playwright_python.sync_playwright import Axe

from .conftest import ARTIFACTS, demo_pages, every_page, log_in_as

SERIOUS = {"serious", "critical"}
OPTIONS = {"rules": {"label-content-name-mismatch": {"enabled": True}}}
SCHEMES = ("light", "dark")


@pytest.fixture(scope="module")
def axe():
    return Axe()


def serious_violations(axe, page) -> list[str]:
    violations = axe.run(page, options=OPTIONS).response["violations"]
    return sorted(f"{v['id']} ({len(v['nodes'])})" for v in violations if v["impact"] in SERIOUS)


@pytest.mark.parametrize("scheme", SCHEMES)
def test_no_page_has_a_serious_accessibility_violation(browser, live_server, live_app, demo_workspace, axe, scheme):
    email, password = demo_workspace.login
    context = browser.new_context(base_url=live_server, viewport={"width": 1366, "height": 900}, color_scheme=scheme)
    page = context.new_page()
    found, checked = {}, 0
    page.goto("/login")  # the one page seen logged out
    found["/login"] = serious_violations(axe, page)
    log_in_as(page, email, password)
    for path in every_page(live_app, demo_workspace):
        status = page.goto(path).status
        if status not in (200, 400, 404):  # a page this owner may not open is not part of the walk
            continue
        found[path] = serious_violations(axe, page)
        checked += 1
    context.close()
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"axe-violations-{scheme}.json").write_text(json.dumps(found, indent=1))
    assert checked > 30  # the walk reached the pages, not only a login form
    assert {path: problems for path, problems in found.items() if problems} == {}


def test_every_page_has_one_main_heading(browser, live_server, demo_workspace):
    email, password = demo_workspace.login
    context = browser.new_context(base_url=live_server)
    page = context.new_page()
    log_in_as(page, email, password)
    without = []
    for path in demo_pages(demo_workspace):
        if page.goto(path).status == 200 and page.locator("h1").count() != 1:
            without.append(path)
    context.close()
    assert without == []
