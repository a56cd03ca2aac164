"""Evidence on the pages (issue 16 item 1): attach from the chat and the evidence page, download as an attachment,
remove, keep what a repeat carried over, refusals said on the page with what was typed kept, read-only for viewers
and completed assessments, CSRF on every form, 404 for another organisation."""

from __future__ import annotations

import hashlib
import io
import re
from dataclasses import dataclass

import pytest

from app.extensions import db, knowledge_base
from app.models import Assessment, Evidence, Role
from app.services import assessments
from app.services import evidence as service
from app.services.evidence import Subject

from .. import factories
from ..webclient import csrf_from, login
from .test_evidence_api import multipart

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
QUESTION = "internal_audit_held"


@dataclass
class Site:
    app: object
    owner: object  # logged-in clients
    viewer: object
    outsider: object
    assessment_id: int

    def page(self, question: str = QUESTION) -> str:
        return f"/workspace/assessments/{self.assessment_id}/answers/{question}/evidence"

    def post(self, client, path: str, data: dict | None = None, **kwargs):
        token = csrf_from(client, f"/workspace/assessments/{self.assessment_id}/chat")
        return client.post(path, data={**(data or {}), "csrf_token": token}, **kwargs)

    def attach(self, client, data: bytes = PDF, name: str = "audit.pdf", **fields):
        return self.post(client, self.page(), {"file": (io.BytesIO(data), name), **fields})


def _client(app, email):
    client = app.test_client()
    login(client, email)
    return client


@pytest.fixture
def site(db_app):
    with db_app.app_context():
        organisation, owner = factories.organisation()
        viewer = factories.member(organisation.id, Role.VIEWER, owner)
        assessment = factories.assessment(owner, organisation.id)
        _elsewhere, outsider = factories.organisation(name="Elsewhere")
        emails = owner.email, viewer.email, outsider.email
        assessment_id = assessment.id
    return Site(db_app, *(_client(db_app, e) for e in emails), assessment_id)


def ids_on(page: str) -> list[str]:
    return re.findall(r'id="evidence-(\d+)"', page)


def test_a_file_attached_from_the_chat_goes_back_to_the_chat_and_is_listed(site):
    chat = site.owner.get(f"/workspace/assessments/{site.assessment_id}/chat").get_data(as_text=True)
    assert "Attach evidence to this question" in chat and 'enctype="multipart/form-data"' in chat
    question = re.search(r'name="question_id" value="([^"]+)"', chat).group(1)
    path = site.page(question)
    assert path in chat  # the attach form is the pending question's
    sent = site.post(site.owner, path, {"file": (io.BytesIO(PDF), "minutes.pdf"), "title": "Minutes", "back": "chat"})
    assert sent.status_code == 303 and sent.headers["Location"].endswith("/chat#composer")
    page = site.owner.get(path).get_data(as_text=True)
    assert "Minutes" in page and "minutes.pdf" in page and "application/pdf" in page


def test_a_download_is_the_same_bytes_as_an_attachment_that_is_not_sniffed(site):
    site.attach(site.owner, title="Audit")
    item_id = ids_on(site.owner.get(site.page()).get_data(as_text=True))[0]
    for client in (site.owner, site.viewer):
        got = client.get(f"{site.page()}/{item_id}")
        assert got.status_code == 200 and got.data == PDF
        assert got.headers["X-Content-SHA256"] == hashlib.sha256(PDF).hexdigest()
        assert got.headers["Content-Disposition"] == 'attachment; filename="audit.pdf"'
        assert got.headers["X-Content-Type-Options"] == "nosniff" and got.mimetype == "application/pdf"


def test_a_link_is_listed_with_its_title_escaped(site):
    sent = site.post(site.owner, site.page(), {"url": "https://wiki.example.test/a", "title": "<b>Audit</b> page"})
    assert sent.status_code == 303
    page = site.owner.get(site.page()).get_data(as_text=True)
    assert "&lt;b&gt;Audit&lt;/b&gt; page" in page and "<b>Audit</b>" not in page
    assert 'href="https://wiki.example.test/a" rel="noopener noreferrer nofollow"' in page


@pytest.mark.parametrize(
    ("data", "name", "said"),
    [(b"", "empty.pdf", "the file is empty"), (b"MZ\x90\x00" * 50, "tool.pdf", "is not taken as evidence")],
    ids=["empty", "executable"],
)
def test_a_refused_file_is_said_on_the_page_and_the_typed_title_is_kept(site, data, name, said):
    refused = site.attach(site.owner, data, name, title="My careful title", url="")
    assert refused.status_code == 422
    page = refused.get_data(as_text=True)
    assert said in page and "Not attached" in page and 'value="My careful title"' in page
    assert ids_on(page) == []


def test_a_file_over_the_limit_is_refused_in_words(site):
    limit = site.app.config["EVIDENCE_MAX_BYTES"]
    token = csrf_from(site.owner, "/workspace/")
    body, content_type = multipart(b"a" * (limit + 1), "big.txt", "Big", csrf_token=token)
    refused = site.owner.post(site.page(), data=body, content_type=content_type)
    assert refused.status_code == 422 and "evidence files can be at most 20.0 MB" in refused.get_data(as_text=True)


def test_a_bad_link_is_refused_and_kept_in_the_form(site):
    refused = site.post(site.owner, site.page(), {"url": "javascript:alert(1)", "title": "T"})
    assert refused.status_code == 422
    page = refused.get_data(as_text=True)
    assert "http:// or https://" in page and 'value="javascript:alert(1)"' in page


def test_nothing_chosen_says_so(site):
    refused = site.post(site.owner, site.page(), {"title": "only a title"})
    assert refused.status_code == 422 and "choose a file, or give a link" in refused.get_data(as_text=True)


def test_remove_hides_it_and_keeps_who_and_when(site):
    site.attach(site.owner)
    item_id = ids_on(site.owner.get(site.page()).get_data(as_text=True))[0]
    removed = site.post(site.owner, f"{site.page()}/{item_id}/delete")
    assert removed.status_code == 303
    assert ids_on(site.owner.get(site.page()).get_data(as_text=True)) == []
    assert site.owner.get(f"{site.page()}/{item_id}").status_code == 404
    with site.app.app_context():
        assert db.session.get(Evidence, int(item_id)).deleted_at is not None


def test_forms_need_their_csrf_token(site):
    sent = site.owner.post(site.page(), data={"file": (io.BytesIO(PDF), "a.pdf")})
    assert sent.status_code == 400
    assert "security token" in sent.get_data(as_text=True)
    assert ids_on(site.owner.get(site.page()).get_data(as_text=True)) == []


def test_a_viewer_sees_and_downloads_but_has_no_forms_and_cannot_post(site):
    site.attach(site.owner)
    page = site.viewer.get(site.page()).get_data(as_text=True)
    item_id = ids_on(page)[0]
    assert "Attach evidence" not in page and "Remove" not in page
    assert site.viewer.get(f"{site.page()}/{item_id}").data == PDF
    assert site.attach(site.viewer).status_code == 403
    assert site.post(site.viewer, f"{site.page()}/{item_id}/delete").status_code == 403
    assert len(ids_on(site.owner.get(site.page()).get_data(as_text=True))) == 1


def test_another_organisation_gets_404_everywhere(site):
    site.attach(site.owner)
    item_id = ids_on(site.owner.get(site.page()).get_data(as_text=True))[0]
    assert site.outsider.get(site.page()).status_code == 404
    assert site.outsider.get(f"{site.page()}/{item_id}").status_code == 404
    token = csrf_from(site.outsider, "/workspace/")
    for path in (site.page(), f"{site.page()}/{item_id}/delete", f"{site.page()}/{item_id}/confirm"):
        assert site.outsider.post(path, data={"csrf_token": token, "url": "https://x.example.test"}).status_code == 404
    assert len(ids_on(site.owner.get(site.page()).get_data(as_text=True))) == 1


def test_a_completed_assessment_shows_its_evidence_read_only(site):
    site.attach(site.owner, title="Audit")
    with site.app.app_context():
        owner = db.session.get(Evidence, 1).added_by
        assessments.complete_assessment(owner, site.assessment_id)
    page = site.owner.get(site.page()).get_data(as_text=True)
    assert "Audit" in page and "Attach evidence" not in page and "Remove" not in page and "completed" in page
    assert site.attach(site.owner).status_code == 409


def test_carried_evidence_asks_to_be_kept_or_removed(site):
    site.attach(site.owner, title="Last year's audit")
    with site.app.app_context():
        owner = db.session.get(Evidence, 1).added_by
        assessments.save_answer(owner, site.assessment_id, QUESTION, "yes")
        assessments.complete_assessment(owner, site.assessment_id)
        repeat = assessments.repeat_assessment(owner, site.assessment_id)
        carried = service.live_of(repeat, Subject.answer(QUESTION))
        assert carried and carried[0].to_confirm
        repeat_id, carried_id = repeat.id, carried[0].id
    path = f"/workspace/assessments/{repeat_id}/answers/{QUESTION}/evidence"
    page = site.owner.get(path).get_data(as_text=True)
    assert "From the previous assessment — still valid?" in page and ">Keep</button>" in page
    kept = site.post(site.owner, f"{path}/{carried_id}/confirm")
    assert kept.status_code == 303
    assert "still valid?" not in site.owner.get(path).get_data(as_text=True)
    with site.app.app_context():
        assert db.session.get(Evidence, carried_id).to_confirm is False


def test_section_forms_and_the_plan_link_to_the_evidence_pages(site):
    site.attach(site.owner)
    with site.app.app_context():
        questionnaire = knowledge_base().questionnaire("quick-scan")
        section = next(s.id for s in questionnaire.sections if any(q.id == QUESTION for q in s.questions))
        owner = db.session.get(Evidence, 1).added_by
        assessments.save_answer(owner, site.assessment_id, "scope_documented", "no")
        action = assessments.plan_of(db.session.get(Assessment, site.assessment_id))[0].id
    form = site.owner.get(f"/workspace/assessments/{site.assessment_id}/sections/{section}").get_data(as_text=True)
    assert f'href="{site.page()}">Evidence (1)</a>' in form
    plan = site.owner.get(f"/workspace/assessments/{site.assessment_id}/plan").get_data(as_text=True)
    action_page = f"/workspace/assessments/{site.assessment_id}/plan/{action}/evidence"
    assert action_page in plan
    sent = site.post(site.owner, action_page, {"url": "https://tracker.example.test/1", "title": "Done ticket"})
    assert sent.status_code == 303
    assert "Done ticket" in site.owner.get(action_page).get_data(as_text=True)
    assert site.owner.get(f"/workspace/assessments/{site.assessment_id}/plan/nope/evidence").status_code == 404


def test_a_body_far_over_the_limit_is_a_413_page_that_says_the_limit(site):
    limit = site.app.config["EVIDENCE_MAX_BYTES"]
    token = csrf_from(site.owner, "/workspace/")
    body, content_type = multipart(b"a" * (limit + 2 * 1024 * 1024), "huge.txt", "Huge", csrf_token=token)
    refused = site.owner.post(site.page(), data=body, content_type=content_type)
    assert refused.status_code == 413
    page = refused.get_data(as_text=True)
    assert "That was too large to upload" in page and "an evidence file can be at most 20 MB" in page
