"""Clausewise: ISO 9001 readiness for software organisations."""

from __future__ import annotations

import os
from typing import Any

from flask import Flask, current_app, render_template

from .config import from_environment
from .engine import load_knowledge_base
from .extensions import csrf, db, htmx, migrate
from .knowledge.model import KnowledgeBase

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    app = Flask(__name__, instance_relative_config=True)
    os.makedirs(app.instance_path, exist_ok=True)
    app.config.from_mapping(from_environment(app.instance_path))
    if test_config:
        app.config.from_mapping(test_config)
    # Refuse to start on an invalid knowledge base: KnowledgeBaseInvalid lists every problem.
    app.extensions["clausewise.kb"] = load_knowledge_base(app.config["KNOWLEDGE_BASE_DIR"])
    register_extensions(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_security_headers(app)
    return app


def knowledge_base() -> KnowledgeBase:
    return current_app.extensions["clausewise.kb"]


def register_extensions(app: Flask) -> None:
    db.init_app(app)
    migrate.init_app(app, db, directory=os.path.join(os.path.dirname(app.root_path), "migrations"))
    csrf.init_app(app)
    htmx.init_app(app)
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        from .database import enable_sqlite_wal

        with app.app_context():
            enable_sqlite_wal(db.engine)


def register_blueprints(app: Flask) -> None:
    from .kb import bp as kb_bp

    app.register_blueprint(kb_bp)


def register_errorhandlers(app: Flask) -> None:
    def render_error(error):
        code = getattr(error, "code", 500)
        return render_template("error.html", code=code, description=getattr(error, "description", "")), code

    for code in (400, 403, 404, 405, 500):
        app.errorhandler(code)(render_error)


def register_security_headers(app: Flask) -> None:
    @app.after_request
    def headers(response):
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("X-Frame-Options", "DENY")
        if response.mimetype == "text/html":
            response.vary.add("HX-Request")
        return response
