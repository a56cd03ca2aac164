"""Credit for an ISO/IEC 27001 system (issue 15 item 6): declaring the certificate offers the answers it already
gives as pending suggestions, one per question, which count only once a person confirms them; a rejected one
leaves the question to the respondent, and a certificate taken back withdraws what nobody decided on."""

from __future__ import annotations

import pytest

from app.extensions import db
from app.models import ProposalStatus, ScanProposal
from app.services import answers, assessments, evaluation, proposals, tenancy

from .. import factories

FULL = "iso9001-software"


@pytest.fixture
def certified(db_app):
    with db_app.app_context():
        organisation, owner = factories.organisation()
        assessment = factories.assessment(owner, organisation.id, FULL)
        yield owner, assessment.id


def _pending(assessment_id) -> dict[str, ScanProposal]:
    rows = db.session.scalars(
        db.select(ScanProposal).where(
            ScanProposal.assessment_id == assessment_id, ScanProposal.status == ProposalStatus.PENDING
        )
    )
    return {p.question_id: p for p in rows}


def _answers(owner, assessment_id) -> dict:
    return answers.answers_of(tenancy.assessment_for(owner, assessment_id))


def test_declaring_the_certificate_offers_its_answers_and_nothing_counts_yet(certified):
    owner, assessment_id = certified
    assessment = tenancy.assessment_for(owner, assessment_id)
    before = evaluation.evaluate(assessment, {}).to_dict()["readiness"]
    assessments.save_answer(owner, assessment_id, "existing_certifications", ["iso27001"])
    pending = _pending(assessment_id)
    # A covered question is proposed as "yes", a partly covered one as "partly"; no choice question is proposed.
    assert pending["competence_records"].value == "yes"
    assert pending["internal_audit_held"].value == "partly"
    assert "document_approval" not in pending
    assert {p.source for p in pending.values()} == {"iso27001"}
    assert "Your ISO/IEC 27001 system already has this" in pending["competence_records"].why
    assert set(_answers(owner, assessment_id)) == {"existing_certifications"}  # nothing counted before a person
    after = evaluation.evaluate(assessment, answers.answer_values(assessment)).to_dict()["readiness"]
    assert before["groups"]["7"] == after["groups"]["7"]


def test_no_certificate_no_suggestion(certified):
    owner, assessment_id = certified
    assessments.save_answer(owner, assessment_id, "existing_certifications", ["none"])
    assert _pending(assessment_id) == {}


def test_confirmed_one_by_one_with_the_clause_as_evidence_and_a_rejection_leaves_the_question(certified):
    owner, assessment_id = certified
    assessments.save_answer(owner, assessment_id, "existing_certifications", ["iso27001"])
    pending = _pending(assessment_id)
    proposals.decide(owner, assessment_id, pending["competence_records"].id, confirm=True)
    proposals.decide(owner, assessment_id, pending["corrective_action"].id, confirm=False)
    stored = _answers(owner, assessment_id)
    assert stored["competence_records"].value == "yes"
    assessment = tenancy.assessment_for(owner, assessment_id)
    assert "ISO/IEC 27001 certificate: 7.2" in answers.current_answer(assessment.id, "competence_records").evidence
    assert "corrective_action" not in stored
    still = _pending(assessment_id)
    assert "competence_records" not in still and "corrective_action" not in still and "internal_audit_held" in still
    # Answering the trigger again offers neither the confirmed nor the rejected question a second time.
    assessments.save_answer(owner, assessment_id, "existing_certifications", ["iso27001", "soc2"])
    assert "corrective_action" not in _pending(assessment_id) and "competence_records" not in _pending(assessment_id)


def test_a_certificate_taken_back_or_out_of_scope_withdraws_the_undecided_suggestions(certified):
    owner, assessment_id = certified
    assessments.save_answer(owner, assessment_id, "existing_certifications", ["iso27001"])
    assert _pending(assessment_id)
    assessments.save_answer(owner, assessment_id, "iso27001_scope_overlaps", "no")
    assert _pending(assessment_id) == {}
    superseded = db.session.scalars(
        db.select(ScanProposal).where(ScanProposal.status == ProposalStatus.SUPERSEDED)
    ).all()
    assert superseded


def test_a_new_repository_scan_leaves_the_certificate_suggestions_alone(certified):
    owner, assessment_id = certified
    assessments.save_answer(owner, assessment_id, "existing_certifications", ["iso27001"])
    count = len(_pending(assessment_id))
    scan = {"repository": "shop", "commit": "a" * 40, "proposals": [], "not_visible": []}
    proposals.take_scan(owner, assessment_id, scan)
    assert len(_pending(assessment_id)) == count


def test_the_section_form_path_offers_them_too(certified):
    owner, assessment_id = certified
    assessments.save_answers(owner, assessment_id, {"existing_certifications": {"value": ["iso27001"]}})
    assert "competence_records" in _pending(assessment_id)


def test_the_interview_offers_the_suggestion_at_its_question_and_confirming_saves_it(db_app):
    import html

    from ..webclient import csrf_from, login

    with db_app.app_context():
        organisation, owner = factories.organisation()
        assessment_id = factories.assessment(owner, organisation.id, FULL).id
        email = owner.email
    client = db_app.test_client()
    login(client, email)
    chat = f"/workspace/assessments/{assessment_id}/chat"
    token = csrf_from(client, chat)
    sent = client.post(
        chat, data={"question_id": "existing_certifications", "values": ["iso27001"], "csrf_token": token}
    )
    assert sent.status_code in (200, 302, 303), sent.status_code
    client.post(f"{chat}/revisit/competence_records", data={"csrf_token": token})
    page = html.unescape(client.get(chat).get_data(as_text=True))
    assert "From your ISO/IEC 27001 system" in page and "ISO/IEC 27001 7.2" in page
    with db_app.app_context():
        offer = _pending(assessment_id)["competence_records"]
    decided = client.post(
        f"/workspace/assessments/{assessment_id}/proposals/decision",
        data={"proposal": offer.id, "decision": "confirm", "csrf_token": token},
    )
    assert decided.status_code == 303
    with db_app.app_context():
        owner = db.session.get(type(owner), owner.id)
        assert _answers(owner, assessment_id)["competence_records"].value == "yes"
