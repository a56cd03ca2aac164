"""The edition an assessment is read in, stored: the column and its default (the newest published catalogue), the
organisation's setting (API and form), what a 2026 assessment shows, and a comparison of a 2015 assessment with
a 2026 repeat."""

from __future__ import annotations

import yaml

from app.config import PROJECT_ROOT
from app.extensions import db
from app.models import Assessment, Organisation

from ..webclient import login, post

EXAMPLE = (PROJECT_ROOT / "examples" / "full-devops-saas-no-policy.yaml").read_text()


def _import(world, text=EXAMPLE):
    response = world.owner.post(
        f"/organisations/{world.organisation_id}/import", data=text, content_type="application/yaml"
    )
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def test_an_assessment_is_read_in_the_newest_published_edition_unless_the_organisation_chose_another(world):
    first = world.owner.get(f"/assessments/{world.assessment_id}").get_json()
    assert first["edition"] == "iso9001-2015"  # 2026 is a draft: never the default
    assert world.owner.get(f"/organisations/{world.organisation_id}").get_json()["default_edition"] is None

    assert (
        world.viewer.patch(
            f"/organisations/{world.organisation_id}", json={"default_edition": "iso9001-2026"}
        ).status_code
        == 403
    )
    refused = world.owner.patch(f"/organisations/{world.organisation_id}", json={"default_edition": "iso9001-2030"})
    assert refused.status_code == 422
    chosen = world.owner.patch(f"/organisations/{world.organisation_id}", json={"default_edition": "iso9001-2026"})
    assert chosen.status_code == 200 and chosen.get_json()["default_edition"] == "iso9001-2026"

    started = world.owner.post(
        f"/organisations/{world.organisation_id}/assessments", json={"questionnaire": "quick-scan"}
    )
    assert started.get_json()["edition"] == "iso9001-2026"
    asked = world.owner.post(
        f"/organisations/{world.organisation_id}/assessments",
        json={"questionnaire": "quick-scan", "edition": "iso9001-2015"},
    )
    assert asked.get_json()["edition"] == "iso9001-2015"
    # The assessment already started keeps its edition.
    assert world.owner.get(f"/assessments/{world.assessment_id}").get_json()["edition"] == "iso9001-2015"
    with world.app.app_context():
        assert db.session.get(Organisation, world.organisation_id).default_edition == "iso9001-2026"


def test_a_2026_assessment_shows_its_clauses_in_2026_in_the_api_the_results_and_the_exported_file(world):
    imported = _import(world, "edition: iso9001-2026\n" + EXAMPLE)
    assert imported["edition"] == "iso9001-2026"
    report = world.owner.get(f"/assessments/{imported['id']}/evaluation").get_json()
    assert report["standard"] == "ISO 9001:2026" and report["edition"] == "iso9001-2026"
    assert "6.1.2" in report["readiness"]["clauses"] and "6.1" not in report["readiness"]["clauses"]
    assert {c for f in report["findings"] for c in f["clauses"]} >= {"6.1.1", "6.1.2"}
    exported = yaml.safe_load(world.owner.get(f"/assessments/{imported['id']}/export").get_data(as_text=True))
    assert exported["edition"] == "iso9001-2026"  # importing it again gives an assessment in the same edition

    client = world.app.test_client()
    login(client, world.owner_email)
    page = client.get(f"/workspace/assessments/{imported['id']}/results").get_data(as_text=True)
    assert "ISO 9001:2026" in page and "6.1.2" in page and 'id="transition"' in page


def test_the_organisation_sets_its_edition_with_a_form(world):
    client = world.app.test_client()
    login(client, world.owner_email)
    page = client.get(f"/workspace/organisations/{world.organisation_id}").get_data(as_text=True)
    assert 'id="edition-form"' in page and "ISO 9001:2026 (draft)" in page
    path = f"/workspace/organisations/{world.organisation_id}/edition"
    no_token = client.post(path, data={"edition": "iso9001-2026"})
    assert no_token.status_code == 400  # CSRF
    done = post(
        client, path, {"edition": "iso9001-2026"}, token_page=f"/workspace/organisations/{world.organisation_id}"
    )
    assert done.status_code == 303
    with world.app.app_context():
        assert db.session.get(Organisation, world.organisation_id).default_edition == "iso9001-2026"
    post(client, path, {"edition": ""}, token_page=f"/workspace/organisations/{world.organisation_id}")
    with world.app.app_context():
        assert db.session.get(Organisation, world.organisation_id).default_edition is None


def test_a_2015_assessment_compared_with_its_2026_repeat_maps_the_clauses_through_the_crosswalk(world):
    earlier = _import(world)
    assert earlier["edition"] == "iso9001-2015"
    world.owner.patch(f"/organisations/{world.organisation_id}", json={"default_edition": "iso9001-2026"})
    repeat = world.owner.post(f"/assessments/{earlier['id']}/repeat").get_json()
    assert repeat["edition"] == "iso9001-2026"
    with world.app.app_context():
        assert db.session.get(Assessment, repeat["id"]).repeats_id == earlier["id"]
    compared = world.owner.get(f"/assessments/compare?a={earlier['id']}&b={repeat['id']}").get_json()
    before = world.owner.get(f"/assessments/{earlier['id']}/evaluation").get_json()
    risks = before["readiness"]["clauses"]["6.1"]["score"]
    assert risks is not None
    assert {c: compared["clauses"][c]["before"] for c in ("6.1.1", "6.1.2")} == {"6.1.1": risks, "6.1.2": risks}
    assert "6.1" not in compared["clauses"]
    # The same answers in the same rules: nothing resolved or new only because the clause numbers changed.
    assert compared["findings"]["resolved"] == [] and compared["findings"]["new"] == []
    # Overall readiness is the mean over each edition's clauses (6.1 counts three times in 2026): close, not equal.
    assert abs(compared["overall"]["before"] - compared["overall"]["after"]) <= 2
    assert any("iso9001-2026" in note for note in compared["notes"])
    # The progress chart runs on: clause groups are the same in both editions.
    client = world.app.test_client()
    login(client, world.owner_email)
    assert client.get(f"/workspace/organisations/{world.organisation_id}/progress").status_code == 200
