"""The answers file (YAML) downloads, from the workspace and from the API, are served like every other export:
named after the organisation, the assessment, what it is and the day, and kept out of every cache."""

from __future__ import annotations

import re

from app.services import accounts, assessments

from .. import factories
from ..webclient import login


def _setup(db_app):
    with db_app.app_context():
        organisation, owner = factories.organisation(name="Northwind Äpps <Ltd>")
        assessment = factories.assessment(owner, organisation.id)
        assessments.save_answer(owner, assessment.id, "scope_documented", "no")
        _row, token = accounts.create_api_token(owner, "tests")
        return owner.email, assessment.id, token


def _name(response) -> str:
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment; ")
    return re.fullmatch(r'attachment; filename="(.+)"', disposition).group(1)


def test_both_answers_downloads_are_named_and_cached_like_the_other_exports(db_app):
    email, assessment_id, token = _setup(db_app)
    client = db_app.test_client()
    login(client, email)
    workspace = client.get(f"/workspace/assessments/{assessment_id}/export.yaml")
    api = db_app.test_client().get(
        f"/api/v1/assessments/{assessment_id}/export", headers={"Authorization": f"Bearer {token}"}
    )
    report = client.get(f"/workspace/assessments/{assessment_id}/export/report.md")
    day = re.search(r"-(\d{4}-\d{2}-\d{2})\.md$", _name(report)).group(1)
    for response in (workspace, api):
        assert response.status_code == 200 and response.mimetype == "application/yaml"
        assert "questionnaire: quick-scan" in response.get_data(as_text=True)
        assert response.headers["Cache-Control"] == report.headers["Cache-Control"] == "private, no-store"
        assert _name(response) == f"northwind-apps-ltd-assessment-{assessment_id}-answers-{day}.yaml"
        assert _name(response).replace("-answers-", "-report-").replace(".yaml", ".md") == _name(report)


def test_an_answers_file_of_another_organisation_is_not_found(db_app):
    _email, assessment_id, _token = _setup(db_app)
    with db_app.app_context():
        _organisation, stranger = factories.organisation(name="Elsewhere")
        email, (_row, token) = stranger.email, accounts.create_api_token(stranger, "tests")
    client = db_app.test_client()
    login(client, email)
    assert client.get(f"/workspace/assessments/{assessment_id}/export.yaml").status_code == 404
    api = db_app.test_client().get(
        f"/api/v1/assessments/{assessment_id}/export", headers={"Authorization": f"Bearer {token}"}
    )
    assert api.status_code == 404
