"""One shape for every API error: {code, status, message, errors}, errors holding a list of messages per field."""

from __future__ import annotations

from flask import jsonify
from werkzeug.exceptions import HTTPException
from werkzeug.http import HTTP_STATUS_CODES

from ..services.errors import ServiceError


def error_response(code: int, message: str, errors: dict | None = None, headers: dict | None = None):
    body = {"code": code, "status": HTTP_STATUS_CODES.get(code, "Error"), "message": message}
    if errors:
        body["errors"] = errors
    return jsonify(body), code, headers or {}


def from_http_exception(error: HTTPException):
    # flask-smorest's abort keeps message and errors in error.data; webargs puts field messages under "messages".
    data = getattr(error, "data", None) or {}
    errors = data.get("errors") or data.get("messages")
    message = data.get("message") or ("invalid input: see errors for a message per field" if errors else None)
    # werkzeug's own headers (Allow on a 405) without its HTML content type.
    headers = {k: v for k, v in error.get_headers() if k.lower() != "content-type"}
    headers.update(data.get("headers") or {})
    return error_response(error.code or 500, message or error.description or "", errors, headers)


def from_service_error(error: ServiceError):
    return error_response(error.status, error.message, error.fields)
