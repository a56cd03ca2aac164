"""One fixture set for the whole suite."""

from __future__ import annotations

import os

import pytest

from app import create_app
from app.config import PROJECT_ROOT
from app.engine import forget_programs, load_knowledge_base

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


@pytest.fixture
def app(tmp_path):
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'test.sqlite3'}"})
    yield app
    from app.extensions import db

    with app.app_context():
        db.engine.dispose()


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
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url})
    yield app
    from app.extensions import db

    with app.app_context():
        db.engine.dispose()
