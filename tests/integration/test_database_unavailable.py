"""With the database unavailable users get a clear 503, and nothing is half-written."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.services import answers, assessments
from bench.servers import free_port

from .. import factories
from ..conftest import dispose, make_app


@pytest.fixture
def unreachable_app(tmp_path):
    # Nothing listens on this port: every query fails as when the database server is down.
    from app.factory import create_app

    app = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/test",
            "SQLALCHEMY_ENGINE_OPTIONS": {"connect_args": {"connect_timeout": 2}},
        }
    )
    yield app
    dispose(app)


def test_pages_answer_503_with_a_clear_message(unreachable_app):
    client = unreachable_app.test_client()
    client.set_cookie("session", "an-existing-session-id")
    response = client.get("/workspace/")
    assert response.status_code == 503
    assert "database is not available" in response.get_data(as_text=True)
    assert response.headers["Retry-After"] == "5"


def test_json_clients_get_a_503_json_error(unreachable_app):
    client = unreachable_app.test_client()
    unreachable_app.config["WTF_CSRF_ENABLED"] = False  # the login form is not the point here
    response = client.post(
        "/login", data={"email": "a@example.com", "password": "x"}, headers={"Accept": "application/json"}
    )
    assert response.status_code == 503
    assert response.get_json()["code"] == 503


def test_a_failure_in_the_middle_of_several_answers_leaves_none_saved(tmp_path, monkeypatch):
    app = make_app(f"sqlite:///{tmp_path / 'db.sqlite3'}")
    with app.app_context():
        organisation, owner = factories.organisation()
        assessment = factories.assessment(owner, organisation.id)
        original = answers.write
        calls = []

        def failing_second_write(*args, **kwargs):
            calls.append(1)
            if len(calls) == 2:
                raise sa.exc.OperationalError("UPDATE answers", {}, Exception("server closed the connection"))
            return original(*args, **kwargs)

        monkeypatch.setattr(answers, "write", failing_second_write)
        with pytest.raises(sa.exc.OperationalError):
            assessments.save_answers(owner, assessment.id, {"scope_documented": "yes", "quality_policy": "no"})
        from app.extensions import db

        db.session.rollback()
        assert answers.answers_of(assessment) == {}
    dispose(app)
