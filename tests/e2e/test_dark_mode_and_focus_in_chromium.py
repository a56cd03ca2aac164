"""Dark mode, focus and skip links in chromium: colours computed by the browser, measured against what is behind.

Contrast is WCAG's: 4.5:1 for chart text, 3:1 for chart lines and for the focus indicator. The focus ring counts as
visible on a surface when the ring itself stands out from it, or when the halo under it does and the ring stands out
from the halo (a blue ring on a blue button is seen through its white halo). Screenshots go to test-artifacts/.
"""

from __future__ import annotations

import re
import secrets
from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import Assessment, Role
from app.models.base import utcnow
from app.services import accounts, assessments

from .conftest import ARTIFACTS, log_in_as

SCHEMES = ("light", "dark")

# The colour behind an element: its ancestors' backgrounds composited from the root down (Pico paints the page
# background on the root element; rgba rows and tints are blended in).
SURFACE_JS = """(el) => {
  const rgba = s => { const m = s.match(/rgba?\\(([^)]+)\\)/); if (!m) return null;
    const p = m[1].split(/[ ,\\/]+/).filter(Boolean).map(Number); return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1]; };
  const layers = [];
  for (let n = el; n; n = n.parentElement) {
    const c = rgba(getComputedStyle(n).backgroundColor); if (c && c[3] > 0) layers.push(c);
  }
  let out = [255, 255, 255];
  for (const [r, g, b, a] of layers.reverse())
    out = [r * a + out[0] * (1 - a), g * a + out[1] * (1 - a), b * a + out[2] * (1 - a)];
  return out;
}"""
FOCUS_JS = """(el) => {
  const style = getComputedStyle(el);
  const halo = (style.boxShadow.match(/rgba?\\([^)]+\\)/) || [null])[0];
  return {visible: el.matches(':focus-visible'), outline: style.outlineColor, width: parseFloat(style.outlineWidth),
          outlineStyle: style.outlineStyle, halo: halo};
}"""


def channels(css: str) -> tuple[float, float, float]:
    return tuple(float(v) for v in re.findall(r"[\d.]+", css)[:3])


def luminance(rgb) -> float:
    def linear(c: float) -> float:
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(one, other) -> float:
    high, low = sorted((luminance(one), luminance(other)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.fixture(scope="module")
def own_organisation(live_app):
    """An owner of their own organisation (apart from the demo's): three quick scans started within an hour of each
    other, and one interview to answer in the browser."""
    password = secrets.token_urlsafe(12)
    with live_app.app_context():
        owner = accounts.create_user(f"owner-{secrets.token_hex(4)}@example.com", password, name="Olga Owner")
        organisation = accounts.create_organisation(owner, "Same Day Ltd", Role.OWNER)
        morning = utcnow().replace(hour=9, minute=0, second=0, microsecond=0) - timedelta(days=1)
        ids = []
        for n, answer in enumerate(["no", "partly", "yes"]):
            assessment = assessments.start_assessment(owner, organisation.id, "quick-scan", f"Scan {n + 1}")
            assessments.save_answer(owner, assessment.id, "scope_documented", answer)
            assessments.save_answer(owner, assessment.id, "quality_policy", answer)
            ids.append(assessment.id)
        for n, assessment_id in enumerate(ids):
            when = morning + timedelta(minutes=20 * n)
            db.session.execute(sa.update(Assessment).where(Assessment.id == assessment_id).values(started_at=when))
        db.session.commit()
        return {"email": owner.email, "password": password, "organisation": organisation.id, "assessments": ids}


def logged_in_page(browser, live_server, who: tuple[str, str], scheme: str, **options):
    context = browser.new_context(base_url=live_server, color_scheme=scheme, **options)
    page = context.new_page()
    log_in_as(page, *who)
    return context, page


def answer_two_questions(page, assessment_id: int) -> None:
    page.goto(f"/workspace/assessments/{assessment_id}/chat")
    for _ in range(2):
        answered = page.locator("#transcript > li.user").count()
        replies = page.locator("form.quick-replies button[type=submit]")
        if replies.count():
            replies.first.click()
        else:  # a number question: typed
            page.locator("#answer-input").fill("40")
            page.locator("#answer-input").press("Enter")
        page.locator("#transcript > li.user").nth(answered).wait_for()
    # An answer's response may be followed by other swaps (the findings, the sidebar): let them land first, or the
    # button focused below is replaced while it is measured.
    page.wait_for_load_state("networkidle")


def focus_ring(page, element) -> dict:
    element.focus()
    ring = element.evaluate(FOCUS_JS)
    # The ring is drawn outside the element (its offset), so what it is seen against is the parent's surface.
    behind = element.evaluate(SURFACE_JS.replace("let n = el;", "let n = el.parentElement;"))
    return {**ring, "surface": behind}


def ring_is_visible(ring: dict) -> bool:
    if not ring["visible"] or ring["outlineStyle"] == "none" or ring["width"] < 2:
        return False
    outline, surface = channels(ring["outline"]), ring["surface"]
    if contrast(outline, surface) >= 3:
        return True
    halo = channels(ring["halo"]) if ring["halo"] else None
    return bool(halo) and contrast(halo, surface) >= 3 and contrast(outline, halo) >= 3


@pytest.mark.parametrize("scheme", SCHEMES)
def test_the_focus_ring_stands_out_3_to_1_on_white_on_dark_on_blue_buttons_and_in_answer_bubbles(
    browser, live_server, own_organisation, demo_workspace, scheme
):
    who = (own_organisation["email"], own_organisation["password"])
    context, page = logged_in_page(browser, live_server, who, scheme)
    answer_two_questions(page, own_organisation["assessments"][0])
    page.keyboard.press("Tab")  # from here on focus is the keyboard's: :focus-visible applies
    checked = {
        "an answer bubble": page.locator(".bubble.user .answer-edit").first,
        "a quick reply (a blue button)": page.locator("form.quick-replies button[type=submit]").first,
        "the answer box": page.locator("#answer-input"),
        "a menu link": page.get_by_role("link", name="Glossary"),
        "the skip link": page.get_by_role("link", name="Skip to content"),
    }
    rings = {name: focus_ring(page, element) for name, element in checked.items()}
    page.goto(f"/workspace/organisations/{own_organisation['organisation']}/progress")
    page.keyboard.press("Tab")
    rings["the compare button (blue, on a card)"] = focus_ring(page, page.get_by_role("button", name="Compare"))
    rings["a link in the timeline"] = focus_ring(page, page.locator(".timeline-entry a").first)
    context.close()
    assert {name: ring for name, ring in rings.items() if not ring_is_visible(ring)} == {}


def test_skip_to_content_is_the_first_tab_stop_and_lands_in_the_main_landmark(browser, live_server, demo_workspace):
    context, page = logged_in_page(browser, live_server, demo_workspace.login, "light")
    page.goto("/workspace/")
    page.keyboard.press("Tab")
    skip = page.evaluate(
        "[document.activeElement.textContent.trim(), document.activeElement.getBoundingClientRect().top]"
    )
    assert skip[0] == "Skip to content" and skip[1] >= 0  # and shown on screen once focused
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    page.keyboard.press("Tab")  # the next stop is the page's first link, past the menu
    assert page.evaluate("!!document.activeElement.closest('main') && document.activeElement.matches('a, button')")
    context.close()


TABBABLE_JS = """() => [...document.querySelectorAll(
  'a[href], button:not([disabled]), input:not([type=hidden]):not([disabled]), select, textarea, summary,'
  + ' [tabindex]:not([tabindex="-1"])')].map(e => e.id || e.textContent.trim())"""


def test_on_the_chat_a_second_skip_link_reaches_the_answer_box_in_two_tab_stops(browser, live_server, own_organisation):
    who = (own_organisation["email"], own_organisation["password"])
    context, page = logged_in_page(browser, live_server, who, "light")
    answer_two_questions(page, own_organisation["assessments"][1])
    page.reload()
    order = page.evaluate(TABBABLE_JS)
    # The answer box is far down the tab order (the menu, the progress, every answer bubble come first) ...
    assert order.index("answer-input") > 10
    # ... and the skip links are the first two stops (the answer box has autofocus, so a keyboard user starts at
    # the top only after moving away from it: here, from the first skip link).
    assert order[:2] == ["Skip to content", "Skip to the answer box"]
    page.get_by_role("link", name="Skip to content").focus()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Skip to the answer box"
    page.keyboard.press("Enter")
    found = page.evaluate("document.activeElement.id")
    context.close()
    assert found == "answer-input"


def text_and_line_contrast(page) -> dict:
    surface = page.locator("main").evaluate(SURFACE_JS)
    return page.evaluate(
        """(surface) => {
      const out = {surface, texts: [], lines: []};
      for (const t of document.querySelectorAll('svg.chart text'))
        out.texts.push([t.textContent, getComputedStyle(t).fill]);
      for (const l of document.querySelectorAll('svg.chart polyline, svg.chart .axis'))
        out.lines.push([l.getAttribute('class'), getComputedStyle(l).stroke]);
      return out; }""",
        surface,
    )


@pytest.mark.parametrize("scheme", SCHEMES)
def test_chart_text_and_lines_read_on_the_page_background_in_both_schemes(
    browser, live_server, demo_workspace, own_organisation, scheme
):
    context, page = logged_in_page(
        browser, live_server, demo_workspace.login, scheme, viewport={"width": 1366, "height": 900}
    )
    pages = [f"/workspace/organisations/{o}/progress" for o in demo_workspace.organisations]
    pages += [f"/workspace/assessments/{demo_workspace.assessments[1]}/results"]
    faint = {}
    for path in pages:
        page.goto(path)
        measured = text_and_line_contrast(page)
        surface = measured["surface"]
        assert measured["texts"], f"no chart on {path}"
        for text, fill in measured["texts"]:
            if contrast(channels(fill), surface) < 4.5:
                faint.setdefault(path, []).append((text, fill))
        for cls, stroke in measured["lines"]:
            if stroke != "none" and contrast(channels(stroke), surface) < 3:
                faint.setdefault(path, []).append((cls, stroke))
        page.screenshot(path=str(ARTIFACTS / f"chart-{scheme}-{path.strip('/').replace('/', '-')}.png"), full_page=True)
    context.close()
    assert faint == {}


def legend_boxes(page, chart_id: str) -> list[list[float]]:
    return page.evaluate(
        f"""[...document.querySelectorAll('#{chart_id} text.legend')].map(t => {{
          const b = t.getBoundingClientRect(); return [b.left, b.top, b.right, b.bottom]; }})"""
    )


def overlapping(boxes: list[list[float]]) -> list[tuple[int, int]]:
    return [
        (i, j)
        for i, a in enumerate(boxes)
        for j, b in enumerate(boxes)
        if i < j and a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]
    ]


def test_progress_charts_of_one_assessment_and_of_several_on_one_day_are_laid_out_to_be_read(
    browser, live_server, demo_workspace, own_organisation
):
    ARTIFACTS.mkdir(exist_ok=True)
    context, page = logged_in_page(
        browser, live_server, demo_workspace.login, "light", viewport={"width": 1366, "height": 900}
    )
    for organisation_id in demo_workspace.organisations:
        page.goto(f"/workspace/organisations/{organisation_id}/progress")
        assert overlapping(legend_boxes(page, "trend-groups")) == []
        points = page.evaluate(
            "[...document.querySelectorAll('#trend-overall circle')].map(c => +c.getAttribute('cx'))"
        )
        if len(points) == 1:  # Fjord: one assessment, drawn in the middle
            assert 250 < points[0] < 400
        page.screenshot(path=str(ARTIFACTS / f"progress-chart-organisation-{organisation_id}.png"), full_page=True)
    context.close()
    who = (own_organisation["email"], own_organisation["password"])
    context, page = logged_in_page(browser, live_server, who, "light", viewport={"width": 1366, "height": 900})
    page.goto(f"/workspace/organisations/{own_organisation['organisation']}/progress")
    dates = page.locator("#trend-overall text.date").all_text_contents()
    times = page.locator("#trend-overall text.time").all_text_contents()
    assert len(dates) == 1 and len(times) == 3 and len(set(times)) == 3
    assert overlapping(legend_boxes(page, "trend-groups")) == []
    page.screenshot(path=str(ARTIFACTS / "progress-chart-several-on-one-day.png"), full_page=True)
    context.close()


@pytest.mark.parametrize("scheme", SCHEMES)
def test_screenshots_of_the_main_pages_in_each_scheme(browser, live_server, demo_workspace, scheme):
    ARTIFACTS.mkdir(exist_ok=True)
    context, page = logged_in_page(
        browser, live_server, demo_workspace.login, scheme, viewport={"width": 1366, "height": 900}
    )
    first, second, check = demo_workspace.assessments[:3]
    pages = {
        "workspace": "/workspace/",
        "portfolio": "/workspace/portfolio",
        "compare": f"/workspace/compare?a={first}&b={second}",
        "results": f"/workspace/assessments/{second}/results",
        "plan": f"/workspace/assessments/{second}/plan",
        "chat": f"/workspace/assessments/{check}/chat",
        "not-found": "/no-such-page",
    }
    for name, path in pages.items():
        page.goto(path)
        background = page.evaluate("getComputedStyle(document.documentElement).backgroundColor")
        assert (luminance(channels(background)) < 0.1) == (scheme == "dark")  # the scheme really applies
        page.screenshot(path=str(ARTIFACTS / f"{scheme}-{name}.png"))
    context.close()
