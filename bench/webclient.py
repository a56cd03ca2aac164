"""A Flask test client that behaves like a browser user: reads the CSRF token from pages and sends it back."""

from __future__ import annotations

import re

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_from(client, path: str = "/login") -> str:
    page = client.get(path).get_data(as_text=True)
    match = TOKEN.search(page)
    if not match:
        raise AssertionError(f"no CSRF token on {path}")
    return match.group(1)


def login(client, email: str, password: str):
    token = csrf_from(client)
    return client.post("/login", data={"email": email, "password": password, "csrf_token": token})
