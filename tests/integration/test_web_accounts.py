"""Logging in and out, server-side sessions, throttling, CSRF, invitations and the workspace pages."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import Role, WebSession
from app.services import accounts

from .. import factories
from ..webclient import csrf_from, login, post


def make_owner(app):
    with app.app_context():
        organisation, owner = factories.organisation(name="Acme <Ltd>")
        return owner.email, organisation.id


def test_login_sets_a_random_http_only_cookie_backed_by_a_database_row(db_app):
    email, _ = make_owner(db_app)
    client = db_app.test_client()
    csrf_from(client)
    before = client.get_cookie("session").value
    response = login(client, email)
    assert response.status_code == 302 and response.headers["Location"].endswith("/workspace/")
    cookie = client.get_cookie("session")
    assert cookie.value != before  # a new id after login: a planted id is worthless
    assert cookie.http_only and cookie.same_site == "Lax"
    assert "_user_id" not in cookie.value and len(cookie.value) >= 40
    with db_app.app_context():
        row = db.session.scalars(sa.select(WebSession).where(WebSession.user_id.is_not(None))).one()
        assert row.data["_user_id"]
    assert client.get("/workspace/").status_code == 200


def test_logout_deletes_the_server_side_session(db_app):
    email, _ = make_owner(db_app)
    client = db_app.test_client()
    login(client, email)
    stolen = client.get_cookie("session").value
    assert post(client, "/logout").status_code == 302
    thief = db_app.test_client()
    thief.set_cookie("session", stolen)
    assert thief.get("/workspace/").status_code == 302  # back to the login page


def test_wrong_password_and_then_throttling(db_app):
    email, _ = make_owner(db_app)
    client = db_app.test_client()
    for _ in range(accounts.MAX_FAILURES_PER_EMAIL):
        assert login(client, email, "wrong password!").status_code == 401
    refused = login(client, email)  # even the right password, while the email is being guessed
    assert refused.status_code == 429 and "too many failed logins" in refused.get_data(as_text=True)


def test_every_form_post_needs_the_csrf_token(db_app):
    email, _ = make_owner(db_app)
    client = db_app.test_client()
    login(client, email)
    assert client.post("/workspace/organisations", data={"name": "No token"}).status_code == 400
    assert client.post("/logout").status_code == 400
    assert post(client, "/workspace/organisations", {"name": "With token"}).status_code == 302


def test_pages_escape_user_text(db_app):
    email, organisation_id = make_owner(db_app)
    client = db_app.test_client()
    login(client, email)
    page = client.get(f"/workspace/organisations/{organisation_id}").get_data(as_text=True)
    assert "Acme &lt;Ltd&gt;" in page and "Acme <Ltd>" not in page


def test_invitation_link_registers_and_joins_once(db_app):
    email, organisation_id = make_owner(db_app)
    owner = db_app.test_client()
    login(owner, email)
    page = post(
        owner,
        f"/workspace/organisations/{organisation_id}/invitations",
        {"email": "new@example.com", "role": "contributor"},
        follow_redirects=True,
    ).get_data(as_text=True)
    link = invitation_link(page)
    path = link.split("localhost", 1)[-1]
    guest = db_app.test_client()
    token = csrf_from(guest, path)
    joined = guest.post(path, data={"csrf_token": token, "password": "a long new password", "name": "New"})
    assert joined.status_code == 302
    assert guest.get(f"/workspace/organisations/{organisation_id}").status_code == 200
    again = db_app.test_client().get(path)
    assert again.status_code == 404 and "used already" in again.get_data(as_text=True)
    with db_app.app_context():
        member = accounts.members_of(factories_user(email), organisation_id)
        assert {m.role for m in member} == {Role.OWNER, Role.CONTRIBUTOR}


def invitation_link(page: str) -> str:
    """The one-time link a page shows to copy."""
    return re.search(r'value="(http[^"]+/invitations/[^"]+)" aria-label="Invitation link"', page).group(1)


def factories_user(email):
    from app.models import User

    return db.session.scalars(sa.select(User).where(User.email == email)).one()


def test_the_next_parameter_never_leaves_the_site(db_app):
    email, _ = make_owner(db_app)
    client = db_app.test_client()
    token = csrf_from(client)
    response = client.post(
        "/login", data={"email": email, "password": factories.PASSWORD, "csrf_token": token, "next": "//evil.example/"}
    )
    assert response.headers["Location"].endswith("/workspace/")


@pytest.mark.parametrize(
    "target",
    [
        "/\t/evil.example",
        "/\n/evil.example",
        "/ /evil.example",
        "https://evil.example/",
        "//evil.example",
        "/\\evil.example",
        "javascript:alert(1)",
        "evil.example",
    ],
)
def test_a_logged_in_user_is_never_sent_off_the_site_nor_served_a_500(db_app, target):
    email, _ = make_owner(db_app)
    client = db_app.test_client()
    login(client, email)
    response = client.get("/login", query_string={"next": target})
    assert response.status_code == 302
    assert response.headers["Location"] == "/workspace/"


def test_a_local_next_is_followed_after_login(db_app):
    email, organisation_id = make_owner(db_app)
    client = db_app.test_client()
    login(client, email)
    target = f"/workspace/organisations/{organisation_id}?tab=members"
    assert client.get("/login", query_string={"next": target}).headers["Location"] == target


def test_workspace_start_complete_repeat_and_compare_through_the_pages(db_app):
    email, organisation_id = make_owner(db_app)
    client = db_app.test_client()
    login(client, email)
    started = post(client, f"/workspace/organisations/{organisation_id}/assessments", {"questionnaire": "quick-scan"})
    first = started.headers["Location"]
    first_id = int(first.rsplit("/", 1)[1])
    assert "Not ready" in client.get(first).get_data(as_text=True)
    assert post(client, f"/workspace/assessments/{first_id}/complete", {"confirm": "yes"}).status_code == 303
    repeated = post(client, f"/workspace/assessments/{first_id}/repeat")
    second_id = int(repeated.headers["Location"].rsplit("/", 1)[1])
    comparison = client.get(f"/workspace/compare?a={first_id}&b={second_id}")
    assert comparison.status_code == 200 and "Per clause" in comparison.get_data(as_text=True)
    exported = client.get(f"/workspace/assessments/{first_id}/export.yaml")
    assert exported.mimetype == "application/yaml" and "questionnaire: quick-scan" in exported.get_data(as_text=True)
