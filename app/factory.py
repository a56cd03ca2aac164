"""The application factory: configuration, extensions, blueprints, error handlers and security headers."""

from __future__ import annotations

import os
from typing import Any

import sqlalchemy.exc as sa_exc
from flask import Flask, current_app, jsonify, make_response, request, send_from_directory, session
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException
from werkzeug.middleware.proxy_fix import ProxyFix

from .config import engine_options, from_environment
from .database import is_unavailable
from .engine import load_knowledge_base
from .error_pages import render_error_page
from .evidence_files.storage import from_settings as storage_from_settings
from .extensions import EVIDENCE_STORAGE_KEY, KB_KEY, csrf, db, htmx, knowledge_base, login_manager, mail, migrate
from .fragment_cache import FragmentCache
from .knowledge.answers import answer_label
from .request_checks import register_request_checks
from .services.errors import ServiceError

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
        if "SQLALCHEMY_ENGINE_OPTIONS" not in test_config:
            app.config["SQLALCHEMY_ENGINE_OPTIONS"] = engine_options(
                app.config["SQLALCHEMY_DATABASE_URI"], app.config["DATABASE_BUSY_TIMEOUT"]
            )
    # Refuse to start on an invalid knowledge base: KnowledgeBaseInvalid lists every problem.
    app.extensions[KB_KEY] = load_knowledge_base(app.config["KNOWLEDGE_BASE_DIR"])
    app.extensions[EVIDENCE_STORAGE_KEY] = storage_from_settings(app.config, app.instance_path)
    register_extensions(app)
    register_request_checks(app)  # before the blueprints: their routes use its id converter
    register_blueprints(app)
    register_errorhandlers(app)
    register_security_headers(app)
    register_favicon(app)
    app.context_processor(lambda: {"kb": knowledge_base()})
    app.jinja_env.globals["answer_label"] = answer_label
    app.jinja_env.add_extension(FragmentCache)
    return app


def register_extensions(app: Flask) -> None:
    from . import models  # noqa: F401  (the models register themselves on db.metadata)
    from .auth import loaders  # noqa: F401
    from .auth.sessions import DatabaseSessionInterface

    db.init_app(app)
    # Before CSRFProtect and Flask-Login install theirs: a session that could not be read is a 503, not a CSRF
    # failure; and the session is saved after every other after_request function (they run last-registered first).
    app.before_request(_session_store_down)
    app.after_request(_save_session)
    login_manager.init_app(app)
    app.session_interface = DatabaseSessionInterface()
    migrate.init_app(app, db, directory=os.path.join(os.path.dirname(app.root_path), "migrations"))
    csrf.init_app(app)
    htmx.init_app(app)
    mail.init_app(app)
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        from .database import enable_sqlite_wal

        with app.app_context():
            enable_sqlite_wal(db.engine)


def register_blueprints(app: Flask) -> None:
    from .api import register_api
    from .auth import bp as auth_bp
    from .chat import bp as chat_bp
    from .evidence_pages import bp as evidence_bp
    from .evidence_web import bp as proposals_bp
    from .exports import bp as exports_bp
    from .kb import bp as kb_bp
    from .progress import bp as progress_bp
    from .respondents import bp as respondents_bp
    from .results import bp as results_bp
    from .workspace import bp as workspace_bp

    app.register_blueprint(kb_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(workspace_bp)
    app.register_blueprint(chat_bp)
    app.register_blueprint(exports_bp)
    app.register_blueprint(progress_bp)
    app.register_blueprint(results_bp)
    app.register_blueprint(respondents_bp)
    app.register_blueprint(proposals_bp)
    app.register_blueprint(evidence_bp)
    register_api(app)


def register_errorhandlers(app: Flask) -> None:
    from .api.errors import from_http_exception, from_service_error

    def render_error(error: HTTPException):
        if wants_json():
            return from_http_exception(error)
        # werkzeug's stock descriptions ("The requested URL was not found on the server...") say less than the
        # page's own next step; a description the app gave (abort(404, description=...)) is kept.
        description = error.description if error.description != type(error).description else None
        return render_error_page(error.code or 500, description, name=error.name, csrf=isinstance(error, CSRFError))

    # Every HTTP error (an unhandled exception arrives as a 500): this replaces the handler flask-smorest registers,
    # which would answer JSON on the pages too.
    app.errorhandler(HTTPException)(render_error)

    @app.errorhandler(ServiceError)
    def service_error(error: ServiceError):
        # A refused use case may have flushed part of its work (several answers, say): none of it may be committed
        # by whatever runs next in this session.
        db.session.rollback()
        if wants_json():
            return from_service_error(error)
        return render_error_page(error.status, error.message)

    @app.errorhandler(sa_exc.DBAPIError)
    def database_error(error: sa_exc.DBAPIError):
        if not is_unavailable(error):
            raise error  # a bug, not the database being away: a 500 with its traceback in the log
        return database_unavailable(error)


def register_favicon(app: Flask) -> None:
    # Browsers ask for /favicon.ico whatever the page links; pages link the SVG icon, this answers the old request.
    static = os.path.join(app.root_path, "static")
    app.add_url_rule(
        "/favicon.ico",
        "favicon",
        lambda: send_from_directory(static, "favicon.ico", mimetype="image/vnd.microsoft.icon", max_age=86400),
    )


def _session_store_down():
    if getattr(session, "unavailable", False):
        return database_unavailable(None)
    return None


def _save_session(response):
    try:
        current_app.session_interface.save_before_sending(current_app, session, response)
    except sa_exc.DBAPIError as error:
        if not is_unavailable(error):
            raise
        session.unavailable = True  # the error page must not try again
        return make_response(database_unavailable(error))
    return response


def database_unavailable(error: Exception | None):
    # The transaction is rolled back whole: nothing half-written, and the user is told to retry.
    db.session.rollback()
    current_app.logger.warning("database unavailable: %s", error)
    message = "The database is not available right now. Nothing was saved; please try again in a moment."
    if wants_json():
        return jsonify(code=503, message=message), 503, {"Retry-After": "5"}
    page, code = render_error_page(503, message, offline=True)
    return page, code, {"Retry-After": "5"}


def wants_json() -> bool:
    return request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json"


def register_security_headers(app: Flask) -> None:
    if app.config.get("PROXY_HOPS"):
        # The client's address (login throttling), scheme (secure cookies, redirects) and host, as the proxies saw
        # them; only as many hops as configured are believed, so a client cannot forge them.
        hops = app.config["PROXY_HOPS"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    hsts = app.config.get("HSTS_SECONDS")

    @app.after_request
    def headers(response):
        if hsts and request.is_secure:
            response.headers.setdefault("Strict-Transport-Security", f"max-age={hsts}; includeSubDomains")
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("X-Frame-Options", "DENY")
        if response.mimetype == "text/html":
            response.vary.add("HX-Request")
        return response
