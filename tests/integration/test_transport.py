"""Running behind HTTPS and a proxy: secure cookies, HSTS and forwarded headers, each only when configured."""

from __future__ import annotations

import pytest

from app.extensions import db

from .. import factories
from ..conftest import dispose, make_app
from ..webclient import login


@pytest.fixture
def make(tmp_path, monkeypatch):
    made = []

    def build(**environment):
        for name, value in environment.items():
            monkeypatch.setenv(name, value)
        app = make_app(f"sqlite:///{tmp_path / f'db{len(made)}.sqlite3'}")
        with app.app_context():
            email = factories.user().email
            db.session.commit()
        made.append(app)
        return app, email

    yield build
    for app in made:
        dispose(app)


def session_cookie(response) -> str:
    return next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("session="))


def test_by_default_plain_http_works_and_nothing_claims_https(make):
    app, email = make()
    client = app.test_client()
    response = login(client, email)
    assert response.status_code == 302
    assert "Secure" not in session_cookie(response)
    assert "Strict-Transport-Security" not in client.get("/login", base_url="https://localhost").headers


def test_secure_cookies_and_hsts_when_configured(make):
    app, email = make(CLAUSEWISE_SECURE_COOKIES="1", CLAUSEWISE_HSTS_SECONDS="31536000")
    client = app.test_client()
    assert "Secure" in session_cookie(login(client, email))
    secure = client.get("/login", base_url="https://localhost")
    assert secure.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert "Strict-Transport-Security" not in client.get("/login").headers  # never over plain HTTP


@pytest.mark.parametrize("hops, believed", [("1", True), ("", False)])
def test_forwarded_headers_are_believed_only_from_configured_proxies(make, hops, believed):
    """The scheme a proxy forwards counts only when the app is told a proxy is there: else a client could claim
    HTTPS (or another address, for the login throttling) by sending the header itself."""
    app, _ = make(CLAUSEWISE_HSTS_SECONDS="600", CLAUSEWISE_PROXY_HOPS=hops)
    response = app.test_client().get("/login", headers={"X-Forwarded-Proto": "https"})
    assert ("Strict-Transport-Security" in response.headers) is believed
