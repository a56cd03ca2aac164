"""API callers for the tests: a test client that sends one user's personal API token, and the world they act in."""

from __future__ import annotations

from dataclasses import dataclass

from app.services import accounts

API = "/api/v1"


@dataclass
class Caller:
    """A test client that sends one user's personal API token with every request."""

    client: object
    token: str

    def call(self, method: str, path: str, *, headers: dict | None = None, **kwargs):
        headers = {"Authorization": f"Bearer {self.token}", **(headers or {})}
        return self.client.open(API + path, method=method, headers=headers, **kwargs)

    def get(self, path, **kwargs):
        return self.call("GET", path, **kwargs)

    def post(self, path, **kwargs):
        return self.call("POST", path, **kwargs)

    def put(self, path, **kwargs):
        return self.call("PUT", path, **kwargs)

    def patch(self, path, **kwargs):
        return self.call("PATCH", path, **kwargs)


@dataclass
class World:
    """Acme with an owner, a contributor and a viewer and one assessment; Elsewhere, someone else's."""

    app: object
    owner: Caller
    contributor: Caller
    viewer: Caller
    outsider: Caller
    owner_email: str
    organisation_id: int
    assessment_id: int
    other_organisation_id: int
    other_assessment_id: int


def caller_for(app, user) -> Caller:
    _row, token = accounts.create_api_token(user, "tests")
    return Caller(app.test_client(), token)
