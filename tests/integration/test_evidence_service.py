"""Evidence on answers and plan actions (issue 16 item 1), at the service level: what is kept, who may see and
change it, what a deletion leaves, and what a repeat assessment carries over to be confirmed again."""

from __future__ import annotations

import hashlib

import pytest
import sqlalchemy as sa
from flask import current_app

from app.extensions import db, evidence_storage
from app.models import Evidence, EvidenceKind, Role
from app.services import assessments, errors, tenancy
from app.services import evidence as service
from app.services.evidence import Subject

from .. import factories

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
ANSWER = Subject.answer("internal_audit_held")


@pytest.fixture
def world(db_app):
    with db_app.app_context():
        organisation, owner = factories.organisation()
        assessment = factories.assessment(owner, organisation.id)
        other_org, stranger = factories.organisation(name="Other")
        viewer = factories.member(organisation.id, Role.VIEWER, by=owner)
        yield owner, assessment.id, stranger, viewer


def test_a_file_is_kept_under_its_sha256_and_read_back_byte_for_byte(world):
    owner, assessment_id, *_ = world
    item = service.add_file(owner, assessment_id, ANSWER, PDF, "../../audit report.pdf", title="Audit report Q3")
    assert item.sha256 == hashlib.sha256(PDF).hexdigest()
    assert item.filename == "audit_report.pdf" and item.content_type == "application/pdf" and item.size == len(PDF)
    assert service.content(service.one(owner, assessment_id, ANSWER, item.id)) == PDF
    again = service.add_file(owner, assessment_id, ANSWER, PDF, "copy.pdf")
    assert again.sha256 == item.sha256 and again.title == "copy.pdf"  # one blob, two records
    assert [e.id for e in service.listed(owner, assessment_id, ANSWER)] == [item.id, again.id]


def test_a_file_whose_content_is_not_what_its_name_says_is_refused_and_nothing_is_kept(world):
    owner, assessment_id, *_ = world
    with pytest.raises(errors.Invalid) as refused:
        service.add_file(owner, assessment_id, ANSWER, b"MZ\x90\x00\x03\x00\x00\x00" * 40, "report.pdf")
    assert "file" in refused.value.fields
    limit = current_app.config["EVIDENCE_MAX_BYTES"]
    with pytest.raises(errors.Invalid, match="at most"):
        service.add_file(owner, assessment_id, ANSWER, b"a" * (limit + 1), "big.txt")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Evidence)) == 0


def test_links_must_be_web_addresses(world):
    owner, assessment_id, *_ = world
    link = service.add_link(owner, assessment_id, ANSWER, " https://wiki.example.test/audits/2026 ", "")
    assert link.kind is EvidenceKind.LINK and link.title == link.url == "https://wiki.example.test/audits/2026"
    for bad in ("javascript:alert(1)", "wiki/audits", "ftp://files.example.test/a", ""):
        with pytest.raises(errors.Invalid, match="http"):
            service.add_link(owner, assessment_id, ANSWER, bad, "x")


def test_deleting_keeps_who_and_when_and_hides_it(world):
    owner, assessment_id, *_ = world
    item = service.add_link(owner, assessment_id, ANSWER, "https://ci.example.test/runs/1", "Pipeline run")
    service.delete(owner, assessment_id, ANSWER, item.id)
    kept = db.session.get(Evidence, item.id)
    assert kept.deleted_by_id == owner.id and kept.deleted_at is not None
    assert service.listed(owner, assessment_id, ANSWER) == []
    with pytest.raises(service.NoSuchEvidence):
        service.one(owner, assessment_id, ANSWER, item.id)
    with pytest.raises(service.NoSuchEvidence):
        service.delete(owner, assessment_id, ANSWER, item.id)


def test_evidence_is_reached_only_through_its_own_assessment_question_and_role(world):
    owner, assessment_id, stranger, viewer = world
    item = service.add_link(owner, assessment_id, ANSWER, "https://wiki.example.test/a", "A")
    with pytest.raises(errors.NotFound):
        service.listed(stranger, assessment_id, ANSWER)
    with pytest.raises(errors.NotFound):
        service.one(stranger, assessment_id, ANSWER, item.id)
    with pytest.raises(service.NoSuchEvidence):  # the right assessment, another question
        service.one(owner, assessment_id, Subject.answer("management_review_held"), item.id)
    assert [e.id for e in service.listed(viewer, assessment_id, ANSWER)] == [item.id]  # a viewer reads
    with pytest.raises(errors.Forbidden):
        service.add_link(viewer, assessment_id, ANSWER, "https://wiki.example.test/b", "B")
    with pytest.raises(errors.Forbidden):
        service.delete(viewer, assessment_id, ANSWER, item.id)
    with pytest.raises(errors.NotFound):
        service.add_link(owner, assessment_id, Subject.answer("no_such_question"), "https://x.example.test", "x")
    with pytest.raises(errors.NotFound):
        service.add_link(owner, assessment_id, Subject.action("no-such-action"), "https://x.example.test", "x")


def test_a_completed_assessment_keeps_its_evidence_as_it_was(world):
    owner, assessment_id, *_ = world
    service.add_link(owner, assessment_id, ANSWER, "https://wiki.example.test/a", "A")
    assessments.complete_assessment(owner, assessment_id)
    with pytest.raises(errors.Conflict):
        service.add_link(owner, assessment_id, ANSWER, "https://wiki.example.test/b", "B")
    assert len(service.listed(owner, assessment_id, ANSWER)) == 1


def test_a_repeat_carries_evidence_with_its_answer_to_be_confirmed_again(world):
    owner, assessment_id, *_ = world
    assessments.save_answer(owner, assessment_id, "internal_audit_held", "yes")
    assessments.save_answer(owner, assessment_id, "management_review_held", "yes")
    kept = service.add_file(owner, assessment_id, ANSWER, PDF, "audit.pdf")
    review = Subject.answer("management_review_held")
    gone = service.add_link(owner, assessment_id, review, "https://wiki.example.test/old", "Old")
    service.delete(owner, assessment_id, review, gone.id)
    minutes = service.add_link(owner, assessment_id, review, "https://wiki.example.test/review", "Minutes")
    assessments.complete_assessment(owner, assessment_id)

    fresh = assessments.repeat_assessment(owner, assessment_id)
    carried = service.listed(owner, fresh.id, ANSWER)
    assert [(e.sha256, e.carried_from_id, e.to_confirm) for e in carried] == [(kept.sha256, kept.id, True)]
    assert [e.title for e in service.listed(owner, fresh.id, review)] == ["Minutes"]  # the deleted one stays behind
    assert service.backing(tenancy.assessment_for(owner, fresh.id)) == {}  # nothing backs an answer yet
    assert evidence_storage().get(carried[0].sha256) == PDF

    assessments.save_answer(owner, fresh.id, "internal_audit_held", "yes")  # "still true": its records hold too
    assessments.save_answer(owner, fresh.id, "management_review_held", "partly")  # changed: its records are asked about
    backing = service.backing(tenancy.assessment_for(owner, fresh.id))
    assert set(backing) == {"internal_audit_held"}
    minutes_now = service.listed(owner, fresh.id, review)[0]
    service.confirm(owner, fresh.id, review, minutes_now.id)
    backing = service.backing(tenancy.assessment_for(owner, fresh.id))
    assert set(backing) == {"internal_audit_held", "management_review_held"}
    assert minutes.id != minutes_now.id


def test_a_plan_action_can_carry_evidence_that_no_answer_counts(world):
    owner, assessment_id, *_ = world
    action = Subject.action("audit-and-review")
    item = service.add_link(owner, assessment_id, action, "https://tracker.example.test/QA-1", "Audit programme")
    assert [e.id for e in service.listed(owner, assessment_id, action)] == [item.id]
    assert service.listed(owner, assessment_id, ANSWER) == []
    assert service.backing(tenancy.assessment_for(owner, assessment_id)) == {}


def test_two_hosts_sharing_an_s3_bucket_serve_each_others_files(database_url, s3_endpoint, monkeypatch, tmp_path):
    """With EVIDENCE_S3_BUCKET set, a file attached through one host is read back through another that shares the
    database and the bucket but no folder."""
    import boto3

    from app.factory import create_app

    from ..conftest import dispose, make_app

    for key, value in {
        "AWS_ACCESS_KEY_ID": "test",
        "AWS_SECRET_ACCESS_KEY": "test",
        "AWS_DEFAULT_REGION": "us-east-1",
    }.items():
        monkeypatch.setenv(key, value)
    boto3.client("s3", endpoint_url=s3_endpoint).create_bucket(Bucket="shared-evidence")
    shared = {"EVIDENCE_S3_BUCKET": "shared-evidence", "EVIDENCE_S3_ENDPOINT": s3_endpoint}
    first = make_app(database_url, EVIDENCE_DIR=str(tmp_path / "first"), **shared)
    second = create_app(
        {"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url, "EVIDENCE_DIR": str(tmp_path / "second"), **shared}
    )
    try:
        with first.app_context():
            organisation, owner = factories.organisation()
            assessment = factories.assessment(owner, organisation.id)
            item = service.add_file(owner, assessment.id, ANSWER, PDF, "audit.pdf")
            ids = owner.id, assessment.id, item.id
        with second.app_context():
            from app.models import User

            owner = db.session.get(User, ids[0])
            found = service.one(owner, ids[1], ANSWER, ids[2])
            assert service.content(found) == PDF
        assert not (tmp_path / "first").exists() or not any((tmp_path / "first").rglob("*"))
    finally:
        with first.app_context():
            db.session.remove()
            db.drop_all()
        dispose(first)
        dispose(second)
