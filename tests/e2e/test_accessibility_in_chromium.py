"""axe-core over every page of the demo workspace: no serious or critical accessibility violation.

The experimental rule label-content-name-mismatch is switched on: a link named differently from the text it shows
cannot be followed by speech-input users, who say what they see.
"""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

from .conftest import demo_pages, log_in_as

SERIOUS = {"serious", "critical"}
OPTIONS = {"rules": {"label-content-name-mismatch": {"enabled": True}}}


@pytest.fixture(scope="module")
def axe():
    return Axe()


def test_no_page_has_a_serious_accessibility_violation(browser, live_server, demo_workspace, axe):
    email, password = demo_workspace.login
    context = browser.new_context(base_url=live_server, viewport={"width": 1366, "height": 900})
    page = context.new_page()
    log_in_as(page, email, password)
    found = {}
    for path in [*demo_pages(demo_workspace), "/workspace/compare"]:
        if page.goto(path).status != 200:
            continue
        violations = axe.run(page, options=OPTIONS).response["violations"]
        serious = sorted(f"{v['id']} ({len(v['nodes'])})" for v in violations if v["impact"] in SERIOUS)
        if serious:
            found[path] = serious
    context.close()
    assert found == {}


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
