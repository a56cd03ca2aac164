"""The knowledge-base browser in a real browser: htmx search swaps the list in place."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def test_search_filters_the_clause_list_in_place(page):
    page.goto("/")
    page.screenshot_step("index")
    assert page.locator('a[href="/clauses/4.1"]').count() == 1
    page.evaluate("window.__sameDocument = true")  # survives only if htmx swaps without a reload
    page.get_by_role("searchbox").fill("audit")
    page.wait_for_url("**/?q=audit")
    page.locator('a[href="/clauses/4.1"]').wait_for(state="detached")
    assert page.locator('a[href="/clauses/9.2"]').count() == 1
    assert page.evaluate("window.__sameDocument") is True
    page.screenshot_step("search-audit")


def test_clause_page_opens_from_the_list(page):
    page.goto("/")
    page.locator('a[href="/clauses/9.2"]').click()
    page.wait_for_url("**/clauses/9.2")
    assert "Internal audit" in page.locator("h1").inner_text()
    page.screenshot_step("clause-9.2")
