"""Evidence in a real browser: a file attached from the chat, without JavaScript doing the upload (a plain multipart
form), listed on the question's evidence page and downloaded back byte for byte."""

from __future__ import annotations

import hashlib

import pytest

from .conftest import log_in

pytestmark = pytest.mark.browser

MINUTES = b"# Management review 2026-11\n\nAttendees: the whole team.\n"


def test_a_file_attached_in_the_chat_is_listed_and_downloads_as_sent(page, interview, tmp_path):
    email, assessment_id = interview
    record = tmp_path / "review minutes.md"
    record.write_bytes(MINUTES)
    log_in(page, email)
    page.goto(f"/workspace/assessments/{assessment_id}/chat")
    attach = page.locator("#composer .evidence-composer")
    attach.get_by_text("Attach evidence to this question").click()
    attach.get_by_label("File").set_input_files(str(record))
    attach.get_by_label("Title").fill("Review minutes <November>")
    attach.get_by_role("button", name="Attach evidence").click()
    page.wait_for_url(f"**/workspace/assessments/{assessment_id}/chat#composer")
    page.get_by_text("Evidence attached: Review minutes <November>").wait_for()
    page.screenshot_step("attached")

    page.locator("#composer .evidence-composer summary").click()
    page.get_by_role("link", name="See this question's evidence").click()
    page.get_by_role("heading", level=1).get_by_text("Evidence:").wait_for()
    listed = page.locator(".evidence-list li")
    assert listed.count() == 1
    assert "review_minutes.md" in listed.inner_text() and "text/markdown" in listed.inner_text()
    with page.expect_download() as download:
        listed.get_by_role("link", name="Review minutes <November>").click()
    saved = tmp_path / "downloaded"
    download.value.save_as(saved)
    assert download.value.suggested_filename == "review_minutes.md"
    assert hashlib.sha256(saved.read_bytes()).hexdigest() == hashlib.sha256(MINUTES).hexdigest()
    page.screenshot_step("listed")
