"""On a phone (390 px wide) no page scrolls sideways: the menu wraps, wide tables scroll inside their own box."""

from __future__ import annotations

from .conftest import demo_pages, log_in_as

PHONE = {"width": 390, "height": 844}


def test_no_page_scrolls_sideways_on_a_phone(browser, live_server, demo_workspace):
    email, password = demo_workspace.login
    context = browser.new_context(base_url=live_server, viewport=PHONE)
    page = context.new_page()
    log_in_as(page, email, password)
    too_wide = {}
    for path in demo_pages(demo_workspace):
        response = page.goto(path)
        if response.status != 200:  # a page this consultant may not open (respondents of a finished one, say)
            continue
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            too_wide[path] = width
    context.close()
    assert too_wide == {}
