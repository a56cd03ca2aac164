"""Evidence through the API (issue 16 item 1): files and links on answers and plan actions, their bytes back as
attachments, deletion, refusals in words, the body limit an upload gets, roles and tenancy."""

from __future__ import annotations

import hashlib

import pytest

from app.extensions import db
from app.models import Evidence

from ..apiclient import API

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
QUESTION = "internal_audit_held"


def evidence_path(world, question: str = QUESTION, assessment_id: int | None = None) -> str:
    return f"/assessments/{assessment_id or world.assessment_id}/answers/{question}/evidence"


def multipart(data: bytes, name: str, title: str, **fields: str) -> tuple[bytes, str]:
    """A multipart body made in memory: werkzeug's test client spools a large one to a temporary file it never
    closes, which pytest (warnings as errors) reports."""
    boundary = "evidence-test-boundary"
    fields = {"title": title, **fields}
    body = (
        (
            "".join(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n' for k, v in fields.items()
            )
            + f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n"
        ).encode()
        + data
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return body, f"multipart/form-data; boundary={boundary}"


def upload(caller, path: str, data: bytes = PDF, name: str = "audit report.pdf", title: str = "Audit Q3"):
    body, content_type = multipart(data, name, title)
    return caller.post(path, data=body, content_type=content_type)


def test_a_file_goes_up_and_comes_back_byte_for_byte_as_an_attachment(world):
    path = evidence_path(world)
    sent = upload(world.owner, path)
    assert sent.status_code == 201, sent.get_json()
    item = sent.get_json()
    digest = hashlib.sha256(PDF).hexdigest()
    assert item["kind"] == "file" and item["title"] == "Audit Q3" and item["filename"] == "audit_report.pdf"
    assert item["content_type"] == "application/pdf" and item["size"] == len(PDF) and item["sha256"] == digest
    assert item["to_confirm"] is False and item["added_by"] and item["added_at"]
    assert item["download"] == f"{API}{path}/{item['id']}"
    assert [e["id"] for e in world.owner.get(path).get_json()] == [item["id"]]

    got = world.viewer.client.get(item["download"], headers={"Authorization": f"Bearer {world.viewer.token}"})
    assert got.status_code == 200 and got.data == PDF
    assert hashlib.sha256(got.data).hexdigest() == got.headers["X-Content-SHA256"] == digest
    assert got.headers["Content-Type"] == "application/pdf"
    assert got.headers["Content-Disposition"] == 'attachment; filename="audit_report.pdf"'
    assert got.headers["X-Content-Type-Options"] == "nosniff"


def test_a_link_is_listed_and_has_no_bytes_to_download(world):
    path = evidence_path(world)
    sent = world.owner.post(path, json={"url": "https://wiki.example.test/audits/2026", "title": "Audit page"})
    assert sent.status_code == 201
    link = sent.get_json()
    assert link["kind"] == "link" and link["url"] == "https://wiki.example.test/audits/2026"
    assert link["download"] is None and link["sha256"] is None
    bytes_of_link = world.owner.get(f"{path}/{link['id']}")
    assert bytes_of_link.status_code == 404 and "link" in bytes_of_link.get_json()["message"]
    refused = world.owner.post(path, json={"url": "javascript:alert(1)"})
    assert refused.status_code == 422 and "url" in refused.get_json()["errors"]["json"]


def test_deleting_hides_it_and_keeps_who_and_when(world):
    path = evidence_path(world)
    item = upload(world.owner, path).get_json()
    assert world.contributor.call("DELETE", f"{path}/{item['id']}").status_code == 204
    assert world.owner.get(path).get_json() == []
    assert world.owner.get(f"{path}/{item['id']}").status_code == 404
    assert world.owner.call("DELETE", f"{path}/{item['id']}").status_code == 404
    with world.app.app_context():
        kept = db.session.get(Evidence, item["id"])
        assert kept.deleted_at is not None and kept.deleted_by_id is not None


@pytest.mark.parametrize(
    ("data", "name", "said"),
    [
        (b"", "empty.pdf", "empty"),
        (b"MZ\x90\x00\x03\x00\x00\x00" * 40, "report.pdf", "is not taken as evidence"),
        (b"{not json", "data.json", "not valid JSON"),
    ],
    ids=["empty", "executable", "bad-json"],
)
def test_a_file_that_is_not_evidence_is_refused_saying_why(world, data, name, said):
    refused = upload(world.owner, evidence_path(world), data, name)
    assert refused.status_code == 422
    body = refused.get_json()
    assert said in body["message"] and said in body["errors"]["file"][0]
    assert world.owner.get(evidence_path(world)).get_json() == []


def test_a_file_over_the_evidence_limit_is_a_422_and_a_much_larger_body_a_413(world):
    limit = world.app.config["EVIDENCE_MAX_BYTES"]
    assert limit > world.app.config["MAX_CONTENT_LENGTH"]  # an evidence file is allowed past the general limit
    near = upload(world.owner, evidence_path(world), b"a" * limit, "big.txt")
    assert near.status_code == 201, near.get_json()
    over = upload(world.owner, evidence_path(world), b"a" * (limit + 1), "big.txt")
    assert over.status_code == 422 and "at most 20.0 MB" in over.get_json()["message"]
    huge = upload(world.owner, evidence_path(world), b"a" * (limit + 2 * 1024 * 1024), "huge.txt")
    assert huge.status_code == 413 and "evidence file can be at most 20 MB" in huge.get_json()["message"]
    # Elsewhere the general limit stands.
    other = world.owner.put(f"/assessments/{world.assessment_id}/answers/{QUESTION}", json={"note": "x" * 3_000_000})
    assert other.status_code == 413


def test_a_body_that_is_neither_a_file_nor_a_link_is_a_415(world):
    sent = world.owner.post(evidence_path(world), data="url=https://x.example", content_type="text/plain")
    assert sent.status_code == 415
    body = b'--b\r\nContent-Disposition: form-data; name="title"\r\n\r\nno file\r\n--b--\r\n'
    missing = world.owner.post(evidence_path(world), data=body, content_type="multipart/form-data; boundary=b")
    assert missing.status_code == 422 and "file" in missing.get_json()["errors"]


def test_a_viewer_reads_but_cannot_add_or_delete(world):
    path = evidence_path(world)
    item = upload(world.owner, path).get_json()
    assert world.viewer.get(path).status_code == 200
    assert upload(world.viewer, path).status_code == 403
    assert world.viewer.post(path, json={"url": "https://x.example.test"}).status_code == 403
    assert world.viewer.call("DELETE", f"{path}/{item['id']}").status_code == 403
    assert len(world.owner.get(path).get_json()) == 1


def test_another_organisations_evidence_is_404_on_every_route(world):
    path = evidence_path(world)
    item = upload(world.owner, path).get_json()
    for method, target in [("GET", path), ("GET", f"{path}/{item['id']}"), ("DELETE", f"{path}/{item['id']}")]:
        response = world.outsider.call(method, target)
        assert response.status_code == 404 and response.get_json()["code"] == 404
    assert upload(world.outsider, path).status_code == 404
    # Their own assessment does not open ours by naming our evidence id.
    theirs = evidence_path(world, assessment_id=world.other_assessment_id)
    assert world.outsider.get(f"{theirs}/{item['id']}").status_code == 404
    assert len(world.owner.get(path).get_json()) == 1


def test_unknown_questions_and_completed_assessments_are_refused(world):
    assert upload(world.owner, evidence_path(world, "no_such_question")).status_code == 404
    assert world.owner.post(f"/assessments/{world.assessment_id}/complete").status_code == 200
    assert upload(world.owner, evidence_path(world)).status_code == 409


def test_plan_actions_take_evidence_too(world):
    assert (
        world.owner.put(f"/assessments/{world.assessment_id}/answers/quality_policy", json={"value": "no"}).status_code
        == 200
    )
    action = world.owner.get(f"/assessments/{world.assessment_id}/plan").get_json()[0]["id"]
    path = f"/assessments/{world.assessment_id}/plan/{action}/evidence"
    item = upload(world.owner, path, title="Minutes").get_json()
    assert item["download"] == f"{API}{path}/{item['id']}"
    assert world.owner.get(f"{path}/{item['id']}").data == PDF
    assert world.owner.get(evidence_path(world)).get_json() == []  # not an answer's
    assert world.owner.get(f"{evidence_path(world)}/{item['id']}").status_code == 404
    assert world.owner.call("DELETE", f"{path}/{item['id']}").status_code == 204
    assert world.owner.get(f"/assessments/{world.assessment_id}/plan/no-such-action/evidence").status_code == 404
