"""Invitations by e-mail, against a real SMTP server (aiosmtpd) the tests start on the loopback: what arrives (To,
subject, a plain-text and an HTML part, a link that works, nothing unescaped) and what the inviter is told when
sending fails (the invitation and its link are kept)."""

from __future__ import annotations

import email
import re
import socket
from email import policy

import pytest
import sqlalchemy as sa
from aiosmtpd.controller import Controller

from app.extensions import db
from app.models import Invitation, Membership, User

from .. import factories
from ..apiclient import caller_for
from ..conftest import dispose, make_app
from ..webclient import csrf_from, login, post

HOSTILE = '<img src=x onerror="alert(1)"> & Co'
REFUSED_ADDRESS = "refused@example.com"


class Inbox:
    """aiosmtpd's handler: keeps every message; the server refuses mail for REFUSED_ADDRESS with a 554."""

    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []

    async def handle_DATA(self, server, session, envelope):
        if REFUSED_ADDRESS in envelope.rcpt_tos:
            return "554 5.7.1 Message refused"
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        self.messages.append(email.message_from_bytes(envelope.original_content, policy=policy.default))
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller.port, inbox
    controller.stop()


def mail_app(database_url: str, port: int):
    return make_app(
        database_url,
        MAIL_SERVER="127.0.0.1",
        MAIL_PORT=port,
        MAIL_DEFAULT_SENDER="Clausewise <clausewise@example.com>",
        MAIL_TIMEOUT=5,
    )


@pytest.fixture
def mailing_app(database_url, smtp):
    app = mail_app(database_url, smtp[0])
    yield app
    with app.app_context():
        db.session.remove()
        db.drop_all()
    dispose(app)


@pytest.fixture
def unreachable_app(database_url):
    """Mail configured, but nothing listens on the port: every send is a refused connection."""
    app = mail_app(database_url, free_port())
    yield app
    with app.app_context():
        db.session.remove()
        db.drop_all()
    dispose(app)


def owner_of_hostile_organisation(app):
    with app.app_context():
        organisation, owner = factories.organisation(name=HOSTILE)
        owner.name = "Olga <Owner>"
        assessment = factories.assessment(owner, organisation.id)
        db.session.commit()
        return owner.email, organisation.id, assessment.id


def logged_in(app, user_email: str):
    client = app.test_client()
    login(client, user_email)
    return client


def parts(message) -> tuple[str, str]:
    return message.get_body(("plain",)).get_content(), message.get_body(("html",)).get_content()


def test_an_organisation_invitation_is_emailed_with_a_text_and_an_html_part(mailing_app, smtp):
    _port, inbox = smtp
    owner_email, organisation_id, _ = owner_of_hostile_organisation(mailing_app)
    owner = logged_in(mailing_app, owner_email)
    page = f"/workspace/organisations/{organisation_id}"
    sent = post(owner, f"{page}/invitations", {"email": "Dan@Example.com", "role": "viewer"}, token_page=page)
    assert sent.status_code == 303
    shown = owner.get(page).get_data(as_text=True)
    assert "The invitation was e-mailed to dan@example.com" in shown
    assert 'aria-label="Invitation link"' not in shown  # e-mailed: the link is not handed out as well

    assert len(inbox.messages) == 1
    message = inbox.messages[0]
    assert message["To"] == "dan@example.com" and inbox.envelopes[0][1] == ["dan@example.com"]
    assert message["From"] == "Clausewise <clausewise@example.com>"
    assert message["Subject"] == f"Olga <Owner> invites you to {HOSTILE} on Clausewise"
    text, html = parts(message)
    link = re.search(r"http://localhost/invitations/\S+", text).group(0)
    assert f'href="{link}"' in html
    assert HOSTILE in text and "as viewer" in text
    assert "<img" not in html and "&lt;img src=x onerror=&#34;alert(1)&#34;&gt; &amp; Co" in html
    assert "Olga &lt;Owner&gt;" in html

    # The link in the e-mail is the invitation: the invited person joins with it.
    path = link.removeprefix("http://localhost")
    guest = mailing_app.test_client()
    opened = guest.get(path)
    assert opened.status_code == 200 and "dan@example.com" in opened.get_data(as_text=True)
    joined = guest.post(path, data={"csrf_token": csrf_from(guest, path), "password": "a long new password"})
    assert joined.status_code == 302
    with mailing_app.app_context():
        dan = db.session.scalars(sa.select(User).where(User.email == "dan@example.com")).one()
        assert db.session.scalars(sa.select(Membership).where(Membership.user_id == dan.id)).one()


def test_a_respondent_link_is_emailed_and_the_api_says_so(mailing_app, smtp):
    _port, inbox = smtp
    owner_email, _organisation_id, assessment_id = owner_of_hostile_organisation(mailing_app)
    with mailing_app.app_context():
        api = caller_for(mailing_app, db.session.scalars(sa.select(User).where(User.email == owner_email)).one())
    created = api.post(
        f"/assessments/{assessment_id}/respondents", json={"email": "gina@example.com", "name": "Gina <Lead>"}
    )
    body = created.get_json()
    assert created.status_code == 201 and body["emailed"] is True and body["email_error"] is None
    message = inbox.messages[-1]
    assert message["To"] == "gina@example.com"
    assert message["Subject"] == f"Olga <Owner> asks you some questions about {HOSTILE}"
    text, html = parts(message)
    assert body["invitation_url"] in text and f'href="{body["invitation_url"]}"' in html
    assert "Hello Gina <Lead>," in text and "Hello Gina &lt;Lead&gt;," in html and "<img" not in html
    assert mailing_app.test_client().get(body["invitation_url"].removeprefix("http://localhost")).status_code == 200


def test_the_web_respondent_invitation_is_emailed(mailing_app, smtp):
    _port, inbox = smtp
    owner_email, _organisation_id, assessment_id = owner_of_hostile_organisation(mailing_app)
    owner = logged_in(mailing_app, owner_email)
    page = f"/workspace/assessments/{assessment_id}/respondents"
    assert post(owner, page, {"email": "hal@example.com", "name": "Hal"}, token_page=page).status_code == 303
    assert "The invitation was e-mailed to hal@example.com" in owner.get(page).get_data(as_text=True)
    assert [m["To"] for m in inbox.messages] == ["hal@example.com"]


def test_an_smtp_refusal_tells_the_inviter_and_keeps_the_invitation(mailing_app, smtp):
    _port, inbox = smtp
    owner_email, organisation_id, _ = owner_of_hostile_organisation(mailing_app)
    owner = logged_in(mailing_app, owner_email)
    page = f"/workspace/organisations/{organisation_id}"
    post(owner, f"{page}/invitations", {"email": REFUSED_ADDRESS, "role": "viewer"}, token_page=page)
    shown = owner.get(page).get_data(as_text=True)
    assert f"The e-mail to {REFUSED_ADDRESS} could not be sent (the mail server answered 554)" in shown
    link = re.search(r'value="http://localhost(/invitations/[^"]+)" aria-label="Invitation link"', shown).group(1)
    assert inbox.messages == []
    assert mailing_app.test_client().get(link).status_code == 200


def test_a_refused_connection_tells_the_inviter_and_keeps_the_invitation(unreachable_app):
    owner_email, organisation_id, assessment_id = owner_of_hostile_organisation(unreachable_app)
    with unreachable_app.app_context():
        api = caller_for(unreachable_app, db.session.scalars(sa.select(User).where(User.email == owner_email)).one())
    created = api.post(
        f"/organisations/{organisation_id}/invitations", json={"email": "dan@example.com", "role": "viewer"}
    )
    body = created.get_json()
    assert created.status_code == 201 and body["emailed"] is False
    assert "could not be sent (the mail server refused the connection)" in body["email_error"]
    assert unreachable_app.test_client().get(body["link"].removeprefix("http://localhost")).status_code == 200

    owner = logged_in(unreachable_app, owner_email)
    page = f"/workspace/assessments/{assessment_id}/respondents"
    post(owner, page, {"email": "gina@example.com", "name": "Gina"}, token_page=page)
    shown = owner.get(page).get_data(as_text=True)
    assert "could not be sent (the mail server refused the connection)" in shown
    assert 'aria-label="Invitation link"' in shown
    with unreachable_app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Invitation)) == 2


def test_without_a_mail_server_nothing_is_sent_and_the_link_is_shown(db_app, smtp):
    _port, inbox = smtp
    owner_email, organisation_id, _ = owner_of_hostile_organisation(db_app)
    owner = logged_in(db_app, owner_email)
    page = f"/workspace/organisations/{organisation_id}"
    post(owner, f"{page}/invitations", {"email": "dan@example.com", "role": "viewer"}, token_page=page)
    shown = owner.get(page).get_data(as_text=True)
    assert 'aria-label="Invitation link"' in shown and "e-mailed" not in shown
    assert inbox.messages == []
