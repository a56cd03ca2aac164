"""The JSON API under /api/v1: a flask-smorest blueprint per resource, authenticated by personal API token only."""

from __future__ import annotations

from flask import Flask

from ..extensions import csrf, login_manager
from . import (
    answer_files,
    answers,
    assessments,
    downloads,
    evaluation,
    evidence,
    organisations,
    plan,
    proposals,
    respondents,
)
from .auth import PREFIX, unauthorized
from .document import ClausewiseApi, ContractPlugin

BLUEPRINTS = (
    organisations.blp,
    assessments.blp,
    answers.blp,
    evaluation.blp,
    plan.blp,
    answer_files.blp,
    respondents.blp,
    proposals.blp,
    downloads.blp,
    evidence.blp,
)


def register_api(app: Flask) -> ClausewiseApi:
    app.config.setdefault("API_TITLE", "Clausewise")
    app.config.setdefault("API_VERSION", "v1")
    app.config.setdefault("OPENAPI_VERSION", "3.1.0")
    app.config.setdefault("OPENAPI_URL_PREFIX", PREFIX)
    app.config.setdefault("OPENAPI_JSON_PATH", "openapi.json")
    app.config.setdefault(
        "API_SPEC_OPTIONS",
        {
            "security": [{"bearerAuth": []}],
            "components": {"securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}}},
        },
    )
    # One Api per app: it keeps the app and its OpenAPI document, and tests make many apps.
    api = ClausewiseApi(app, spec_kwargs={"extra_plugins": [ContractPlugin()]})
    for blueprint in BLUEPRINTS:
        # Requests are authenticated by bearer token only, never by the cookie, so there is no CSRF to guard.
        csrf.exempt(blueprint)
        api.register_blueprint(blueprint)
    login_manager.unauthorized_handler(unauthorized)
    return api
