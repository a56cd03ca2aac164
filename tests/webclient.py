"""bench.webclient for the tests: logs in with the factories' password, and posts forms with their CSRF token."""

from __future__ import annotations

from bench import webclient
from bench.webclient import csrf_from

from .factories import PASSWORD

__all__ = ["csrf_from", "login", "post"]


def login(client, email: str, password: str = PASSWORD):
    return webclient.login(client, email, password)


def post(client, path: str, data: dict | None = None, **kwargs):
    token = csrf_from(client, kwargs.pop("token_page", "/workspace/"))
    return client.post(path, data={**(data or {}), "csrf_token": token}, **kwargs)
