"""The service layer: answers with history and versions, completion, repeats, comparison, plan actions."""

from __future__ import annotations

from datetime import date

import pytest

from app.extensions import db
from app.models import AssessmentStatus, PlanAction, Role
from app.models.assessments import ActionStatus
from app.schemas.assessments import ComparisonSchema
from app.services import accounts, answers, assessments, comparison, evaluation, invitations, tenancy
from app.services.errors import Conflict, Forbidden, Invalid, NotFound

from .. import factories


@pytest.fixture
def ctx(db_app):
    with db_app.app_context():
        organisation, owner = factories.organisation()
        assessment = factories.assessment(owner, organisation.id)
        yield owner, organisation, assessment


def test_an_answer_is_checked_saved_and_every_earlier_value_kept(ctx):
    owner, _, assessment = ctx
    first = assessments.save_answer(owner, assessment.id, "scope_documented", "no", note="not yet")
    assert first.answer.version == 1
    second = assessments.save_answer(owner, assessment.id, "scope_documented", "yes", expected_version=1)
    assert second.answer.version == 2 and second.answer.value == "yes"
    history = [(r.version, r.value, r.note) for r in second.answer.revisions]
    assert history == [(1, "no", "not yet")]
    assert "scope-not-documented" not in {f.id for f in second.report.findings}


def test_a_stale_version_is_a_conflict_and_changes_nothing(ctx):
    owner, _, assessment = ctx
    assessments.save_answer(owner, assessment.id, "scope_documented", "no")
    assessments.save_answer(owner, assessment.id, "scope_documented", "partly", expected_version=1)
    with pytest.raises(Conflict):
        assessments.save_answer(owner, assessment.id, "scope_documented", "yes", expected_version=1)
    assert answers.answers_of(assessment)["scope_documented"].value == "partly"


def test_an_invalid_answer_is_refused_with_the_field_and_nothing_is_saved(ctx):
    owner, _, assessment = ctx
    with pytest.raises(Invalid) as refused:
        assessments.save_answer(owner, assessment.id, "people_in_scope", "lots")
    assert "people_in_scope" in refused.value.fields
    with pytest.raises(Invalid):
        assessments.save_answers(owner, assessment.id, {"scope_documented": "yes", "people_in_scope": "lots"})
    assert answers.answers_of(assessment) == {}  # all or nothing


def test_completion_freezes_the_report(ctx, monkeypatch):
    owner, _, assessment = ctx
    assessments.save_answer(owner, assessment.id, "scope_documented", "no")
    completed = assessments.complete_assessment(owner, assessment.id)
    assert completed.status is AssessmentStatus.COMPLETED
    frozen = evaluation.evaluate(completed)
    # Even if the rules change later, the stored report stays what it was.
    monkeypatch.setattr(evaluation, "assess", lambda *a, **k: pytest.fail("a completed report must not be recomputed"))
    assert evaluation.evaluate(completed) == frozen
    with pytest.raises(Conflict):
        assessments.save_answer(owner, assessment.id, "scope_documented", "yes")


def test_a_repeat_copies_answers_to_confirm_and_carries_plan_actions(ctx):
    owner, _, assessment = ctx
    assessments.save_answer(owner, assessment.id, "scope_documented", "no", note="draft only")
    assessments.update_plan_action(
        owner, assessment.id, "determine-context-and-scope", {"status": "doing", "owner": "Ana"}
    )
    assessments.complete_assessment(owner, assessment.id)
    fresh = assessments.repeat_assessment(owner, assessment.id)
    copied = answers.answers_of(fresh)["scope_documented"]
    assert (copied.value, copied.note, copied.to_confirm) == ("no", "draft only", True)
    assert fresh.repeats_id == assessment.id
    action = next(a for a in assessments.plan_of(fresh) if a.id == "determine-context-and-scope")
    assert (action.status, action.owner) == ("doing", "Ana")
    confirmed = assessments.save_answer(owner, fresh.id, "scope_documented", "no")
    assert confirmed.answer.to_confirm is False


def test_tracking_stored_under_a_step_shows_on_its_bundle_and_carries_into_its_first_edit(ctx):
    # Plans tracked before actions were bundled hold rows under what is now a step (write-scope).
    owner, _, assessment = ctx
    assessments.save_answer(owner, assessment.id, "scope_documented", "no")
    db.session.add(
        PlanAction(
            assessment_id=assessment.id,
            action_id="write-scope",
            title="Write the scope",
            status=ActionStatus.DOING,
            owner="Ana",
            due_date=date(2027, 3, 31),
            notes="draft in the handbook",
        )
    )
    db.session.commit()
    bundle = next(a for a in assessments.plan_of(assessment) if a.id == "determine-context-and-scope")
    assert "write-scope" in [step.id for step in bundle.steps]
    assert (bundle.status, bundle.owner, bundle.due_date) == ("doing", "Ana", "2027-03-31")
    assert "draft in the handbook" in bundle.notes
    assessments.update_plan_action(owner, assessment.id, "determine-context-and-scope", {"due_date": "2027-04-30"})
    edited = next(a for a in assessments.plan_of(assessment) if a.id == "determine-context-and-scope")
    assert (edited.status, edited.owner, edited.due_date) == ("doing", "Ana", "2027-04-30")
    assert "draft in the handbook" in edited.notes


def test_compare_reports_resolved_new_persisting_and_done_actions_whose_finding_persists(ctx):
    owner, organisation, first = ctx
    assessments.save_answers(owner, first.id, {"scope_documented": "no", "internal_audit_held": "no"})
    assessments.update_plan_action(owner, first.id, "determine-context-and-scope", {"status": "done"})
    assessments.complete_assessment(owner, first.id)
    second = assessments.repeat_assessment(owner, first.id)
    assessments.save_answers(owner, second.id, {"internal_audit_held": "yes", "quality_policy": "no"})
    changes = ComparisonSchema().dump(comparison.compare(owner, first.id, second.id).result)
    findings = {k: {f["id"] for f in v} for k, v in changes["findings"].items()}
    assert "scope-not-documented" in findings["persisting"]
    assert "quality-policy-missing" in findings["new"] | findings["regressed"]
    assert any(item["action"] == "determine-context-and-scope" for item in changes["done_but_persisting"])
    assert changes["clauses"]["4.3"]["before"] is not None


def test_roles_viewers_read_contributors_answer_only_managers_manage(ctx):
    owner, organisation, assessment = ctx
    viewer = factories.member(organisation.id, Role.VIEWER, owner)
    contributor = factories.member(organisation.id, Role.CONTRIBUTOR, owner)
    # Anyone in the organisation can read through the services.
    seen = evaluation.evaluate(tenancy.assessment_for(viewer, assessment.id)).to_dict()
    assert seen["questionnaire"] == {"id": "quick-scan", "version": 1} and seen["readiness"]["overall"] is None
    assert "scope_documented" in {u["question"] for u in seen["unanswered"]}
    with pytest.raises(Forbidden):
        assessments.save_answer(viewer, assessment.id, "scope_documented", "yes")
    assessments.save_answer(contributor, assessment.id, "scope_documented", "yes")
    assert "scope_documented" not in {u["question"] for u in evaluation.evaluate(assessment).to_dict()["unanswered"]}
    with pytest.raises(Forbidden):
        assessments.complete_assessment(contributor, assessment.id)
    with pytest.raises(Forbidden):
        invitations.invite(contributor, organisation.id, "x@example.com", Role.VIEWER)


def test_another_organisations_ids_are_not_found(ctx):
    owner, organisation, assessment = ctx
    other_org, stranger = factories.organisation(name="Other")
    with pytest.raises(NotFound):
        assessments.save_answer(stranger, assessment.id, "scope_documented", "yes")
    with pytest.raises(NotFound):
        comparison.compare(stranger, assessment.id, assessment.id)
    other = factories.assessment(stranger, other_org.id)
    with pytest.raises(NotFound):
        comparison.compare(owner, assessment.id, other.id)


def test_invitations_work_once_and_expire(ctx):
    owner, organisation, _ = ctx
    invitation, token = invitations.invite(owner, organisation.id, "new@example.com", Role.CONTRIBUTOR)
    joined = accounts.create_user("new@example.com", factories.PASSWORD)
    assert invitations.accept_invitation(token, joined).role is Role.CONTRIBUTOR
    with pytest.raises(NotFound):
        invitations.accept_invitation(token, joined)
    _, expired_token = invitations.invite(owner, organisation.id, "late@example.com", Role.VIEWER)
    from datetime import timedelta

    from app.extensions import db
    from app.models import Invitation
    from app.models.base import utcnow

    row = db.session.scalars(db.select(Invitation).order_by(Invitation.id.desc())).first()
    row.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    with pytest.raises(NotFound):
        invitations.pending_invitation(expired_token)


def test_api_tokens_are_stored_hashed_and_can_be_revoked(ctx):
    owner, _, _ = ctx
    row, token = accounts.create_api_token(owner, "ci")
    assert token not in row.token_hash and accounts.user_for_api_token(token).id == owner.id
    accounts.revoke_api_token(owner, row.id)
    assert accounts.user_for_api_token(token) is None


def test_export_import_round_trip_loses_nothing(ctx):
    owner, organisation, assessment = ctx
    assessments.save_answers(
        owner,
        assessment.id,
        {
            "people_in_scope": 12,
            "existing_certifications": ["iso27001"],
            "scope_documented": {"value": "partly", "note": "draft <b>v2</b>", "evidence": "https://wiki/scope"},
        },
    )
    exported = assessments.export_answers(owner, assessment.id)
    copy = assessments.import_answers(owner, organisation.id, exported)
    assert assessments.export_answers(owner, copy.id) == exported


def test_answering_again_without_a_note_keeps_the_note(ctx):
    owner, _, assessment = ctx
    assessments.save_answer(owner, assessment.id, "scope_documented", "partly", note="draft", evidence="wiki/scope")
    again = assessments.save_answer(owner, assessment.id, "scope_documented", "yes")
    assert (again.answer.note, again.answer.evidence) == ("draft", "wiki/scope")
    cleared = assessments.save_answer(owner, assessment.id, "scope_documented", "yes", note="")
    assert cleared.answer.note == "" and cleared.answer.evidence == "wiki/scope"


def test_a_stale_answer_among_several_saves_none_of_them(ctx):
    owner, _, assessment = ctx
    assessments.save_answer(owner, assessment.id, "quality_policy", "no")
    assessments.save_answer(owner, assessment.id, "quality_policy", "partly")
    with pytest.raises(Conflict):
        assessments.save_answers(
            owner, assessment.id, {"scope_documented": "yes", "quality_policy": {"value": "yes", "version": 1}}
        )
    from app.extensions import db

    db.session.rollback()
    saved = answers.answers_of(assessment)
    assert "scope_documented" not in saved and saved["quality_policy"].value == "partly"


def test_an_answer_touches_the_last_activity_at_most_once_a_minute(ctx):
    owner, _, assessment = ctx
    assessments.save_answer(owner, assessment.id, "scope_documented", "no")
    first = assessment.last_activity_at
    assessments.save_answer(owner, assessment.id, "scope_documented", "yes")
    assert assessment.last_activity_at == first  # seconds later: the portfolio shows days, the row is not rewritten
    assessment.last_activity_at = first - evaluation.ACTIVITY_RESOLUTION
    db.session.commit()
    assessments.save_answer(owner, assessment.id, "scope_documented", "partly")
    assert assessment.last_activity_at > first
