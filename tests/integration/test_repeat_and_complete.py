"""A repeated assessment confirmed answer by answer, completing with confirmation, reopening, and the titles."""

from __future__ import annotations

import re

import pytest

from app.extensions import db
from app.models import Assessment, AssessmentStatus, Role, User
from app.models.base import utcnow
from app.services import answers, assessments

from .. import factories
from ..apiclient import caller_for
from ..webclient import csrf_from, login

COPIED = {
    "people_in_scope": 40,  # number
    "way_of_working": "scrum",  # single choice
    "outsourcing": "no",  # yes/no
    "regulated_sector": "yes",
    "existing_certifications": ["iso27001", "soc2"],  # multiple choice
    "leadership_involvement": 3,  # scale
}


@pytest.fixture
def repeated(db_app):
    """A completed quick scan with an answer of every kind, and its repeat, as the owner sees it in the chat."""
    with db_app.app_context():
        organisation, owner = factories.organisation(name="Northwind")
        first = factories.assessment(owner, organisation.id, title="Gap analysis")
        assessments.save_answers(owner, first.id, {q: {"value": v} for q, v in COPIED.items()})
        assessments.complete_assessment(owner, first.id)
        repeat = assessments.repeat_assessment(owner, first.id)
        ids = {"owner": owner.email, "first": first.id, "repeat": repeat.id, "organisation": organisation.id}
    client = db_app.test_client()
    login(client, ids["owner"])
    return client, ids, db_app


def chat_url(assessment_id: int) -> str:
    return f"/workspace/assessments/{assessment_id}/chat"


def send(client, assessment_id: int, **data):
    token = csrf_from(client, chat_url(assessment_id))
    return client.post(chat_url(assessment_id), data={"csrf_token": token, **data}, headers={"HX-Request": "true"})


def current(html: str) -> str:
    return re.search(r'name="question_id" value="([^"]+)"', html).group(1)


def stored(app, assessment_id: int) -> dict:
    with app.app_context():
        return {
            q: (a.value, a.to_confirm) for q, a in answers.answers_of(db.session.get(Assessment, assessment_id)).items()
        }


def answered_count(html: str) -> tuple[int, int]:
    found = re.search(r"Answered (\d+) of (\d+) questions that matter", html)
    return int(found.group(1)), int(found.group(2))


def test_still_true_keeps_a_copied_answer_of_every_kind_clicked_or_typed(repeated):
    client, ids, app = repeated
    repeat = ids["repeat"]
    html = client.get(chat_url(repeat)).get_data(as_text=True)
    # Nothing is confirmed yet, so nothing counts as answered (the bar read 29 of 29 here).
    assert answered_count(html)[0] == 0
    assert current(html) == "people_in_scope"
    button = re.search(r"<button[^>]*still-true[^>]*>", html).group(0)
    assert 'name="still_true"' in button and "disabled" not in button

    send(client, repeat, question_id="people_in_scope", still_true="1")  # a number, clicked
    html = send(client, repeat, question_id="way_of_working", text="still true").get_data(as_text=True)  # typed
    assert "couldn" not in html.lower()
    send(client, repeat, question_id="outsourcing", text="same as last time")  # yes/no: "yes" would be an answer
    html = send(client, repeat, question_id="regulated_sector", still_true="1").get_data(as_text=True)
    # The multiple-choice question shows the earlier choices ticked.
    assert current(html) == "existing_certifications"
    ticked = set(re.findall(r'<input type="checkbox" name="values" value="([^"]+)" checked>', html))
    assert ticked == {"iso27001", "soc2"}
    # "Still true" wins over ticks changed before the click.
    html = send(client, repeat, question_id="existing_certifications", still_true="1", values=["none"]).get_data(
        as_text=True
    )
    assert current(html) == "leadership_involvement"
    html = send(client, repeat, question_id="leadership_involvement", text="yes").get_data(as_text=True)  # a scale

    now = stored(app, repeat)
    assert {q: now[q] for q in COPIED} == {q: (v, False) for q, v in COPIED.items()}
    assert answered_count(client.get(chat_url(repeat)).get_data(as_text=True))[0] == len(COPIED)


def test_yes_on_a_copied_yes_no_answer_is_a_new_answer_not_a_confirmation(repeated):
    client, ids, app = repeated
    for question in ("people_in_scope", "way_of_working"):
        send(client, ids["repeat"], question_id=question, still_true="1")
    send(client, ids["repeat"], question_id="outsourcing", text="yes")
    assert stored(app, ids["repeat"])["outsourcing"] == ("yes", False)


def test_a_new_number_typed_on_a_copied_answer_replaces_it(repeated):
    client, ids, app = repeated
    send(client, ids["repeat"], question_id="people_in_scope", text="about 55 people")
    assert stored(app, ids["repeat"])["people_in_scope"] == (55, False)


# ---------------------------------------------------------------------------------------------- titles


def test_a_new_assessment_is_titled_from_the_questionnaire_and_a_repeat_by_its_date(db_app):
    today = utcnow().date().isoformat()
    with db_app.app_context():
        organisation, owner = factories.organisation()
        fresh = factories.assessment(owner, organisation.id)
        assert fresh.title == f"Quick scan, {today}"  # not the slug "quick-scan"
        assessments.complete_assessment(owner, fresh.id)
        again = assessments.repeat_assessment(owner, fresh.id)
        assert again.title == f"Quick scan, {today} (repeat, {today})"
        assessments.complete_assessment(owner, again.id)
        third = assessments.repeat_assessment(owner, again.id)
        assert third.title == again.title  # one suffix, the day of the latest repeat (not "(repeat, ...) (repeat")
        named = factories.assessment(owner, organisation.id, title="  Pre-audit  ")
        assert named.title == "Pre-audit"


# ---------------------------------------------------------------------------------------------- completing


@pytest.fixture
def started(db_app):
    """An owner's quick scan with two answers, a viewer and a contributor of the organisation, and a stranger."""
    with db_app.app_context():
        organisation, owner = factories.organisation(name="Acme")
        assessment = factories.assessment(owner, organisation.id, title="First look")
        assessments.save_answers(
            owner, assessment.id, {"people_in_scope": {"value": 12}, "outsourcing": {"value": "no"}}
        )
        viewer = factories.member(organisation.id, Role.VIEWER, owner)
        contributor = factories.member(organisation.id, Role.CONTRIBUTOR, owner)
        consultant = factories.member(organisation.id, Role.CONSULTANT, owner)
        _elsewhere, stranger = factories.organisation(name="Elsewhere")
        return {
            "id": assessment.id,
            "owner": owner.email,
            "viewer": viewer.email,
            "contributor": contributor.email,
            "consultant": consultant.email,
            "stranger": stranger.email,
            "api": {
                "owner": caller_for(db_app, owner),
                "viewer": caller_for(db_app, viewer),
                "contributor": caller_for(db_app, contributor),
                "stranger": caller_for(db_app, stranger),
            },
        }


def logged_in(app, email):
    client = app.test_client()
    login(client, email)
    return client


def status_of(app, assessment_id: int) -> AssessmentStatus:
    with app.app_context():
        return db.session.get(Assessment, assessment_id).status


def test_completing_asks_first_and_says_what_is_unanswered(db_app, started):
    client = logged_in(db_app, started["owner"])
    url = f"/workspace/assessments/{started['id']}/complete"
    page = client.get(f"/workspace/assessments/{started['id']}").get_data(as_text=True)
    assert f'href="{url}"' in page and f'hx-get="{url}"' in page  # a link without JS, in place with htmx

    confirm = client.get(url)
    html = confirm.get_data(as_text=True)
    assert confirm.status_code == 200 and "<html" in html
    unanswered, relevant = map(int, re.search(r"<strong>(\d+) of (\d+) questions</strong>", html).groups())
    assert relevant - unanswered == 2
    assert "Your organisation: 4" in html  # the profile's six questions, two answered
    assert 'type="checkbox" name="confirm" value="yes" required' in html
    assert status_of(db_app, started["id"]) is AssessmentStatus.IN_PROGRESS  # asking freezes nothing

    token = csrf_from(client, url)
    refused = client.post(url, data={"csrf_token": token})
    assert refused.status_code == 422 and "Tick the box" in refused.get_data(as_text=True)
    assert status_of(db_app, started["id"]) is AssessmentStatus.IN_PROGRESS

    done = client.post(url, data={"csrf_token": token, "confirm": "yes"})
    assert done.status_code == 303
    assert status_of(db_app, started["id"]) is AssessmentStatus.COMPLETED


def test_htmx_gets_the_confirmation_in_place(db_app, started):
    client = logged_in(db_app, started["owner"])
    fragment = client.get(f"/workspace/assessments/{started['id']}/complete", headers={"HX-Request": "true"})
    html = fragment.get_data(as_text=True)
    assert "<html" not in html and html.lstrip().startswith('<article id="complete-step"')
    assert 'name="csrf_token"' in html


def test_only_owners_and_consultants_complete_and_strangers_see_nothing(db_app, started):
    url = f"/workspace/assessments/{started['id']}/complete"
    for who, status in (("viewer", 403), ("contributor", 403), ("stranger", 404)):
        assert logged_in(db_app, started[who]).get(url).status_code == status, who
    client = logged_in(db_app, started["contributor"])
    token = csrf_from(client, "/workspace/")
    assert client.post(url, data={"csrf_token": token, "confirm": "yes"}).status_code == 403
    assert status_of(db_app, started["id"]) is AssessmentStatus.IN_PROGRESS


def test_the_api_completes_without_a_confirmation_as_before(db_app, started):
    response = started["api"]["owner"].post(f"/assessments/{started['id']}/complete")
    assert response.status_code == 200 and response.get_json()["status"] == "completed"


# ---------------------------------------------------------------------------------------------- reopening


def test_an_owner_reopens_a_completed_assessment_keeping_its_frozen_report_as_a_revision(db_app, started):
    with db_app.app_context():
        owner = db.session.scalar(db.select(User).where(User.email == started["owner"]))
        frozen = assessments.complete_assessment(owner, started["id"]).snapshot.result
    client = logged_in(db_app, started["owner"])
    page = client.get(f"/workspace/assessments/{started['id']}").get_data(as_text=True)
    assert "Reopen to change answers" in page
    token = csrf_from(client, f"/workspace/assessments/{started['id']}")
    response = client.post(f"/workspace/assessments/{started['id']}/reopen", data={"csrf_token": token})
    assert response.status_code == 303
    with db_app.app_context():
        found = db.session.get(Assessment, started["id"])
        assert found.status is AssessmentStatus.IN_PROGRESS and found.snapshot is None and found.completed_at is None
        (kept,) = found.reopenings
        assert kept.revision == 1 and kept.result == frozen and kept.reopened_by.email == started["owner"]
    page = client.get(f"/workspace/assessments/{started['id']}").get_data(as_text=True)
    assert 'id="reopening-1"' in page and "is kept as revision 1" in page and "Complete and freeze" in page
    # It can be answered again, then completed and reopened once more: the next revision.
    chat = client.post(
        f"/workspace/assessments/{started['id']}/chat",
        data={"csrf_token": token, "question_id": "regulated_sector", "value": "no"},
    )
    assert chat.status_code in (302, 303)
    api = started["api"]["owner"]
    assert api.post(f"/assessments/{started['id']}/complete").status_code == 200
    reopened = api.post(f"/assessments/{started['id']}/reopen")
    assert reopened.status_code == 200
    body = reopened.get_json()
    assert body["status"] == "in_progress" and [r["revision"] for r in body["reopenings"]] == [1, 2]
    assert body["reopenings"][1]["reopened_by"]["name"] == started["owner"]


def test_only_owners_and_consultants_reopen(db_app, started):
    api = started["api"]
    assert api["owner"].post(f"/assessments/{started['id']}/complete").status_code == 200
    assert api["viewer"].post(f"/assessments/{started['id']}/reopen").status_code == 403
    assert api["contributor"].post(f"/assessments/{started['id']}/reopen").status_code == 403
    assert api["stranger"].post(f"/assessments/{started['id']}/reopen").status_code == 404
    client = logged_in(db_app, started["contributor"])
    token = csrf_from(client, "/workspace/")
    page = client.get(f"/workspace/assessments/{started['id']}").get_data(as_text=True)
    assert "Reopen" not in page
    assert client.post(f"/workspace/assessments/{started['id']}/reopen", data={"csrf_token": token}).status_code == 403
    assert status_of(db_app, started["id"]) is AssessmentStatus.COMPLETED
    client = logged_in(db_app, started["consultant"])
    token = csrf_from(client, "/workspace/")
    assert client.post(f"/workspace/assessments/{started['id']}/reopen", data={"csrf_token": token}).status_code == 303
    assert status_of(db_app, started["id"]) is AssessmentStatus.IN_PROGRESS


def test_reopening_an_assessment_in_progress_is_a_conflict(db_app, started):
    response = started["api"]["owner"].post(f"/assessments/{started['id']}/reopen")
    assert response.status_code == 409


def test_the_openapi_document_describes_reopen(db_app, started):
    document = db_app.test_client().get("/api/v1/openapi.json").get_json()
    operation = document["paths"]["/api/v1/assessments/{assessment_id}/reopen"]["post"]
    assert {"200", "403", "404", "409"} <= set(operation["responses"])
    assert "revision" in operation.get("description", "") + operation["summary"]
