"""Configuration from the environment; nothing here is a secret baked into the code."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def knowledge_base_dir() -> Path:
    """Where rules/ and questionnaires/ live: CLAUSEWISE_KB_DIR, or the checkout this package runs from."""
    return Path(os.environ.get("CLAUSEWISE_KB_DIR") or PROJECT_ROOT)


def _flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in {"1", "true", "yes", "on"}


def from_environment(instance_path: str) -> dict:
    database_url = os.environ.get("DATABASE_URL") or f"sqlite:///{Path(instance_path) / 'clausewise.sqlite3'}"
    if database_url.startswith("postgres://"):  # the scheme some hosts still hand out
        database_url = "postgresql+psycopg://" + database_url.removeprefix("postgres://")
    elif database_url.startswith("postgresql://"):
        database_url = "postgresql+psycopg://" + database_url.removeprefix("postgresql://")
    return {
        # Without SECRET_KEY each process makes its own, so sessions do not survive a restart: fine for a demo,
        # and the README says to set it for anything else.
        "SECRET_KEY": os.environ.get("SECRET_KEY") or secrets.token_hex(32),
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SQLALCHEMY_ENGINE_OPTIONS": engine_options(database_url),
        "KNOWLEDGE_BASE_DIR": str(knowledge_base_dir()),
        "SESSION_COOKIE_HTTPONLY": True,
        # Behind HTTPS (directly or through a TLS-terminating proxy): cookies only over TLS, and browsers told to
        # use nothing else. Off by default, so `make run` on http://127.0.0.1 keeps working.
        "SESSION_COOKIE_SECURE": _flag("CLAUSEWISE_SECURE_COOKIES"),
        "REMEMBER_COOKIE_SECURE": _flag("CLAUSEWISE_SECURE_COOKIES"),
        "HSTS_SECONDS": int(os.environ.get("CLAUSEWISE_HSTS_SECONDS") or 0),
        # How many proxies in front of the app set X-Forwarded-For/-Proto/-Host (0: trust none of them).
        "PROXY_HOPS": int(os.environ.get("CLAUSEWISE_PROXY_HOPS") or 0),
        "SESSION_COOKIE_SAMESITE": "Lax",
        "WTF_CSRF_TIME_LIMIT": None,
        # Every request body is read whole; nothing the app accepts comes near this (an answers file is ~100 kB).
        "MAX_CONTENT_LENGTH": int(os.environ.get("CLAUSEWISE_MAX_CONTENT_LENGTH") or 2 * 1024 * 1024),
        # `make bench` only: serve the floor endpoint the chat round trip is measured against.
        "BENCH_FLOOR": os.environ.get("CLAUSEWISE_BENCH_FLOOR") == "1",
    }


def engine_options(database_url: str) -> dict:
    if database_url.startswith("sqlite"):
        # Wait for a concurrent writer instead of failing at once; WAL is switched on at connect.
        return {"connect_args": {"timeout": 15}}
    return {"pool_pre_ping": True, "pool_recycle": 1800}
