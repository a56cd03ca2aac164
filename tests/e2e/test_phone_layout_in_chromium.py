"""On a phone (390 px wide) no page scrolls sideways: the menu wraps, wide tables scroll inside their own box.

Every kind of page an owner of the demo workspace opens (the knowledge base, account, tokens, members, respondents,
progress, comparison, chat and its sections, results and drill-downs, the plan, error pages), in both colour schemes'
layout (the same CSS), with a screenshot of a few in test-artifacts/.
"""

from __future__ import annotations

from .conftest import ARTIFACTS, every_page, log_in_as

PHONE = {"width": 390, "height": 844}
SHOWN = ("/workspace/", "/workspace/portfolio", "/no-such-page")


def overflowing(page) -> list[str]:
    """What sticks out past the right edge (for the failure message)."""
    return page.evaluate(
        """(w) => [...document.querySelectorAll('body *')].filter(e => {
          const r = e.getBoundingClientRect();
          if (r.right <= w + 1 || r.width === 0) return false;
          for (let p = e.parentElement; p; p = p.parentElement) {  // inside a box that scrolls on its own: fine
            const o = getComputedStyle(p).overflowX; if (o === 'auto' || o === 'scroll' || o === 'hidden') return false;
          }
          return true; }).slice(0, 3).map(e => e.tagName.toLowerCase() + (e.className ? '.' + e.className : ''))""",
        PHONE["width"],
    )


def test_no_page_scrolls_sideways_on_a_phone(browser, live_server, live_app, demo_workspace):
    email, password = demo_workspace.login
    context = browser.new_context(base_url=live_server, viewport=PHONE)
    page = context.new_page()
    page.goto("/login")
    too_wide = {}
    if page.evaluate("document.documentElement.scrollWidth") > PHONE["width"]:
        too_wide["/login"] = overflowing(page)
    log_in_as(page, email, password)
    checked = 0
    for path in every_page(live_app, demo_workspace):
        response = page.goto(path)
        if response.status not in (200, 400, 404):  # a page this consultant may not open
            continue
        checked += 1
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            too_wide[path] = [width, *overflowing(page)]
        if path in SHOWN or path.endswith(("/results", "/plan", "/chat", "/progress")):
            ARTIFACTS.mkdir(exist_ok=True)
            name = path.strip("/").replace("/", "-").replace("?", "-").replace("&", "-") or "home"
            page.screenshot(path=str(ARTIFACTS / f"phone-{name}.png"))
    context.close()
    assert checked > 30
    assert too_wide == {}
