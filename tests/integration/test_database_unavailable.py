"""With the database unavailable users get a clear 503, and nothing is half-written."""

from __future__ import annotations

import contextlib
import re
import sqlite3
import time

import psycopg
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


# ------------------------------------------------------------------------------------ locked or read-only


BUSY_TIMEOUT = 0.5  # seconds: how long the app under test waits for a lock before answering 503
PATIENCE = 10  # seconds: far more than the busy timeout; a request taking this long has hung


def app_on(database_url: str, db_app, **config):
    """A second app on db_app's database (its schema and rows), sharing its secret so sessions carry over."""
    from app.factory import create_app

    return create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": database_url,
            "SECRET_KEY": db_app.config["SECRET_KEY"],
            "DATABASE_BUSY_TIMEOUT": BUSY_TIMEOUT,
            **config,
        }
    )


@contextlib.contextmanager
def database_locked(database_url: str):
    """Another connection holding the lock a long migration or a stuck batch job would hold."""
    if database_url.startswith("sqlite"):
        connection = sqlite3.connect(database_url.removeprefix("sqlite:///"), isolation_level=None)
        connection.execute("BEGIN EXCLUSIVE")
    else:
        connection = psycopg.connect(database_url.replace("+psycopg", ""))
        connection.execute("LOCK TABLE web_sessions, login_failures, users IN ACCESS EXCLUSIVE MODE")
    try:
        yield
    finally:
        connection.rollback()
        connection.close()


def timed(request):
    started = time.monotonic()
    response = request()
    return response, time.monotonic() - started


def assert_unavailable(response, elapsed):
    assert response.status_code == 503, response.get_data(as_text=True)[:300]
    assert "database is not available" in response.get_data(as_text=True)
    assert response.headers["Retry-After"] == "5"
    assert elapsed < PATIENCE


def login_form(client):
    page = client.get("/login")
    assert page.status_code == 200
    return re.search(r'name="csrf_token" value="([^"]+)"', page.get_data(as_text=True)).group(1)


def test_a_locked_database_answers_503_on_the_login_page_and_the_login_post(db_app, database_url):
    with db_app.app_context():
        email = factories.user().email
    app = app_on(database_url, db_app)
    client = app.test_client()
    token = login_form(client)  # a form loaded before the lock, posted while it is held
    credentials = {"email": email, "password": factories.PASSWORD, "csrf_token": token}
    with database_locked(database_url):
        # Not "400 The CSRF session token is missing": the session behind the form could not be read or written.
        assert_unavailable(*timed(lambda: client.post("/login", data=credentials)))
        # A new visitor's login page needs a session to hold its form's CSRF token: without one, a 503, not a form
        # whose post is bound to fail.
        assert_unavailable(*timed(lambda: app.test_client().get("/login")))
    assert client.post("/login", data=credentials).status_code == 302  # the lock gone, the same form logs in
    dispose(app)


def test_a_read_only_database_answers_503_on_the_login_page_and_the_login_post(db_app, database_url):
    with db_app.app_context():
        email = factories.user().email
    writable = db_app.test_client()
    token = login_form(writable)
    if database_url.startswith("sqlite"):
        read_only = app_on(f"sqlite:///file:{database_url.removeprefix('sqlite:///')}?mode=ro&uri=true", db_app)
    else:
        options = {"connect_args": {"options": "-c default_transaction_read_only=on"}}
        read_only = app_on(database_url, db_app, SQLALCHEMY_ENGINE_OPTIONS=options)
    client = read_only.test_client()
    client.set_cookie("session", writable.get_cookie("session").value)
    credentials = {"email": email, "password": factories.PASSWORD, "csrf_token": token}
    assert_unavailable(*timed(lambda: client.post("/login", data=credentials)))
    assert_unavailable(*timed(lambda: read_only.test_client().get("/login")))
    dispose(read_only)


def test_a_bug_in_a_query_is_still_a_500_not_a_503(db_app, monkeypatch):
    from app.services import accounts

    def broken(*_args, **_kwargs):
        raise sa.exc.IntegrityError("INSERT INTO users", {}, Exception("duplicate key"))

    monkeypatch.setattr(accounts, "authenticate", broken)
    db_app.config["PROPAGATE_EXCEPTIONS"] = False
    db_app.config["WTF_CSRF_ENABLED"] = False
    response = db_app.test_client().post("/login", data={"email": "a@example.com", "password": "x"})
    assert response.status_code == 500
