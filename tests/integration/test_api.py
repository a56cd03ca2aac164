"""The JSON API under /api/v1, on SQLite and PostgreSQL: every endpoint, authentication by bearer token only,
tenancy, roles, optimistic concurrency, field messages, pagination and the answers-file round trip."""

from __future__ import annotations

import json

import pytest
import yaml

from app.config import PROJECT_ROOT
from app.extensions import KB_KEY, db
from app.knowledge.answer_file import parse_answer_file
from app.models import Assessment
from app.schemas.assessments import ComparisonSchema
from app.services import accounts, assessments, comparison, evaluation, invitations, tenancy

from ..apiclient import API, Caller, World
from ..webclient import login

EXAMPLES = sorted((PROJECT_ROOT / "examples").glob("*.yaml"))


def in_app(world: World, work):
    """What the services say, read in a fresh app context (as the owner of Acme)."""
    with world.app.app_context():
        owner = accounts.user_for_api_token(world.owner.token)
        # Reports and plan items go out in their API form, the one to_dict gives.
        return json.loads(json.dumps(work(owner), default=lambda value: value.to_dict()))


def pages(response) -> dict:
    return json.loads(response.headers["X-Pagination"])


# ---------------------------------------------------------------------------------------------- authentication


@pytest.mark.parametrize(
    "authorization", [None, "Bearer", "Bearer not-a-token", "Basic dXNlcjpwYXNz", "bearer cw_wrong"]
)
def test_a_request_without_a_valid_token_gets_a_json_401(world, authorization):
    headers = {"Authorization": authorization} if authorization else {}
    response = world.app.test_client().get(f"{API}/organisations", headers=headers)
    assert response.status_code == 401
    assert response.is_json and "Authorization: Bearer" in response.get_json()["message"]
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_a_revoked_token_no_longer_opens_the_api(world):
    assert world.owner.get("/organisations").status_code == 200
    with world.app.app_context():
        owner = accounts.user_for_api_token(world.owner.token)
        for token in accounts.tokens_of(owner):
            accounts.revoke_api_token(owner, token.id)
    assert world.owner.get("/organisations").status_code == 401


def test_the_session_cookie_alone_does_not_open_the_api(world):
    browser = world.app.test_client()
    login(browser, world.owner_email)
    assert browser.get("/workspace/").status_code == 200  # the cookie is good for the pages
    response = browser.get(f"{API}/organisations")
    assert response.status_code == 401 and response.is_json
    # Pages still send an anonymous visitor to the login page rather than answering 401.
    anonymous = world.app.test_client().get("/workspace/")
    assert anonymous.status_code == 302 and "/login" in anonymous.headers["Location"]


def test_api_writes_need_no_csrf_token_because_only_the_bearer_token_authenticates(world):
    assert world.app.config["WTF_CSRF_ENABLED"]
    response = world.owner.post("/organisations", json={"name": "No CSRF needed"})
    assert response.status_code == 201


# ---------------------------------------------------------------------------------------------- organisations


def test_organisations_are_only_the_callers_and_a_new_one_makes_the_caller_owner(world):
    listed = world.owner.get("/organisations").get_json()
    assert [(o["name"], o["role"]) for o in listed] == [("Acme", "owner")]
    created = world.owner.post("/organisations", json={"name": "  Beta Ltd "})
    assert created.status_code == 201
    body = created.get_json()
    assert body["name"] == "Beta Ltd" and body["role"] == "owner" and body["created_at"]
    assert world.owner.get(f"/organisations/{body['id']}").get_json() == body
    assert world.viewer.get(f"/organisations/{world.organisation_id}").get_json()["role"] == "viewer"
    assert [o["name"] for o in world.outsider.get("/organisations").get_json()] == ["Elsewhere"]


def test_an_organisation_needs_a_name(world):
    missing = world.owner.post("/organisations", json={})
    assert missing.status_code == 422 and "name" in missing.get_json()["errors"]["json"]
    # Refused by the schema, as the OpenAPI document says (a pattern), before the service would refuse it too.
    blank = world.owner.post("/organisations", json={"name": " \u3000\t"})
    assert blank.status_code == 422
    assert blank.get_json()["errors"] == {"json": {"name": ["give the organisation a name"]}}


def test_lists_are_paginated_with_an_x_pagination_header(world):
    for name in ("B", "C", "D"):
        assert world.owner.post("/organisations", json={"name": name}).status_code == 201
    first = world.owner.get("/organisations?page_size=3")
    assert [o["name"] for o in first.get_json()] == ["Acme", "B", "C"]
    assert pages(first) == {
        "total": 4,
        "total_pages": 2,
        "first_page": 1,
        "last_page": 2,
        "page": 1,
        "next_page": 2,
    }
    second = world.owner.get("/organisations?page_size=3&page=2")
    assert [o["name"] for o in second.get_json()] == ["D"] and pages(second)["previous_page"] == 1
    refused = world.owner.get("/organisations?page_size=0")
    assert refused.status_code == 422 and "page_size" in refused.get_json()["errors"]["query"]


def test_members_are_listed_with_their_roles(world):
    response = world.viewer.get(f"/organisations/{world.organisation_id}/members")
    assert response.status_code == 200 and pages(response)["total"] == 3
    members = response.get_json()
    assert [m["role"] for m in members] == ["owner", "contributor", "viewer"]
    assert members[0]["email"] == world.owner_email and members[0]["joined_at"]


def test_an_invitation_returns_its_one_time_link_once(world):
    response = world.owner.post(
        f"/organisations/{world.organisation_id}/invitations", json={"email": "New@Example.com", "role": "viewer"}
    )
    assert response.status_code == 201
    body = response.get_json()
    assert body["email"] == "new@example.com" and body["role"] == "viewer" and body["expires_at"]
    assert response.headers["Cache-Control"] == "no-store"
    path = body["link"].split("localhost", 1)[1]
    assert world.app.test_client().get(path).status_code == 200  # the link opens the invitation page
    with world.app.app_context():
        assert invitations.pending_invitation(path.rsplit("/", 1)[1]).email == "new@example.com"


def test_an_invitation_needs_a_role_and_an_email(world):
    path = f"/organisations/{world.organisation_id}/invitations"
    bad_role = world.owner.post(path, json={"email": "a@example.com", "role": "emperor"})
    assert bad_role.status_code == 422 and "role" in bad_role.get_json()["errors"]["json"]
    bad_email = world.owner.post(path, json={"email": "nobody", "role": "viewer"})
    # Refused by the schema (format: email in the OpenAPI document) before the service would refuse it too.
    assert bad_email.status_code == 422
    assert bad_email.get_json()["errors"] == {"json": {"email": ["expected an email address"]}}
    assert world.contributor.post(path, json={"email": "a@example.com", "role": "viewer"}).status_code == 403


# ---------------------------------------------------------------------------------------------- assessments


def test_assessments_are_started_with_a_questionnaire_and_listed_newest_first(world):
    path = f"/organisations/{world.organisation_id}/assessments"
    started = world.owner.post(path, json={"questionnaire": "quick-scan", "title": "Second look"})
    assert started.status_code == 201
    body = started.get_json()
    assert body["status"] == "in_progress" and body["questionnaire"] == "quick-scan"
    assert body["answer_count"] == 0 and body["title"] == "Second look" and body["repeats_id"] is None
    assert body["questionnaire_version"] >= 1 and body["kb_version"] and body["version"] == 1
    listed = world.viewer.get(path)
    assert [a["title"] for a in listed.get_json()] == ["Second look", "First look"]
    assert pages(listed)["total"] == 2
    assert [a["title"] for a in world.viewer.get(f"{path}?page_size=1&page=2").get_json()] == ["First look"]


def test_starting_an_assessment_checks_the_questionnaire(world):
    path = f"/organisations/{world.organisation_id}/assessments"
    unknown = world.owner.post(path, json={"questionnaire": "no-such-thing"})
    assert unknown.status_code == 422
    assert "expected one of quick-scan" in unknown.get_json()["errors"]["questionnaire"][0]
    missing = world.owner.post(path, json={"title": "x"})
    assert missing.status_code == 422 and "questionnaire" in missing.get_json()["errors"]["json"]


def test_one_assessment_shows_status_questionnaire_versions_and_answer_count(world):
    world.owner.put(f"/assessments/{world.assessment_id}/answers/scope_documented", json={"value": "no"})
    body = world.viewer.get(f"/assessments/{world.assessment_id}").get_json()
    assert body["id"] == world.assessment_id and body["organisation_id"] == world.organisation_id
    assert body["answer_count"] == 1 and body["status"] == "in_progress" and body["completed_at"] is None
    assert body["started_by"]["name"] == world.owner_email
    assert {"questionnaire", "questionnaire_version", "kb_version", "version", "repeats_id"} <= set(body)


def test_completing_freezes_the_evaluation_and_refuses_further_answers(world):
    answers = f"/assessments/{world.assessment_id}/answers"
    world.owner.put(f"{answers}/scope_documented", json={"value": "no"})
    contributor_try = world.contributor.post(f"/assessments/{world.assessment_id}/complete")
    assert contributor_try.status_code == 403
    completed = world.owner.post(f"/assessments/{world.assessment_id}/complete")
    assert completed.status_code == 200
    assert completed.get_json()["status"] == "completed" and completed.get_json()["completed_at"]
    refused = world.owner.put(f"{answers}/scope_documented", json={"value": "yes"})
    assert refused.status_code == 409 and "completed" in refused.get_json()["message"]
    again = world.owner.post(f"/assessments/{world.assessment_id}/complete")
    assert again.status_code == 409
    snapshot = in_app(world, lambda _: db.session.get(Assessment, world.assessment_id).snapshot.result)
    assert world.viewer.get(f"/assessments/{world.assessment_id}/evaluation").get_json() == snapshot


def test_repeating_copies_the_answers_to_confirm_and_points_back(world):
    world.owner.put(
        f"/assessments/{world.assessment_id}/answers/quality_policy", json={"value": "partly", "note": "a draft"}
    )
    repeated = world.owner.post(f"/assessments/{world.assessment_id}/repeat")
    assert repeated.status_code == 201
    body = repeated.get_json()
    assert body["repeats_id"] == world.assessment_id and body["answer_count"] == 1 and body["id"] != world.assessment_id
    copied = world.owner.get(f"/assessments/{body['id']}/answers").get_json()
    assert [(a["question_id"], a["value"], a["note"], a["to_confirm"]) for a in copied] == [
        ("quality_policy", "partly", "a draft", True)
    ]
    assert world.viewer.post(f"/assessments/{world.assessment_id}/repeat").status_code == 403


def test_two_assessments_of_one_organisation_are_compared(world):
    world.owner.put(f"/assessments/{world.assessment_id}/answers/scope_documented", json={"value": "no"})
    later = world.owner.post(f"/assessments/{world.assessment_id}/repeat").get_json()["id"]
    world.owner.put(f"/assessments/{later}/answers/scope_documented", json={"value": "yes"})
    response = world.viewer.get(f"/assessments/compare?a={later}&b={world.assessment_id}")
    assert response.status_code == 200
    expected = in_app(
        world, lambda owner: ComparisonSchema().dump(comparison.compare(owner, world.assessment_id, later).result)
    )
    assert response.get_json() == expected
    assert response.get_json()["before"]["id"] == world.assessment_id  # whatever the order asked
    assert "scope-not-documented" in {f["id"] for f in expected["findings"]["resolved"]}
    missing = world.viewer.get(f"/assessments/compare?a={later}")
    assert missing.status_code == 422 and "b" in missing.get_json()["errors"]["query"]
    across = world.owner.get(f"/assessments/compare?a={world.assessment_id}&b={world.other_assessment_id}")
    assert across.status_code == 404


def test_the_comparison_json_keeps_its_shape(world):
    def two_assessments(owner):
        first = world.assessment_id
        assessments.save_answers(owner, first, {"scope_documented": "no", "internal_audit_held": "no"})
        assessments.update_plan_action(owner, first, "determine-context-and-scope", {"status": "done"})
        assessments.complete_assessment(owner, first)
        second = assessments.repeat_assessment(owner, first)
        assessments.save_answers(owner, second.id, {"internal_audit_held": "yes", "quality_policy": "no"})
        return second.id, first_started_at(first)

    def first_started_at(assessment_id):
        return db.session.get(Assessment, assessment_id).started_at.isoformat()

    later, started_at = in_app(world, two_assessments)
    body = world.viewer.get(f"/assessments/compare?a={later}&b={world.assessment_id}").get_json()
    keys = {"before", "after", "overall", "clauses", "findings", "done_but_persisting", "alignment", "notes"}
    assert set(body) == keys
    assert set(body["before"]) == {"id", "started_at", "kb_version"}
    assert (body["before"]["id"], body["before"]["started_at"], body["after"]["id"]) == (
        world.assessment_id,
        started_at,
        later,
    )
    assert set(body["overall"]) == {"before", "after"}
    assert body["clauses"]["4.3"] == {"before": 0, "after": 0, "delta": 0}
    assert body["clauses"]["5.2.1"] == {"before": None, "after": 0, "delta": None}
    assert set(body["findings"]) == {"resolved", "new", "regressed", "persisting"}
    persisting = body["findings"]["persisting"][0]
    assert persisting["id"] == "scope-not-documented" and {"severity", "clauses", "title", "because"} <= set(persisting)
    assert body["done_but_persisting"] == [
        {"action": "determine-context-and-scope", "findings": ["scope-not-documented"]}
    ]
    assert body["alignment"] is None and body["notes"] == []


# ---------------------------------------------------------------------------------------------- answers


def test_an_answer_carries_its_version_as_etag_and_keeps_every_earlier_value(world):
    path = f"/assessments/{world.assessment_id}/answers/scope_documented"
    first = world.contributor.put(path, json={"value": "no", "note": "nothing written", "evidence": "wiki"})
    assert first.status_code == 200 and first.headers["ETag"] == '"1"'
    assert first.get_json()["version"] == 1 and first.get_json()["history"] == []
    second = world.owner.put(path, json={"value": "partly"}, headers={"If-Match": '"1"'})
    assert second.status_code == 200 and second.headers["ETag"] == '"2"'
    third = world.owner.put(path, json={"value": "yes", "note": "approved", "version": 2})
    assert third.headers["ETag"] == '"3"'
    body = world.viewer.get(path)
    assert body.headers["ETag"] == '"3"'
    answer = body.get_json()
    assert (answer["value"], answer["note"], answer["evidence"], answer["to_confirm"]) == ("yes", "approved", "", False)
    assert answer["answered_by"]["name"] == world.owner_email and answer["answered_at"]
    history = [(h["version"], h["value"], h["note"], h["evidence"]) for h in answer["history"]]
    # PUT replaces the answer: the note left out of the second PUT was cleared, and is kept in the history.
    assert history == [(1, "no", "nothing written", "wiki"), (2, "partly", "", "")]
    assert answer["history"][0]["answered_by"]["name"] != world.owner_email  # the contributor's
    assert all(h["answered_at"] for h in answer["history"])
    listed = world.viewer.get(f"/assessments/{world.assessment_id}/answers").get_json()
    assert listed == [answer]


def test_answers_are_listed_in_questionnaire_order(world):
    world.owner.put(f"/assessments/{world.assessment_id}/answers/corrective_action", json={"value": "no"})
    world.owner.put(f"/assessments/{world.assessment_id}/answers/people_in_scope", json={"value": 12})
    listed = world.owner.get(f"/assessments/{world.assessment_id}/answers").get_json()
    assert [a["question_id"] for a in listed] == ["people_in_scope", "corrective_action"]
    assert listed[0]["value"] == 12


def test_an_unanswered_question_is_404(world):
    response = world.owner.get(f"/assessments/{world.assessment_id}/answers/scope_documented")
    assert response.status_code == 404 and "has no answer" in response.get_json()["message"]


def test_a_stale_version_is_409_and_changes_nothing(world):
    path = f"/assessments/{world.assessment_id}/answers/scope_documented"
    world.owner.put(path, json={"value": "no"})
    world.contributor.put(path, json={"value": "partly"}, headers={"If-Match": '"1"'})
    stale_header = world.owner.put(path, json={"value": "yes"}, headers={"If-Match": '"1"'})
    assert stale_header.status_code == 409
    assert "changed by someone else" in stale_header.get_json()["message"]
    assert "version 2" in stale_header.get_json()["message"]
    stale_body = world.owner.put(path, json={"value": "yes", "version": 1})
    assert stale_body.status_code == 409
    not_new = world.owner.put(
        f"/assessments/{world.assessment_id}/answers/quality_policy", json={"value": "no", "version": 3}
    )
    assert not_new.status_code == 409 and "no answer yet" in not_new.get_json()["message"]
    current = world.owner.get(path)
    assert current.get_json()["value"] == "partly" and current.headers["ETag"] == '"2"'


def test_if_match_must_be_one_version_that_agrees_with_the_body(world):
    path = f"/assessments/{world.assessment_id}/answers/scope_documented"
    not_a_version = world.owner.put(path, json={"value": "no"}, headers={"If-Match": '"abc"'})
    assert not_a_version.status_code == 422 and "If-Match" in not_a_version.get_json()["errors"]
    disagree = world.owner.put(path, json={"value": "no", "version": 1}, headers={"If-Match": '"0"'})
    assert disagree.status_code == 422 and "version" in disagree.get_json()["errors"]
    new = world.owner.put(path, json={"value": "no"}, headers={"If-Match": '"0"'})  # 0: no answer yet
    assert new.status_code == 200
    anything = world.owner.put(path, json={"value": "yes"}, headers={"If-Match": "*"})
    assert anything.status_code == 200 and anything.headers["ETag"] == '"2"'


@pytest.mark.parametrize(
    ("question", "value", "field", "says"),
    [
        ("no_such_question", "yes", "no_such_question", "no question 'no_such_question'"),
        ("scope_documented", "maybe", "scope_documented", "expected one of"),
        ("people_in_scope", "six", "people_in_scope", "expected a number"),
        ("people_in_scope", -3, "people_in_scope", "expected at least"),
        ("way_of_working", "chaos", "way_of_working", "expected one of"),
        ("leadership_involvement", 9, "leadership_involvement", "from 0 to 5"),
    ],
)
def test_an_invalid_answer_gets_a_message_on_its_question(world, question, value, field, says):
    response = world.owner.put(f"/assessments/{world.assessment_id}/answers/{question}", json={"value": value})
    assert response.status_code == 422
    errors = response.get_json()["errors"]
    assert list(errors) == [field] and says in errors[field][0]


def test_a_malformed_answer_body_gets_a_message_per_field(world):
    path = f"/assessments/{world.assessment_id}/answers/scope_documented"
    response = world.owner.put(path, json={"note": 5, "version": "two"})
    assert response.status_code == 422
    fields = response.get_json()["errors"]["json"]
    assert set(fields) == {"value", "note", "version"}
    assert world.owner.put(path, json={"value": None}).status_code == 422
    not_json = world.owner.put(path, data="value=yes", content_type="application/json")
    assert not_json.status_code == 400 and not_json.is_json


def test_many_answers_are_saved_together_or_not_at_all(world):
    path = f"/assessments/{world.assessment_id}/answers"
    invalid = world.owner.put(
        path, json={"answers": {"scope_documented": {"value": "yes"}, "people_in_scope": {"value": "lots"}}}
    )
    assert invalid.status_code == 422 and list(invalid.get_json()["errors"]) == ["people_in_scope"]
    assert world.owner.get(path).get_json() == []
    world.owner.put(f"{path}/quality_policy", json={"value": "no"})
    stale = world.owner.put(
        path,
        json={"answers": {"scope_documented": {"value": "yes"}, "quality_policy": {"value": "yes", "version": 0}}},
    )
    assert stale.status_code == 409 and "quality_policy" in stale.get_json()["message"]
    assert [a["question_id"] for a in world.owner.get(path).get_json()] == ["quality_policy"]
    saved = world.contributor.put(
        path,
        json={
            "answers": {
                "scope_documented": {"value": "yes", "evidence": "handbook/scope.md"},
                "quality_policy": {"value": "partly", "note": "draft", "version": 1},
            }
        },
    )
    assert saved.status_code == 200
    assert {(a["question_id"], a["version"]) for a in saved.get_json()} == {
        ("scope_documented", 1),
        ("quality_policy", 2),
    }
    assert world.owner.put(path, json={"answers": {}}).status_code == 422
    with_if_match = world.owner.put(
        path, json={"answers": {"scope_documented": {"value": "no"}}}, headers={"If-Match": '"1"'}
    )
    assert with_if_match.status_code == 422 and "If-Match" in with_if_match.get_json()["errors"]


def test_a_viewer_reads_but_cannot_write(world):
    assessment = f"/assessments/{world.assessment_id}"
    organisation = f"/organisations/{world.organisation_id}"
    world.owner.put(f"{assessment}/answers/scope_documented", json={"value": "no"})
    action = world.owner.get(f"{assessment}/plan").get_json()[0]["id"]
    export = world.owner.get(f"{assessment}/export").get_data(as_text=True)
    writes = [
        ("PUT", f"{assessment}/answers/scope_documented", {"json": {"value": "yes"}}),
        ("PUT", f"{assessment}/answers", {"json": {"answers": {"scope_documented": {"value": "yes"}}}}),
        ("PATCH", f"{assessment}/plan/{action}", {"json": {"status": "done"}}),
        ("POST", f"{assessment}/complete", {}),
        ("POST", f"{assessment}/repeat", {}),
        ("POST", f"{organisation}/assessments", {"json": {"questionnaire": "quick-scan"}}),
        ("POST", f"{organisation}/invitations", {"json": {"email": "x@example.com", "role": "viewer"}}),
        ("POST", f"{organisation}/import", {"data": export, "content_type": "application/yaml"}),
    ]
    for method, path, kwargs in writes:
        response = world.viewer.call(method, path, **kwargs)
        assert response.status_code == 403, (method, path, response.get_json())
        assert response.get_json()["message"]
    for path in ("/answers", "/answers/scope_documented", "/evaluation", "/plan", "/export", ""):
        assert world.viewer.get(f"{assessment}{path}").status_code == 200, path


# ---------------------------------------------------------------------------------------------- evaluation and plan


def test_the_evaluation_is_the_report_of_the_services(world):
    world.owner.put(f"/assessments/{world.assessment_id}/answers/internal_audit_held", json={"value": "no"})
    response = world.viewer.get(f"/assessments/{world.assessment_id}/evaluation")
    assert response.status_code == 200
    expected = in_app(world, lambda owner: evaluation.evaluate(tenancy.assessment_for(owner, world.assessment_id)))
    assert response.get_json() == expected
    assert "internal-audit-missing" in {f["id"] for f in expected["findings"]}


def test_the_transition_reads_the_assessment_through_the_crosswalk(world):
    world.owner.put(f"/assessments/{world.assessment_id}/answers/risks_managed", json={"value": "no"})
    response = world.viewer.get(f"/assessments/{world.assessment_id}/transition")
    assert response.status_code == 200
    body = response.get_json()
    assert body["edition"] == "iso9001-2026" and body["status"] == "draft" and body["deadline_fixed"] is False
    split = next(item for item in body["items"] if item["change"] == "split")
    assert split["clauses"] == ["6.1.1", "6.1.2", "6.1.3"] and split["status"] == "gap"
    assert body["items"][0]["status"] == "gap"  # gaps first
    plan = {item["rank"]: item for item in world.viewer.get(f"/assessments/{world.assessment_id}/plan").get_json()}
    assert split["plan"] and all(set(plan[rank]["closes"]) & set(split["findings"]) for rank in split["plan"])


def test_the_plan_is_the_services_plan_with_each_actions_tracking(world):
    world.owner.put(f"/assessments/{world.assessment_id}/answers/scope_documented", json={"value": "no"})
    plan = world.viewer.get(f"/assessments/{world.assessment_id}/plan").get_json()
    expected = in_app(world, lambda owner: assessments.plan_of(tenancy.assessment_for(owner, world.assessment_id)))
    assert plan == expected and plan
    assert {(p["status"], p["version"]) for p in plan} == {("todo", 0)}


def test_plan_actions_are_tracked_and_a_stale_if_match_is_409(world):
    world.owner.put(f"/assessments/{world.assessment_id}/answers/scope_documented", json={"value": "no"})
    action = world.owner.get(f"/assessments/{world.assessment_id}/plan").get_json()[0]
    path = f"/assessments/{world.assessment_id}/plan/{action['id']}"
    changes = {"status": "doing", "owner": "CTO", "due_date": "2027-03-31", "notes": "started"}
    first = world.owner.patch(path, json=changes, headers={"If-Match": '"0"'})
    assert first.status_code == 200 and first.headers["ETag"] == '"1"'
    assert first.get_json() == {"id": action["id"], "title": action["title"], **changes, "version": 1}
    stale = world.owner.patch(path, json={"status": "done"}, headers={"If-Match": '"0"'})
    assert stale.status_code == 409 and "changed by someone else" in stale.get_json()["message"]
    stale_body = world.owner.patch(path, json={"status": "done", "version": 0})
    assert stale_body.status_code == 409
    done = world.owner.patch(path, json={"status": "done", "due_date": None, "version": 1})
    assert done.status_code == 200 and done.headers["ETag"] == '"2"'
    tracked = next(
        p for p in world.owner.get(f"/assessments/{world.assessment_id}/plan").get_json() if p["id"] == action["id"]
    )
    assert (tracked["status"], tracked["owner"], tracked["due_date"], tracked["version"]) == ("done", "CTO", None, 2)


def test_plan_action_changes_are_checked_field_by_field(world):
    world.owner.put(f"/assessments/{world.assessment_id}/answers/scope_documented", json={"value": "no"})
    action = world.owner.get(f"/assessments/{world.assessment_id}/plan").get_json()[0]["id"]
    path = f"/assessments/{world.assessment_id}/plan/{action}"
    response = world.owner.patch(path, json={"status": "finished", "due_date": "next week", "owner": "x" * 201})
    assert response.status_code == 422
    assert set(response.get_json()["errors"]["json"]) == {"status", "due_date", "owner"}
    unknown = world.owner.patch(f"/assessments/{world.assessment_id}/plan/no-such-action", json={"status": "done"})
    assert unknown.status_code == 404
    assert world.contributor.patch(path, json={"status": "done"}).status_code == 403


# ---------------------------------------------------------------------------------------------- answers files


def import_yaml(caller: Caller, organisation_id: int, text: str, title: str = ""):
    return caller.post(
        f"/organisations/{organisation_id}/import?title={title}", data=text, content_type="application/yaml"
    )


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.stem for e in EXAMPLES])
def test_export_import_export_loses_nothing(world, example):
    imported = import_yaml(world.owner, world.organisation_id, example.read_text(), "From the example")
    assert imported.status_code == 201
    first = imported.get_json()
    assert first["title"] == "From the example" and first["answer_count"] > 0
    exported = world.viewer.get(f"/assessments/{first['id']}/export")
    assert exported.status_code == 200 and exported.mimetype == "application/yaml"
    assert "attachment" in exported.headers["Content-Disposition"]
    text = exported.get_data(as_text=True)
    kb = world.app.extensions[KB_KEY]
    assert parse_answer_file(text, kb).answers == parse_answer_file(example.read_text(), kb).answers
    assert yaml.safe_load(text)["organisation"] == {"name": "Acme"}
    again = world.owner.post(f"/organisations/{world.organisation_id}/import", json={"yaml": text, "title": "Again"})
    assert again.status_code == 201 and again.get_json()["answer_count"] == first["answer_count"]
    assert world.owner.get(f"/assessments/{again.get_json()['id']}/export").get_data(as_text=True) == text


def test_answers_with_notes_lists_and_unicode_survive_the_round_trip(world):
    answers = f"/assessments/{world.assessment_id}/answers"
    world.owner.put(
        answers,
        json={
            "answers": {
                "existing_certifications": {"value": ["soc2", "iso27001"]},
                "people_in_scope": {"value": 7.5},
                "quality_policy": {"value": "partly", "note": "Entwurf – „fast fertig“\nzweite Zeile"},
                "scope_documented": {"value": "dont_know", "evidence": "ask: ops@example.com"},
            }
        },
    )
    text = world.owner.get(f"/assessments/{world.assessment_id}/export").get_data(as_text=True)
    copy = import_yaml(world.owner, world.organisation_id, text).get_json()["id"]
    original = world.owner.get(answers).get_json()
    copied = world.owner.get(f"/assessments/{copy}/answers").get_json()
    keep = ("question_id", "value", "note", "evidence")
    assert [{k: a[k] for k in keep} for a in copied] == [{k: a[k] for k in keep} for a in original]
    assert world.owner.get(f"/assessments/{copy}/export").get_data(as_text=True) == text


def test_an_invalid_answers_file_gets_a_message_per_problem(world):
    organisation = world.organisation_id
    broken = import_yaml(world.owner, organisation, "answers: [unclosed")
    assert broken.status_code == 422 and "invalid YAML" in broken.get_json()["errors"]["file"][0]
    wrong = import_yaml(world.owner, organisation, "questionnaire: nope\ncolour: blue\n")
    assert set(wrong.get_json()["errors"]) == {"questionnaire", "colour"}
    bad_answers = import_yaml(
        world.owner,
        organisation,
        "questionnaire: quick-scan\nanswers:\n  people_in_scope: many\n  no_such_question: 'yes'\n",
    )
    errors = bad_answers.get_json()["errors"]
    assert set(errors) == {"answers.people_in_scope", "answers.no_such_question"}
    assert errors["answers.people_in_scope"][0].startswith("line 3: ")
    missing = world.owner.post(f"/organisations/{organisation}/import", json={"title": "no file"})
    assert missing.status_code == 422 and "yaml" in missing.get_json()["errors"]["json"]
    form = world.owner.post(f"/organisations/{organisation}/import", data={"yaml": "x"})
    assert form.status_code == 415 and "application/yaml" in form.get_json()["message"]
    assert world.owner.get(f"/organisations/{organisation}/assessments").get_json()[0]["title"] == "First look"


# ---------------------------------------------------------------------------------------------- tenancy


def test_another_organisations_ids_are_404_everywhere(world):
    org, assessment = world.organisation_id, world.assessment_id
    world.owner.put(f"/assessments/{assessment}/answers/scope_documented", json={"value": "no"})
    action = world.owner.get(f"/assessments/{assessment}/plan").get_json()[0]["id"]
    export = world.owner.get(f"/assessments/{assessment}/export").get_data(as_text=True)
    requests = [
        ("GET", f"/organisations/{org}", {}),
        ("GET", f"/organisations/{org}/members", {}),
        ("POST", f"/organisations/{org}/invitations", {"json": {"email": "x@example.com", "role": "viewer"}}),
        ("GET", f"/organisations/{org}/assessments", {}),
        ("POST", f"/organisations/{org}/assessments", {"json": {"questionnaire": "quick-scan"}}),
        ("POST", f"/organisations/{org}/import", {"data": export, "content_type": "application/yaml"}),
        ("GET", f"/assessments/{assessment}", {}),
        ("POST", f"/assessments/{assessment}/complete", {}),
        ("POST", f"/assessments/{assessment}/repeat", {}),
        ("GET", f"/assessments/compare?a={assessment}&b={world.other_assessment_id}", {}),
        ("GET", f"/assessments/{assessment}/answers", {}),
        ("GET", f"/assessments/{assessment}/answers/scope_documented", {}),
        ("PUT", f"/assessments/{assessment}/answers/scope_documented", {"json": {"value": "yes"}}),
        ("PUT", f"/assessments/{assessment}/answers", {"json": {"answers": {"scope_documented": {"value": "yes"}}}}),
        ("GET", f"/assessments/{assessment}/evaluation", {}),
        ("GET", f"/assessments/{assessment}/transition", {}),
        ("GET", f"/assessments/{assessment}/plan", {}),
        ("PATCH", f"/assessments/{assessment}/plan/{action}", {"json": {"status": "done"}}),
        ("GET", f"/assessments/{assessment}/export", {}),
    ]
    for method, path, kwargs in requests:
        response = world.outsider.call(method, path, **kwargs)
        assert response.status_code == 404, (method, path, response.status_code)
        assert response.is_json and response.get_json()["code"] == 404
    # Nothing changed on the way.
    assert world.owner.get(f"/assessments/{assessment}/answers/scope_documented").get_json()["value"] == "no"
    assert world.owner.get(f"/assessments/{assessment}").get_json()["status"] == "in_progress"
    assert pages(world.owner.get(f"/organisations/{org}/assessments"))["total"] == 1


# ---------------------------------------------------------------------------------------------- the API as a whole


def test_the_openapi_document_is_json_listing_every_path(world):
    response = world.app.test_client().get(f"{API}/openapi.json")
    assert response.status_code == 200 and response.is_json
    document = json.loads(response.get_data(as_text=True))
    assert document["openapi"] == "3.1.0"
    assert document["info"] == {"title": "Clausewise", "version": "v1"}
    assert document["components"]["securitySchemes"]["bearerAuth"] == {"type": "http", "scheme": "bearer"}
    assert set(document["paths"]) == {
        f"{API}{path}"
        for path in (
            "/organisations",
            "/organisations/{organisation_id}",
            "/organisations/{organisation_id}/members",
            "/organisations/{organisation_id}/invitations",
            "/organisations/{organisation_id}/invitations/{invitation_id}",
            "/organisations/{organisation_id}/invitations/{invitation_id}/revoke",
            "/organisations/{organisation_id}/assessments",
            "/organisations/{organisation_id}/import",
            "/assessments/{assessment_id}",
            "/assessments/{assessment_id}/complete",
            "/assessments/{assessment_id}/reopen",
            "/assessments/{assessment_id}/repeat",
            "/assessments/compare",
            "/assessments/{assessment_id}/answers",
            "/assessments/{assessment_id}/answers/{question_id}",
            "/assessments/{assessment_id}/evaluation",
            "/assessments/{assessment_id}/transition",
            "/assessments/{assessment_id}/plan",
            "/assessments/{assessment_id}/plan/{action_id}",
            "/assessments/{assessment_id}/plan-export",
            "/assessments/{assessment_id}/respondents",
            "/assessments/{assessment_id}/respondents/{respondent_id}/answers",
            "/assessments/{assessment_id}/consolidation",
            "/assessments/{assessment_id}/consolidation/{question_id}",
            "/assessments/{assessment_id}/export",
            "/assessments/{assessment_id}/proposals",
            "/assessments/{assessment_id}/evidence-pack",
            "/assessments/{assessment_id}/answers/{question_id}/evidence",
            "/assessments/{assessment_id}/answers/{question_id}/evidence/{evidence_id}",
            "/assessments/{assessment_id}/plan/{action_id}/evidence",
            "/assessments/{assessment_id}/plan/{action_id}/evidence/{evidence_id}",
        )
    }
    answer = document["paths"][f"{API}/assessments/{{assessment_id}}/answers/{{question_id}}"]
    assert set(answer) >= {"get", "put"}
    assert answer["put"]["requestBody"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/AnswerPut"
    }


def test_unknown_urls_and_methods_answer_json_under_the_api_and_html_elsewhere(world):
    missing = world.owner.get("/no-such-resource")
    assert missing.status_code == 404 and missing.get_json()["status"] == "Not Found"
    method = world.owner.call("DELETE", "/organisations")
    assert method.status_code == 405 and method.is_json and "POST" in method.headers["Allow"]
    page = world.app.test_client().get("/no-such-page")
    assert page.status_code == 404 and page.mimetype == "text/html"
