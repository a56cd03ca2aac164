"""Hostile input is refused with a clear error before any view reads it, and nothing is written: on both databases."""

from __future__ import annotations

import time

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import Answer, Assessment, Organisation

from ..webclient import login, post

QUESTION = "quality_policy"


def counts(world) -> tuple[int, int, int]:
    with world.app.app_context():
        return tuple(
            db.session.scalar(sa.select(sa.func.count()).select_from(m)) for m in (Organisation, Assessment, Answer)
        )


def answer_url(world) -> str:
    return f"/assessments/{world.assessment_id}/answers/{QUESTION}"


@pytest.mark.parametrize("too_big", ["99999999999999999999", "9223372036854775808", "2147483648"])
def test_an_id_beyond_the_databases_range_is_a_404_not_a_500(world, too_big):
    assert world.owner.get(f"/assessments/{too_big}").status_code == 404
    assert world.owner.get(f"/organisations/{too_big}/assessments").status_code == 404
    web = world.app.test_client()
    login(web, world.owner_email)
    assert web.get(f"/workspace/assessments/{too_big}").status_code == 404
    assert web.get(f"/workspace/organisations/{too_big}").status_code == 404


def test_the_largest_id_the_database_holds_is_looked_up_and_not_found(world):
    assert world.owner.get("/assessments/2147483647").status_code == 404


def test_the_openapi_document_states_the_id_range(world):
    document = world.owner.get("/openapi.json").get_json()
    parameter = document["paths"]["/api/v1/assessments/{assessment_id}"]["parameters"][0]
    assert parameter["schema"] == {"type": "integer", "minimum": 0, "maximum": 2**31 - 1}


@pytest.mark.parametrize(
    "body, message",
    [
        ("[" * 50_000 + "]" * 50_000, "nested too deeply"),
        ('{"value": NaN}', "NaN is not a number JSON allows"),
        ('{"value": Infinity}', "Infinity is not a number JSON allows"),
        ('{"value": ' + "7" * 5000 + "}", "The JSON body is not valid"),
        ('{"value": "yes",}', "The JSON body is not valid"),
    ],
)
def test_json_that_cannot_be_read_safely_is_a_400_with_the_reason(world, body, message):
    before = counts(world)
    response = world.owner.put(answer_url(world), data=body, content_type="application/json")
    assert response.status_code == 400
    assert message in response.get_json()["message"]
    assert counts(world) == before


@pytest.mark.parametrize("bad", ["a\x00b", "half \ud800 a pair"])
def test_text_neither_database_can_store_is_a_422_naming_the_field(world, bad):
    world.owner.put(answer_url(world), json={"value": "partly", "note": "the draft"})
    response = world.owner.put(answer_url(world), json={"value": "yes", "note": bad})
    assert response.status_code == 422
    assert "'note'" in response.get_json()["message"]
    assert world.owner.get(answer_url(world)).get_json()["note"] == "the draft"  # the saved answer is untouched
    renamed = world.owner.post("/organisations", json={"name": bad})
    assert renamed.status_code == 422 and "'name'" in renamed.get_json()["message"]


@pytest.mark.parametrize(
    ("method", "path"),
    [("PATCH", "/assessments/{}/plan/a%00b"), ("DELETE", "/assessments/{}/consolidation/a%00b")],
)
def test_a_nul_in_a_path_segment_is_a_422_naming_it(world, method, path):
    # PostgreSQL refused to compare it with a text column: a 500 there.
    response = world.owner.call(method, path.format(world.assessment_id), json={"owner": "Ann"})
    assert response.status_code == 422
    assert "path segment" in response.get_json()["message"]


def test_a_nul_in_a_web_form_is_a_422_page_and_creates_nothing(world):
    web = world.app.test_client()
    login(web, world.owner_email)
    before = counts(world)
    response = post(web, "/workspace/organisations", {"name": "Evil\x00 Corp"})
    assert response.status_code == 422
    assert "form field &#39;name&#39;" in response.get_data(as_text=True)
    assert counts(world) == before


def test_a_body_over_the_limit_is_a_413_saying_the_limit(world):
    world.app.config["MAX_CONTENT_LENGTH"] = 64 * 1024
    response = world.owner.post(
        f"/organisations/{world.organisation_id}/import", data="#" * 65 * 1024, content_type="application/yaml"
    )
    assert response.status_code == 413
    assert "larger than the 0.0625 MB this server accepts" in response.get_json()["message"]


def test_a_yaml_bomb_is_refused_at_once_and_imports_nothing(world):
    laughs = ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    laughs += [f"{b}: &{b} [{', '.join(['*' + a] * 9)}]" for a, b in zip("abcdefgh", "bcdefghi", strict=True)]
    bomb = "questionnaire: quick-scan\norganisation:\n  " + "\n  ".join(laughs) + "\nanswers:\n  scope_documented: *i\n"
    before = counts(world)
    started = time.perf_counter()
    response = world.owner.post(
        f"/organisations/{world.organisation_id}/import", data=bomb, content_type="application/yaml"
    )
    assert time.perf_counter() - started < 5
    assert response.status_code == 422
    assert "anchors and aliases" in str(response.get_json())
    assert counts(world) == before


def test_a_control_character_in_an_answers_file_is_a_422_naming_it(world):
    # YAML allows no C1 control character; PyYAML refuses it as its loader is made, which was a 500.
    text = "questionnaire: quick-scan\nanswers:\n  quality_policy: \x89yes\n"
    before = counts(world)
    response = world.owner.post(f"/organisations/{world.organisation_id}/import", json={"yaml": text})
    assert response.status_code == 422
    assert "#x0089" in str(response.get_json())
    assert counts(world) == before
