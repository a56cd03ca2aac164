"""Markers and shared fixtures of the integration tests."""

import pytest

from app.models import Role

from .. import factories
from ..apiclient import World, caller_for
from ..webclient import login


def pytest_configure(config):
    config.addinivalue_line("markers", "slow: starts real gunicorn servers (seconds each); skip with -m 'not slow'")


@pytest.fixture
def world(db_app):
    # Data is made through the services, inside an app context that is closed again before any request, so each
    # request runs in its own context and session as it does in production.
    with db_app.app_context():
        organisation, owner = factories.organisation(name="Acme")
        contributor = factories.member(organisation.id, Role.CONTRIBUTOR, owner)
        viewer = factories.member(organisation.id, Role.VIEWER, owner)
        assessment = factories.assessment(owner, organisation.id, title="First look")
        elsewhere, outsider = factories.organisation(name="Elsewhere")
        their_assessment = factories.assessment(outsider, elsewhere.id)
        return World(
            app=db_app,
            owner=caller_for(db_app, owner),
            contributor=caller_for(db_app, contributor),
            viewer=caller_for(db_app, viewer),
            outsider=caller_for(db_app, outsider),
            owner_email=owner.email,
            organisation_id=organisation.id,
            assessment_id=assessment.id,
            other_organisation_id=elsewhere.id,
            other_assessment_id=their_assessment.id,
        )


@pytest.fixture
def chat(db_app):
    """An owner logged in to the web client, with a new quick-scan assessment: (client, assessment id, app)."""
    with db_app.app_context():
        organisation, owner = factories.organisation()
        assessment = factories.assessment(owner, organisation.id, "quick-scan")
        ids = (owner.email, organisation.id, assessment.id)
    client = db_app.test_client()
    login(client, ids[0])
    return client, ids[2], db_app
