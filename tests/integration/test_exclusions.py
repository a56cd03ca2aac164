"""Exclusions graded the same on every channel: the answers file (`clausewise assess`), the API, the chat and the
section forms. "Not applicable" where ISO 9001 allows no exclusion counts as "no" with a finding on the scope;
a permitted exclusion needs its reason in the note. The channels differ only in how they tell the user."""

from __future__ import annotations

import html as markup
import json
import re
from pathlib import Path

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from app.cli import main
from app.engine import load_knowledge_base
from app.extensions import db
from app.knowledge.answers import Answer
from app.models import User
from app.planning.assess import assess
from app.services import answers, tenancy

from .. import factories
from ..webclient import csrf_from, login
from .test_chat import assistant_bubbles, current_question, send

ROOT = Path(__file__).resolve().parents[2]
NA = "not_applicable"
NEVER = ("quality_policy", "internal_audit_held", "management_review_held", "corrective_action")
GOOD = {  # a quick scan answered well, with outside providers (so the supplier question is asked)
    "people_in_scope": 40,
    "outsourcing": "yes",
    "scope_documented": "yes",
    "context_and_parties": "yes",
    "process_description": "shared_measured",
    "documents_controlled": "yes",
    "customer_feedback": "acted_on",
    "quality_policy": "yes",
    "quality_objectives": "yes",
    "internal_audit_held": "yes",
    "management_review_held": "yes",
    "corrective_action": "yes",
    "supplier_control": "yes",
}


def scope_findings(report: dict) -> dict[str, dict]:
    return {f["id"]: f for f in report["findings"] if f["id"].startswith("exclusion-")}


def expected(answers_given: dict) -> dict:
    """What planning.assess says for these answers: the one place the grading lives."""
    kb = load_knowledge_base(ROOT)
    return assess(kb, "quick-scan", answers_given).to_dict()


# ---------------------------------------------------------------------------------------------- the answers file


def test_the_answers_file_grades_an_exclusion_that_is_not_allowed(tmp_path, monkeypatch):
    monkeypatch.setenv("CLAUSEWISE_KB_DIR", str(ROOT))
    given = {**GOOD, **{q: NA for q in NEVER}, "supplier_control": {"value": NA}}
    path = tmp_path / "answers.yaml"
    path.write_text(json.dumps({"questionnaire": "quick-scan", "answers": given}))  # JSON is YAML
    result = CliRunner().invoke(main, ["assess", str(path), "--format", "json"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    found = scope_findings(report)
    assert set(found) == {"exclusion-not-permitted-stage1", "exclusion-not-justified"}
    assert [b["id"] for b in found["exclusion-not-permitted-stage1"]["because"]] == list(NEVER)
    assert found["exclusion-not-permitted-stage1"]["blocks"] == "stage1"
    assert [b["id"] for b in found["exclusion-not-justified"]["because"]] == ["supplier_control"]
    assert report["verdict"]["level"] == "not_ready"
    assert {"quality-policy-missing", "corrective-action-missing"} <= {f["id"] for f in report["findings"]}

    given["supplier_control"] = {"value": NA, "note": "we build and host everything ourselves"}
    path.write_text(json.dumps({"questionnaire": "quick-scan", "answers": given}))
    report = json.loads(CliRunner().invoke(main, ["assess", str(path), "--format", "json"]).output)
    assert set(scope_findings(report)) == {"exclusion-not-permitted-stage1"}


# ---------------------------------------------------------------------------------------------- the API


def test_the_api_grades_an_exclusion_that_is_not_allowed_and_blocks_stage2(world):
    answers_path = f"/assessments/{world.assessment_id}/answers"
    saved = world.owner.put(answers_path, json={"answers": {q: {"value": v} for q, v in GOOD.items()}})
    assert saved.status_code == 200, saved.get_json()
    before = world.owner.get(f"/assessments/{world.assessment_id}/evaluation").get_json()
    assert not scope_findings(before) and before["verdict"]["level"] == "stage2"

    put = world.owner.put(f"{answers_path}/internal_audit_held", json={"value": NA})
    assert put.status_code == 200 and put.get_json()["value"] == NA  # the answer stays as given
    report = world.owner.get(f"/assessments/{world.assessment_id}/evaluation").get_json()
    found = scope_findings(report)
    assert list(found) == ["exclusion-not-permitted-stage2"]
    assert (found["exclusion-not-permitted-stage2"]["severity"], found["exclusion-not-permitted-stage2"]["blocks"]) == (
        "major",
        "stage2",
    )
    assert found["exclusion-not-permitted-stage2"]["because"][0]["value"] == NA
    assert report["verdict"]["level"] == "stage1"
    assert "exclusion-not-permitted-stage2" in {b.get("finding") for b in report["verdict"]["blockers"]}
    assert report["findings"] == expected({**GOOD, "internal_audit_held": NA})["findings"]


def test_the_api_wants_a_reason_for_a_permitted_exclusion(world):
    answers_path = f"/assessments/{world.assessment_id}/answers"
    world.owner.put(answers_path, json={"answers": {q: {"value": v} for q, v in GOOD.items()}})
    world.owner.put(f"{answers_path}/supplier_control", json={"value": NA})
    report = world.owner.get(f"/assessments/{world.assessment_id}/evaluation").get_json()
    found = scope_findings(report)
    assert list(found) == ["exclusion-not-justified"]
    assert (found["exclusion-not-justified"]["severity"], found["exclusion-not-justified"]["blocks"]) == (
        "minor",
        "none",
    )
    assert report["findings"] == expected({**GOOD, "supplier_control": NA})["findings"]

    world.owner.put(f"{answers_path}/supplier_control", json={"value": NA, "note": "nothing is bought in"})
    report = world.owner.get(f"/assessments/{world.assessment_id}/evaluation").get_json()
    assert not scope_findings(report)
    justified = {**GOOD, "supplier_control": Answer(NA, note="nothing is bought in")}
    assert report["findings"] == expected(justified)["findings"]


# ---------------------------------------------------------------------------------------------- the chat


@pytest.fixture
def chat(db_app):
    with db_app.app_context():
        organisation, owner = factories.organisation()
        assessment = factories.assessment(owner, organisation.id, "quick-scan")
        email, assessment_id = owner.email, assessment.id
    client = db_app.test_client()
    login(client, email)
    return client, assessment_id, db_app, email


def stored(app, email, assessment_id) -> dict:
    """The answers as stored: value and note by question."""
    with app.app_context():
        user = db.session.scalars(sa.select(User).where(User.email == email)).one()
        found = tenancy.assessment_for(user, assessment_id)
        return {q: (a.value, a.note) for q, a in answers.answers_of(found).items()}


def turn(client, assessment_id, **data) -> str:
    """One message to the chat; what came back after it (htmx appends only the new bubbles)."""
    html = client.get(f"/workspace/assessments/{assessment_id}/chat").get_data(as_text=True)
    after = max((int(i) for i in re.findall(r'data-id="(\d+)"', html)), default=0)
    return send(client, assessment_id, after=str(after), **data).get_data(as_text=True)


def quick_replies(html: str) -> list[str]:
    composer = html[html.index('id="composer"') :]
    return re.findall(r'<button type="submit" name="value" value="([a-z_]+)"', composer)


@pytest.mark.parametrize("typed", [False, True], ids=["quick-reply", "typed"])
def test_the_chat_says_an_exclusion_is_not_allowed_and_asks_for_the_real_answer(chat, typed):
    client, assessment_id, app, email = chat
    data = {"text": "not applicable"} if typed else {"question_id": "quality_policy", "value": NA}
    if typed:  # typed text answers the question being asked
        client.post(
            f"/workspace/assessments/{assessment_id}/chat/revisit/quality_policy",
            data={"csrf_token": csrf_from(client, f"/workspace/assessments/{assessment_id}/chat")},
        )
    fragment = turn(client, assessment_id, **data)
    said = assistant_bubbles(fragment)
    warning = [text for kind, text in said if "ISO 9001 allows no exclusion here" in text]
    assert warning and warning[0].startswith("ISO 9001 allows no exclusion here: 5.2.1 applies to every organisation")
    assert "What is the real answer: yes, partly or no?" in warning[0]
    assert current_question(fragment) == "quality_policy"  # asked again, with the real answers to choose from
    assert quick_replies(fragment) == ["yes", "partly", "no", "dont_know"]
    assert stored(app, email, assessment_id)["quality_policy"][0] == NA  # stored as given, graded as "no"

    # the next reply answers it, and the conversation moves on
    fragment = turn(client, assessment_id, question_id="quality_policy", value="partly")
    assert current_question(fragment) != "quality_policy"
    assert not any("allows no exclusion" in text for _, text in assistant_bubbles(fragment))


def test_the_chat_offers_not_applicable_only_where_it_may_stand_and_asks_for_its_reason(chat):
    client, assessment_id, app, email = chat
    send(client, assessment_id, question_id="outsourcing", value="yes")
    fragment = turn(client, assessment_id, question_id="supplier_control", value=NA)
    said = " ".join(text for _, text in assistant_bubbles(fragment))
    assert "Noted as not applicable. That exclusion (8.4.1, 8.4.2) is allowed" in said
    assert "allows no exclusion" not in said
    assert current_question(fragment) != "supplier_control"
    client.post(
        f"/workspace/assessments/{assessment_id}/chat/revisit/supplier_control",
        data={"csrf_token": csrf_from(client, f"/workspace/assessments/{assessment_id}/chat")},
    )
    page = client.get(f"/workspace/assessments/{assessment_id}/chat").get_data(as_text=True)
    assert current_question(page) == "supplier_control" and NA in quick_replies(page)
    fragment = turn(client, assessment_id, question_id="supplier_control", value=NA, note="all in house")
    said = " ".join(text for _, text in assistant_bubbles(fragment))
    assert "Noted as not applicable" not in said
    assert stored(app, email, assessment_id)["supplier_control"] == (NA, "all in house")
    # the same answer again without a note keeps the reason it has, and still needs no reason
    fragment = turn(client, assessment_id, question_id="supplier_control", value=NA)
    assert "Noted as not applicable" not in " ".join(text for _, text in assistant_bubbles(fragment))
    assert stored(app, email, assessment_id)["supplier_control"] == (NA, "all in house")


def test_the_chat_and_the_api_grade_the_same(chat):
    client, assessment_id, app, email = chat
    send(client, assessment_id, question_id="management_review_held", value=NA)
    send(client, assessment_id, question_id="outsourcing", value="yes")
    send(client, assessment_id, question_id="supplier_control", value=NA)
    results = client.get(f"/workspace/assessments/{assessment_id}/results").get_data(as_text=True)
    text = markup.unescape(results)
    assert "The scope excludes requirements that always apply" in text
    assert "Exclusions without a written reason" in text
    given = {"management_review_held": NA, "outsourcing": "yes", "supplier_control": NA}
    assert set(scope_findings(expected(given))) == {"exclusion-not-permitted-stage2", "exclusion-not-justified"}


# ---------------------------------------------------------------------------------------------- the section form


def test_the_section_form_warns_under_an_exclusion_that_is_not_allowed(chat):
    client, assessment_id, app, email = chat
    url = f"/workspace/assessments/{assessment_id}/sections/evaluation"
    token = csrf_from(client, url)
    form = client.get(url).get_data(as_text=True)
    assert 'name="q-internal_audit_held" value="not_applicable"' not in form  # not offered where it cannot stand
    saved = client.post(url, data={"csrf_token": token, "q-internal_audit_held": NA})
    assert saved.status_code == 302
    assert stored(app, email, assessment_id)["internal_audit_held"][0] == NA
    form = markup.unescape(client.get(url).get_data(as_text=True))
    warning = re.search(r'<fieldset id="q-internal_audit_held">.*?<p class="warning"[^>]*>(.*?)</p>', form, re.DOTALL)
    assert warning and warning.group(1).startswith("ISO 9001 allows no exclusion here: 9.2 applies")
    results = markup.unescape(client.get(f"/workspace/assessments/{assessment_id}/results").get_data(as_text=True))
    assert "The scope excludes requirements that always apply" in results


def test_the_section_form_takes_the_reason_for_a_permitted_exclusion(chat):
    client, assessment_id, app, email = chat
    send(client, assessment_id, question_id="outsourcing", value="yes")
    url = f"/workspace/assessments/{assessment_id}/sections/operation"
    token = csrf_from(client, url)
    assert 'name="q-supplier_control" value="not_applicable"' in client.get(url).get_data(as_text=True)
    client.post(url, data={"csrf_token": token, "q-supplier_control": NA})
    form = markup.unescape(client.get(url).get_data(as_text=True))
    assert re.search(r'<fieldset id="q-supplier_control">.*?<p class="warning"[^>]*>That exclusion', form, re.DOTALL)
    client.post(url, data={"csrf_token": token, "q-supplier_control": NA, "note-supplier_control": "no suppliers"})
    assert stored(app, email, assessment_id)["supplier_control"] == (NA, "no suppliers")
    form = client.get(url).get_data(as_text=True)
    assert not re.search(r'<fieldset id="q-supplier_control">((?!</fieldset>).)*class="warning"', form, re.DOTALL)
    results = markup.unescape(client.get(f"/workspace/assessments/{assessment_id}/results").get_data(as_text=True))
    assert "Exclusions without a written reason" not in results
