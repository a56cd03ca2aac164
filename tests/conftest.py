"""One fixture set for the whole suite."""

from __future__ import annotations

import os
import socket
import tempfile

import pytest

from app.config import PROJECT_ROOT
from app.engine import forget_programs, load_knowledge_base
from app.extensions import db
from app.factory import create_app

from .kbfactory import make_kb


@pytest.fixture(scope="session")
def real_kb():
    """The knowledge base the product ships."""
    return load_knowledge_base(PROJECT_ROOT)


@pytest.fixture
def mini_kb_dir(tmp_path):
    return make_kb(tmp_path / "kb")


@pytest.fixture
def mini_kb(mini_kb_dir):
    return load_knowledge_base(mini_kb_dir)


def make_app(database_url: str, **config):
    """An app on a fresh schema (the migrations themselves are tested in test_database.py)."""
    # Evidence files go to a folder of the test's own, never to the checkout's instance folder.
    config.setdefault("EVIDENCE_DIR", tempfile.mkdtemp(prefix="clausewise-evidence-"))
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url, **config})
    with app.app_context():
        db.drop_all()
        db.create_all()
    return app


def dispose(app) -> None:
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def app(tmp_path):
    app = make_app(f"sqlite:///{tmp_path / 'test.sqlite3'}")
    yield app
    dispose(app)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture(scope="session", autouse=True)
def _release_engine_programs():
    yield
    forget_programs()


def _database_urls():
    urls = [pytest.param("sqlite", id="sqlite")]
    postgres = os.environ.get("CLAUSEWISE_TEST_POSTGRES")
    if postgres:
        urls.append(pytest.param(postgres, id="postgresql", marks=pytest.mark.postgres))
    return urls


@pytest.fixture(params=_database_urls())
def database_url(request, tmp_path):
    """Each database test runs on SQLite and, when CLAUSEWISE_TEST_POSTGRES is set, on PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'db.sqlite3'}"
    return request.param


@pytest.fixture
def db_app(database_url):
    app = make_app(database_url)
    yield app
    with app.app_context():
        db.session.remove()
        db.drop_all()
    dispose(app)


@pytest.fixture
def s3_endpoint():
    """An S3-compatible server (moto's) on a loopback port, for the evidence storage; the address to give boto3."""
    from moto.server import ThreadedMotoServer  # a dev dependency: installed by make test, never skipped

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.stop()
