"""Configuration from the environment; nothing here is a secret baked into the code."""

from __future__ import annotations

import math
import os
import secrets
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_BUSY_TIMEOUT = 5.0  # seconds; CLAUSEWISE_DB_BUSY_TIMEOUT


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
    busy_timeout = float(os.environ.get("CLAUSEWISE_DB_BUSY_TIMEOUT") or DEFAULT_BUSY_TIMEOUT)
    return {
        # Without SECRET_KEY each process makes its own, so sessions do not survive a restart: fine for a demo,
        # and the README says to set it for anything else.
        "SECRET_KEY": os.environ.get("SECRET_KEY") or secrets.token_hex(32),
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SQLALCHEMY_ENGINE_OPTIONS": engine_options(database_url, busy_timeout),
        "DATABASE_BUSY_TIMEOUT": busy_timeout,
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
        # How long an invitation link (to an organisation or to answer an assessment) stays usable.
        "INVITATION_DAYS": _positive_int("CLAUSEWISE_INVITATION_DAYS", 7),
        **mail_settings(),
        **evidence_settings(),
        # `make bench` only: serve the floor endpoint the chat round trip is measured against.
        "BENCH_FLOOR": os.environ.get("CLAUSEWISE_BENCH_FLOOR") == "1",
    }


def _positive_int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ValueError(f"{name} must be a whole number, not {raw!r}") from None
    if value < 1:
        raise ValueError(f"{name} must be at least 1, not {value}")
    return value


def evidence_settings() -> dict:
    """Evidence files: their size limit, and where they are kept (app.evidence_files.storage.from_settings)."""
    return {
        "EVIDENCE_MAX_BYTES": _positive_int("CLAUSEWISE_EVIDENCE_MAX_BYTES", 20 * 1024 * 1024),
        "EVIDENCE_DIR": os.environ.get("CLAUSEWISE_EVIDENCE_DIR") or None,
        "EVIDENCE_S3_BUCKET": os.environ.get("CLAUSEWISE_EVIDENCE_S3_BUCKET") or None,
        "EVIDENCE_S3_ENDPOINT": os.environ.get("CLAUSEWISE_EVIDENCE_S3_ENDPOINT") or None,
        "EVIDENCE_S3_PREFIX": os.environ.get("CLAUSEWISE_EVIDENCE_S3_PREFIX") or "evidence/",
    }


def mail_settings() -> dict:
    """Flask-Mailman's settings. Without MAIL_SERVER nothing is sent: invitation links are shown to copy instead."""
    return {
        "MAIL_SERVER": os.environ.get("MAIL_SERVER") or None,
        "MAIL_PORT": int(os.environ.get("MAIL_PORT") or 25),
        "MAIL_USERNAME": os.environ.get("MAIL_USERNAME") or None,
        "MAIL_PASSWORD": os.environ.get("MAIL_PASSWORD") or None,
        "MAIL_USE_TLS": _flag("MAIL_USE_TLS"),
        "MAIL_USE_SSL": _flag("MAIL_USE_SSL"),
        "MAIL_DEFAULT_SENDER": os.environ.get("MAIL_DEFAULT_SENDER") or "clausewise@localhost",
        # A request waits for the SMTP server: never for long.
        "MAIL_TIMEOUT": int(os.environ.get("MAIL_TIMEOUT") or 10),
        # Real SMTP even under TESTING (Flask-Mailman would otherwise keep messages in memory): the tests run a server.
        "MAIL_BACKEND": "smtp",
    }


def engine_options(database_url: str, busy_timeout: float = DEFAULT_BUSY_TIMEOUT) -> dict:
    """How long a query waits for a lock another connection holds before the request gives up with a 503: long
    enough to ride out a concurrent writer, short enough that a database locked for minutes does not leave every
    worker, and every user, hanging."""
    if database_url.startswith("sqlite"):
        # WAL is switched on at connect, so readers do not wait for writers; a writer waits this long for another.
        return {"connect_args": {"timeout": busy_timeout}}
    connect_args = {
        "options": f"-c lock_timeout={round(busy_timeout * 1000)}",
        # A server that does not answer at all (not one that refuses): without this, connecting waits minutes.
        "connect_timeout": max(2, math.ceil(busy_timeout)),
    }
    return {"pool_pre_ping": True, "pool_recycle": 1800, "connect_args": connect_args}
