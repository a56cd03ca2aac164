"""Error pages inside the layout: a heading saying what happened, the reason as a sentence, what to do next; the
JSON API answers the same errors in its own format, unchanged. And the favicon."""

from __future__ import annotations

import pytest
from flask import abort

from app.error_pages import as_sentence
from app.models import Role

from .. import factories
from ..webclient import login, post

API = "/api/v1"


def in_the_layout(html: str) -> bool:
    return 'class="skip-link" href="#main"' in html and "<header" in html and 'href="/glossary"' in html


def test_an_unknown_address_is_a_page_not_found_inside_the_layout(client):
    response = client.get("/no-such-page")
    html = response.get_data(as_text=True)
    assert response.status_code == 404 and in_the_layout(html)
    assert "<h1>Page not found</h1>" in html and "Error 404" in html
    assert "mistyped" in html  # what to do next
    assert "The requested URL was not found" not in html  # werkzeug's stock words add nothing


def test_a_description_the_app_gives_is_shown_as_it_was_written(client):
    html = client.get("/clauses/99.9").get_data(as_text=True)
    assert "There is no clause 99.9 in" in html and in_the_layout(html)


def test_a_service_refusal_reads_as_a_sentence_on_the_page_and_stays_as_it_was_in_the_api(db_app):
    with db_app.app_context():
        _organisation, owner = factories.organisation()
        from app.services import accounts

        _row, token = accounts.create_api_token(owner, "t")
        email = owner.email
    client = db_app.test_client()
    login(client, email)
    page = client.get("/workspace/assessments/999999")
    html = page.get_data(as_text=True)
    assert page.status_code == 404 and in_the_layout(html)
    assert "No such assessment." in html and "no such assessment" not in html
    assert "Go to your workspace" in html  # logged in: back to their own work
    api = db_app.test_client().get(f"{API}/assessments/999999/answers", headers={"Authorization": f"Bearer {token}"})
    assert api.status_code == 404 and api.is_json and api.get_json()["message"] == "no such assessment"


def test_a_viewer_refused_an_action_is_told_why_and_whom_to_ask(db_app):
    with db_app.app_context():
        organisation, owner = factories.organisation()
        viewer = factories.member(organisation.id, Role.VIEWER, by=owner)
        organisation_id, email = organisation.id, viewer.email
    client = db_app.test_client()
    login(client, email)
    response = post(client, f"/workspace/organisations/{organisation_id}/assessments", {"questionnaire": "quick-scan"})
    html = response.get_data(as_text=True)
    assert response.status_code == 403 and in_the_layout(html)
    assert "<h1>You are not allowed to do this</h1>" in html
    assert "Only owners and consultants can do this." in html and "ask an owner" in html


def test_a_form_without_its_security_token_says_nothing_was_saved(db_app):
    with db_app.app_context():
        _organisation, owner = factories.organisation()
        email = owner.email
    client = db_app.test_client()
    login(client, email)
    response = client.post("/workspace/organisations", data={"name": "No token"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and in_the_layout(html)
    assert "<h1>This request could not be used</h1>" in html and "nothing was saved" in html


def test_a_body_too_large_is_413_with_the_limit(app):
    app.config["MAX_CONTENT_LENGTH"] = 1024 * 1024
    # A GET: a POST would be refused first for its missing CSRF token.
    response = app.test_client().get("/glossary", data="x" * (2 * 1024 * 1024), content_type="text/plain")
    html = response.get_data(as_text=True)
    assert response.status_code == 413 and in_the_layout(html)
    assert "larger than the 1 MB" in html and "smaller file" in html


def test_an_unexpected_error_is_a_500_page_inside_the_layout(app):
    app.config["PROPAGATE_EXCEPTIONS"] = False
    app.add_url_rule("/broken", "broken", lambda: 1 / 0)
    response = app.test_client().get("/broken")
    html = response.get_data(as_text=True)
    assert response.status_code == 500 and in_the_layout(html)
    assert "<h1>Something went wrong on our side</h1>" in html and "logged" in html


def test_the_api_keeps_its_json_errors(app):
    app.add_url_rule("/api/v1/teapot", "teapot", lambda: abort(418))
    response = app.test_client().get(f"{API}/no-such-thing")
    assert response.status_code == 404 and response.is_json and response.get_json()["code"] == 404


@pytest.mark.parametrize(
    ("message", "sentence"),
    [("no such assessment", "No such assessment."), ("Done already.", "Done already."), ("", ""), ("why?", "Why?")],
)
def test_service_messages_become_sentences(message, sentence):
    assert as_sentence(message) == sentence


def test_the_favicon_is_served_and_every_page_links_the_svg_icon(client):
    with client.get("/favicon.ico") as icon:
        assert icon.status_code == 200 and icon.mimetype == "image/vnd.microsoft.icon"
        assert icon.data[:4] == b"\x00\x00\x01\x00"  # an ICO file's header
    html = client.get("/glossary").get_data(as_text=True)
    assert 'rel="icon" href="/static/favicon.svg" type="image/svg+xml"' in html
    with client.get("/static/favicon.svg") as svg:
        assert svg.status_code == 200


def test_with_the_database_away_the_page_is_a_503_in_the_layout_without_the_session(tmp_path):
    import socket

    from app.factory import create_app

    with socket.socket() as probe:  # a loopback port nothing listens on: the database server is down
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    app = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": f"postgresql+psycopg://postgres@127.0.0.1:{port}/test",
            "SQLALCHEMY_ENGINE_OPTIONS": {"connect_args": {"connect_timeout": 2}},
        }
    )
    response = app.test_client().get("/login")
    html = response.get_data(as_text=True)
    assert response.status_code == 503 and response.headers["Retry-After"] == "5"
    assert in_the_layout(html) and "<h1>Clausewise is briefly unavailable</h1>" in html
    assert "Nothing was saved" in html and "Log out" not in html and "X-CSRFToken" not in html
