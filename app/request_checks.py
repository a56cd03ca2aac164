"""What every request must satisfy before any view reads it: a bounded body, JSON that parses without surprises,
database ids within the database's integer range, and text that both databases can store.

Each refusal says what is wrong and where, and nothing has been read or written by then."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from flask import Flask, Request, abort, current_app, request
from werkzeug.routing import IntegerConverter

# The largest value of the primary keys, INTEGER columns (32 bits on PostgreSQL): a larger id names no row, and
# PostgreSQL would refuse to compare it with one.
MAX_ID = 2**31 - 1
# NUL is refused by PostgreSQL's text columns; a lone UTF-16 surrogate cannot be encoded as UTF-8 at all.
UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


class DatabaseId(IntegerConverter):
    """`<int:...>` in every route: ids beyond the database's range match no route (a 404, not an overflow)."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


# Above a file of the largest size allowed, room for the multipart framing and a title.
UPLOAD_OVERHEAD = 1024 * 1024


def takes_uploads(view):
    """Marks a view (or a MethodView's method) that takes an evidence file: its body may be as large as
    EVIDENCE_MAX_BYTES allows, where every other request keeps MAX_CONTENT_LENGTH."""
    view.takes_uploads = True
    return view


def body_limit(req: Request) -> int | None:
    """The largest body this request may send: MAX_CONTENT_LENGTH, or room for an evidence file."""
    limit = current_app.config.get("MAX_CONTENT_LENGTH")
    view = current_app.view_functions.get(req.endpoint or "")
    view_class = getattr(view, "view_class", None)
    handler = getattr(view_class, req.method.lower(), None) if view_class else view
    if getattr(handler, "takes_uploads", False):
        limit = max(limit or 0, current_app.config["EVIDENCE_MAX_BYTES"] + UPLOAD_OVERHEAD)
    return limit


class LimitedRequest(Request):
    """Werkzeug reads the body (for CSRFProtect's form check, before any view) up to this limit and no further."""

    @property
    def max_content_length(self) -> int | None:
        return body_limit(self)


def register_request_checks(app: Flask) -> None:
    app.url_map.converters["int"] = DatabaseId
    app.request_class = LimitedRequest
    # First of all: CSRFProtect (installed before) reads the form, and would refuse a body too large in werkzeug's
    # generic words instead of these.
    app.before_request_funcs.setdefault(None, []).insert(0, check_body_size)
    app.before_request(check_request)


def check_body_size() -> None:
    limit = body_limit(request)
    if limit and (request.content_length or 0) > limit:
        # Werkzeug refuses it too, later and in generic words: say what the limit is.
        abort(413, description=f"The request body is larger than the {_mb(limit)} this server accepts{_for(limit)}.")


def check_request() -> None:
    _check_text("path segment", (request.view_args or {}).items())
    _check_text("query parameter", request.args.items(multi=True))
    if request.is_json and request.content_length != 0:
        body = _strict_json(request.get_data(cache=True))
        _check_text("JSON field", _strings(body))
    elif request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        _check_text("form field", request.form.items(multi=True))


def _mb(size: int) -> str:
    return f"{size / 1024 / 1024:g} MB"


def _for(limit: int) -> str:
    evidence = current_app.config["EVIDENCE_MAX_BYTES"]
    return f" here (an evidence file can be at most {_mb(evidence)})" if limit > evidence else ""


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number JSON allows")


def _strict_json(data: bytes) -> Any:
    """The body as JSON without NaN or Infinity (which the standard does not allow and the answers could not be
    sent back as), refusing nesting too deep to parse and numbers too long to convert."""
    try:
        return json.loads(data, parse_constant=_refuse_constant)
    except RecursionError:
        abort(400, description="The JSON body is nested too deeply.")
    except ValueError as error:  # JSONDecodeError, NaN / Infinity, an integer of more than 4300 digits
        abort(400, description=f"The JSON body is not valid: {error}.")


def _strings(value: Any, path: str = "") -> Iterator[tuple[str, str]]:
    stack = [(path, value)]
    while stack:
        where, item = stack.pop()
        if isinstance(item, str):
            yield where or "body", item
        elif isinstance(item, dict):
            for key, child in item.items():
                yield f"{where}.{key}".lstrip(".") + " (its name)", key
                stack.append((f"{where}.{key}".lstrip("."), child))
        elif isinstance(item, list):
            stack.extend((f"{where}[{i}]", child) for i, child in enumerate(item))


def _check_text(kind: str, items) -> None:
    for name, text in items:
        if isinstance(text, str) and UNSTORABLE.search(text):
            abort(
                422,
                description=f"The {kind} '{name}' contains a character that cannot be stored "
                "(a NUL byte or an unpaired surrogate); remove it and send again.",
            )
