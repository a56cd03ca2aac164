"""Invitations: bound to the invited e-mail (or explicitly to anyone with the link), revocable, listed with their
state, expiring as configured, and sent by a POST that redirects so a reload cannot send another."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.config import from_environment
from app.extensions import db
from app.models import Invitation, InvitationState, Membership, Respondent, Role, User
from app.models.base import utcnow
from app.services import accounts, invitations, respondents
from app.services.errors import Forbidden, NotFound

from .. import factories
from ..apiclient import caller_for
from ..webclient import csrf_from, login, post


def link_in(page: str) -> str | None:
    """The one-time link a page shows to copy, as a path."""
    found = re.search(r'value="http://localhost(/invitations/[^"]+)" aria-label="Invitation link"', page)
    return found.group(1) if found else None


@pytest.fixture
def acme(db_app):
    """Acme's owner (logged in, in `owner`) and Carol, a user of another organisation, logged in elsewhere."""
    with db_app.app_context():
        organisation, owner = factories.organisation(name="Acme")
        carol = factories.user("carol@example.com")
        factories.organisation(carol, name="Carol's")
        assessment = factories.assessment(owner, organisation.id, title="Workshop")
        ids = {"organisation": organisation.id, "assessment": assessment.id, "owner": owner.id, "carol": carol.id}
        owner_email = owner.email
    owner_client = db_app.test_client()
    login(owner_client, owner_email)
    carol_client = db_app.test_client()
    login(carol_client, "carol@example.com")
    return ids, owner_client, carol_client


def invite_on_page(client, organisation_id: int, email: str, **extra) -> str:
    page = f"/workspace/organisations/{organisation_id}"
    sent = post(client, f"{page}/invitations", {"email": email, "role": "contributor", **extra}, token_page=page)
    assert sent.status_code == 303 and sent.headers["Location"].endswith(f"{page}#invitations")
    return link_in(client.get(page).get_data(as_text=True))


def members(app, organisation_id: int) -> set[int]:
    with app.app_context():
        return set(
            db.session.scalars(sa.select(Membership.user_id).where(Membership.organisation_id == organisation_id))
        )


def accept(client, path: str, **form):
    token = csrf_from(client, path if client.get(path).status_code == 200 else "/login")
    return client.post(path, data={"csrf_token": token, **form})


# ---------------------------------------------------------------------------------------------- bound to the e-mail


def test_someone_logged_in_with_another_address_cannot_accept_and_the_link_stays_usable(db_app, acme):
    ids, owner, carol = acme
    link = invite_on_page(owner, ids["organisation"], "Dan@Example.com ")

    opened = carol.get(link)
    text = opened.get_data(as_text=True)
    assert opened.status_code == 403 and "This invitation is for dan@example.com" in text
    assert "carol@example.com" in text and "Accept the invitation" not in text
    refused = carol.post(link, data={"csrf_token": csrf_from(carol, "/workspace/")})
    assert refused.status_code == 403
    assert ids["carol"] not in members(db_app, ids["organisation"])

    # The invited person, with the address written differently, still can.
    guest = db_app.test_client()
    joined = accept(guest, link, password="a long new password", name="Dan")
    assert joined.status_code == 302
    with db_app.app_context():
        dan = db.session.scalars(sa.select(Invitation)).one().used_by
        assert dan.email == "dan@example.com"
    assert dan.id in members(db_app, ids["organisation"])


def test_the_service_refuses_another_account_and_matches_the_address_normalised(db_app, acme):
    ids, _owner, _carol = acme
    with db_app.app_context():
        owner = db.session.get(User, ids["owner"])
        invitation, token = invitations.invite(owner, ids["organisation"], " ERIN@example.com", Role.VIEWER)
        carol = db.session.get(User, ids["carol"])
        with pytest.raises(Forbidden, match="for erin@example.com"):
            invitations.accept_invitation(token, carol)
        assert db.session.get(Invitation, invitation.id).used_at is None
        erin = factories.user("erin@example.com")
        assert invitations.accept_invitation(token, erin).role is Role.VIEWER


def test_anyone_with_the_link_is_the_inviters_explicit_choice(db_app, acme):
    ids, owner, carol = acme
    link = invite_on_page(owner, ids["organisation"], "dan@example.com", anyone_with_link="1")
    assert carol.get(link).status_code == 200
    assert accept(carol, link).status_code == 302
    assert ids["carol"] in members(db_app, ids["organisation"])


def test_anyone_with_the_link_lets_a_newcomer_register_with_their_own_address(db_app, acme):
    ids, owner, _carol = acme
    link = invite_on_page(owner, ids["organisation"], "team@example.com", anyone_with_link="1")
    guest = db_app.test_client()
    assert accept(guest, link, email="frank@example.com", password="a long new password").status_code == 302
    with db_app.app_context():
        assert db.session.scalars(sa.select(Invitation)).one().used_by.email == "frank@example.com"


def test_the_api_binds_by_default_and_takes_anyone_with_link(db_app, acme):
    ids, _owner, carol = acme
    with db_app.app_context():
        api = caller_for(db_app, db.session.get(User, ids["owner"]))
    path = f"/organisations/{ids['organisation']}/invitations"
    bound = api.post(path, json={"email": "dan@example.com", "role": "viewer"}).get_json()
    assert bound["anyone_with_link"] is False and bound["emailed"] is False and bound["email_error"] is None
    assert carol.get(bound["link"].removeprefix("http://localhost")).status_code == 403
    loose = api.post(path, json={"email": "dan@example.com", "role": "viewer", "anyone_with_link": True}).get_json()
    assert loose["anyone_with_link"] is True
    assert accept(carol, loose["link"].removeprefix("http://localhost")).status_code == 302


def test_a_respondent_link_is_bound_to_the_respondents_address(db_app, acme):
    ids, _owner, _carol = acme
    with db_app.app_context():
        owner = db.session.get(User, ids["owner"])
        carol = db.session.get(User, ids["carol"])
        respondent, token = respondents.invite(owner, ids["assessment"], "gina@example.com", "Gina")
        with pytest.raises(Forbidden):
            invitations.accept_invitation(token, carol)
        assert db.session.get(Respondent, respondent.id).user_id is None
        _loose, token = respondents.invite(owner, ids["assessment"], "x@example.com", "Anyone", anyone_with_link=True)
        invitations.accept_invitation(token, carol)


# ---------------------------------------------------------------------------------------------- revoking


def test_an_owner_revokes_a_pending_invitation_and_the_link_says_so(db_app, acme):
    ids, owner, _carol = acme
    link = invite_on_page(owner, ids["organisation"], "dan@example.com")
    with db_app.app_context():
        invitation_id = db.session.scalars(sa.select(Invitation.id)).one()
    page = f"/workspace/organisations/{ids['organisation']}"
    revoke = f"{page}/invitations/{invitation_id}/revoke"
    assert owner.post(revoke).status_code == 400  # no CSRF token
    revoked = post(owner, revoke, token_page=page)
    assert revoked.status_code == 303 and revoked.headers["Location"].endswith(f"{page}#invitations")
    assert "its link no longer works" in owner.get(page).get_data(as_text=True)

    guest = db_app.test_client()
    opened = guest.get(link)
    assert opened.status_code == 404 and "This invitation was revoked" in opened.get_data(as_text=True)
    assert accept(guest, link, password="a long new password").status_code == 404
    with db_app.app_context():
        assert db.session.get(Invitation, invitation_id).state is InvitationState.REVOKED
        assert db.session.scalar(sa.select(User).where(User.email == "dan@example.com")) is None


def test_revoking_an_accepted_invitation_is_refused_and_only_managers_revoke(db_app, acme):
    ids, _owner, _carol = acme
    with db_app.app_context():
        owner = db.session.get(User, ids["owner"])
        api = caller_for(db_app, owner)
        contributor = factories.member(ids["organisation"], Role.CONTRIBUTOR, owner)
        helper = caller_for(db_app, contributor)
        accepted = db.session.scalar(sa.select(Invitation.id).where(Invitation.used_by_id == contributor.id))
        pending, _token = invitations.invite(owner, ids["organisation"], "dan@example.com", Role.VIEWER)
        pending_id, contributor_id = pending.id, contributor.id
    base = f"/organisations/{ids['organisation']}/invitations"
    assert api.post(f"{base}/{accepted}/revoke").status_code == 409
    assert helper.post(f"{base}/{pending_id}/revoke").status_code in (403, 404)
    revoked = api.post(f"{base}/{pending_id}/revoke")
    assert revoked.status_code == 200 and revoked.get_json()["state"] == "revoked"
    assert api.post(f"{base}/{pending_id}/revoke").status_code == 200  # twice is harmless
    assert api.post(f"{base}/999999/revoke").status_code == 404
    assert api.get(f"{base}/{pending_id}").get_json()["state"] == "revoked"
    listed = {i["id"]: i for i in api.get(base).get_json()}
    assert listed[pending_id]["state"] == "revoked" and listed[pending_id]["revoked_at"]
    assert listed[accepted]["state"] == "accepted" and listed[accepted]["accepted_by_id"] == contributor_id


def test_revoking_is_confined_to_the_organisation(db_app, acme):
    ids, _owner, carol_client = acme
    with db_app.app_context():
        owner = db.session.get(User, ids["owner"])
        pending, _token = invitations.invite(owner, ids["organisation"], "dan@example.com", Role.VIEWER)
        carol = db.session.get(User, ids["carol"])
        carols = accounts.create_organisation(carol, "Another of Carol's", Role.OWNER)
        with pytest.raises(NotFound):
            invitations.revoke(carol, carols.id, pending.id)  # her own organisation, Acme's invitation
        with pytest.raises(NotFound):
            invitations.revoke(carol, ids["organisation"], pending.id)
        assert db.session.get(Invitation, pending.id).revoked_at is None


def test_a_respondents_invitation_is_revoked_from_the_respondents_page(db_app, acme):
    ids, owner, _carol = acme
    page = f"/workspace/assessments/{ids['assessment']}/respondents"
    sent = post(owner, page, {"email": "gina@example.com", "name": "Gina"}, token_page=page)
    assert sent.status_code == 303
    link = link_in(owner.get(page).get_data(as_text=True))
    with db_app.app_context():
        respondent_id = db.session.scalars(sa.select(Respondent.id)).one()
    revoked = post(owner, f"{page}/{respondent_id}/revoke", token_page=page)
    assert revoked.status_code == 303
    listed = owner.get(page).get_data(as_text=True)
    assert re.search(rf'id="respondent-{respondent_id}">.*?revoked on', listed, re.S)
    opened = db_app.test_client().get(link)
    assert opened.status_code == 404 and "revoked" in opened.get_data(as_text=True)


# ---------------------------------------------------------------------------------------------- listed with state


def test_the_members_page_lists_invitations_with_their_state(db_app, acme):
    ids, owner_client, _carol = acme
    with db_app.app_context():
        owner = db.session.get(User, ids["owner"])
        joined = factories.member(ids["organisation"], Role.VIEWER, owner)
        joined.name = "Hana Member"
        old, _ = invitations.invite(owner, ids["organisation"], "old@example.com", Role.VIEWER)
        old.expires_at = utcnow() - timedelta(days=1)
        gone, _ = invitations.invite(owner, ids["organisation"], "gone@example.com", Role.VIEWER)
        db.session.commit()
        invitations.revoke(owner, ids["organisation"], gone.id)
        invitations.invite(owner, ids["organisation"], "<b>new</b>@example.com", Role.CONSULTANT)
    page = owner_client.get(f"/workspace/organisations/{ids['organisation']}").get_data(as_text=True)
    table = page[page.index('<table class="invitations">') :]
    assert "accepted by Hana Member on" in table
    assert re.search(r"old@example.com.*?expired on", table, re.S)
    assert re.search(r"gone@example.com.*?revoked on", table, re.S)
    assert re.search(r"&lt;b&gt;new&lt;/b&gt;@example.com.*?pending, expires", table, re.S)
    assert table.count(">Revoke</button>") == 1  # only the pending one
    assert "<b>new</b>" not in page


def test_members_who_do_not_manage_see_no_invitations(db_app, acme):
    ids, _owner, _carol = acme
    with db_app.app_context():
        owner = db.session.get(User, ids["owner"])
        invitations.invite(owner, ids["organisation"], "secret-invitee@example.com", Role.VIEWER)
        viewer = factories.member(ids["organisation"], Role.VIEWER, owner)
        viewer_email = viewer.email
        with pytest.raises(Forbidden):
            invitations.organisation_invitations(viewer, ids["organisation"])
    client = db_app.test_client()
    login(client, viewer_email)
    page = client.get(f"/workspace/organisations/{ids['organisation']}").get_data(as_text=True)
    assert "secret-invitee" not in page and "Revoke" not in page


def test_the_respondents_page_and_api_list_each_invitations_state(db_app, acme):
    ids, owner_client, _carol = acme
    with db_app.app_context():
        owner = db.session.get(User, ids["owner"])
        api = caller_for(db_app, owner)
        waiting, _ = respondents.invite(owner, ids["assessment"], "wait@example.com", "Waiting")
        late, _ = respondents.invite(owner, ids["assessment"], "late@example.com", "Late")
        db.session.get(Invitation, late.invitation_id).expires_at = utcnow() - timedelta(hours=1)
        db.session.commit()
        _user, answering = factories.respondent(owner, ids["assessment"], name="Answering")
        waiting_id, late_id, answering_id = waiting.id, late.id, answering.id
    page = owner_client.get(f"/workspace/assessments/{ids['assessment']}/respondents").get_data(as_text=True)
    row = {r: re.search(rf'id="respondent-{r}">(.*?)</tr>', page, re.S).group(1) for r in (waiting_id, late_id)}
    assert "pending, expires" in row[waiting_id] and "Revoke" in row[waiting_id]
    assert "expired on" in row[late_id] and "Revoke" not in row[late_id]
    listed = {r["id"]: r for r in api.get(f"/assessments/{ids['assessment']}/respondents").get_json()}
    assert listed[waiting_id]["invitation_state"] == "pending"
    assert listed[late_id]["invitation_state"] == "expired"
    assert listed[answering_id]["invitation_state"] == "accepted"
    gone = api.post(f"/organisations/{ids['organisation']}/invitations/{listed[waiting_id]['invitation_id']}/revoke")
    assert gone.status_code == 200
    again = {r["id"]: r for r in api.get(f"/assessments/{ids['assessment']}/respondents").get_json()}
    assert again[waiting_id]["invitation_state"] == "revoked"


# ---------------------------------------------------------------------------------------------- expiry


def test_the_lifetime_of_a_link_is_configured(db_app, acme):
    ids, _owner, _carol = acme
    db_app.config["INVITATION_DAYS"] = 2
    with db_app.app_context():
        owner = db.session.get(User, ids["owner"])
        invitation, token = invitations.invite(owner, ids["organisation"], "dan@example.com", Role.VIEWER)
        left = invitation.expires_at - utcnow()
        assert timedelta(days=2) - timedelta(minutes=1) < left <= timedelta(days=2)
        respondent, _ = respondents.invite(owner, ids["assessment"], "gina@example.com")
        assert respondent.invitation.expires_at - utcnow() <= timedelta(days=2)
        invitation.expires_at = utcnow() - timedelta(seconds=1)
        db.session.commit()
    opened = db_app.test_client().get(f"/invitations/{token}")
    assert opened.status_code == 404 and "has expired" in opened.get_data(as_text=True)


def test_the_lifetime_comes_from_the_environment(monkeypatch, tmp_path):
    assert from_environment(str(tmp_path))["INVITATION_DAYS"] == 7
    monkeypatch.setenv("CLAUSEWISE_INVITATION_DAYS", "30")
    assert from_environment(str(tmp_path))["INVITATION_DAYS"] == 30
    for wrong in ("0", "-3", "a week"):
        monkeypatch.setenv("CLAUSEWISE_INVITATION_DAYS", wrong)
        with pytest.raises(ValueError, match="CLAUSEWISE_INVITATION_DAYS"):
            from_environment(str(tmp_path))


# ---------------------------------------------------------------------------------------------- post, redirect, get


def count_invitations(app) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(Invitation))


def test_reloading_after_inviting_to_the_organisation_sends_nothing_again(db_app, acme):
    ids, owner, _carol = acme
    page = f"/workspace/organisations/{ids['organisation']}"
    sent = post(owner, f"{page}/invitations", {"email": "dan@example.com", "role": "viewer"}, token_page=page)
    assert sent.status_code == 303 and count_invitations(db_app) == 1
    shown = owner.get(sent.headers["Location"]).get_data(as_text=True)
    assert link_in(shown) and "Send this link to dan@example.com" in shown
    reloaded = owner.get(sent.headers["Location"]).get_data(as_text=True)
    assert link_in(reloaded) is None  # shown once only
    assert count_invitations(db_app) == 1


def test_reloading_after_inviting_a_respondent_sends_nothing_again(db_app, acme):
    ids, owner, _carol = acme
    page = f"/workspace/assessments/{ids['assessment']}/respondents"
    sent = post(owner, page, {"email": "gina@example.com", "name": "Gina"}, token_page=page)
    assert sent.status_code == 303 and sent.headers["Location"].endswith(f"{page}#invite-heading")
    shown = owner.get(sent.headers["Location"]).get_data(as_text=True)
    assert link_in(shown) and "Send this link to Gina" in shown
    assert link_in(owner.get(page).get_data(as_text=True)) is None
    assert count_invitations(db_app) == 1


def test_a_refused_invitation_redirects_with_the_reason(db_app, acme):
    ids, owner, _carol = acme
    page = f"/workspace/organisations/{ids['organisation']}"
    sent = post(owner, f"{page}/invitations", {"email": "not-an-address", "role": "viewer"}, token_page=page)
    assert sent.status_code == 303 and count_invitations(db_app) == 0
    assert "expected an email address" in owner.get(page).get_data(as_text=True)


def test_members_who_do_not_manage_can_neither_invite_nor_revoke_on_the_web(db_app, acme):
    ids, _owner, _carol = acme
    with db_app.app_context():
        owner = db.session.get(User, ids["owner"])
        pending, _ = invitations.invite(owner, ids["organisation"], "dan@example.com", Role.VIEWER)
        contributor_email = factories.member(ids["organisation"], Role.CONTRIBUTOR, owner).email
        pending_id = pending.id
    client = db_app.test_client()
    login(client, contributor_email)
    page = f"/workspace/organisations/{ids['organisation']}"
    invited = post(client, f"{page}/invitations", {"email": "eve@example.com", "role": "viewer"}, token_page=page)
    assert invited.status_code == 403
    assert post(client, f"{page}/invitations/{pending_id}/revoke", token_page=page).status_code == 403
    with db_app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Invitation)) == 2  # the contributor's and Dan's
        assert db.session.get(Invitation, pending_id).revoked_at is None
