"""Optimistic concurrency over HTTP: an ETag carries a row's version; If-Match (or a body `version`) sends it back."""

from __future__ import annotations

from flask import request
from flask_smorest import abort

# How the responses that send etag() document it.
ETAG_HEADER = {
    "ETag": {"description": 'The version, quoted: "3"', "schema": {"type": "string", "pattern": '^"[0-9]+"$'}}
}


def etag(version: int) -> dict[str, str]:
    return {"ETag": f'"{version}"'}


def expected_version(body_version: int | None) -> int | None:
    """The version the client last read, from If-Match or the body; None when it sent neither (last write wins)."""
    if "If-Match" not in request.headers or request.if_match.star_tag:
        return body_version
    tags = request.if_match.as_set(include_weak=True)
    if len(tags) != 1 or not next(iter(tags)).isdigit():
        message = 'If-Match takes the one ETag this API sent, such as "3"'
        abort(422, message=message, errors={"If-Match": [message]})
    version = int(next(iter(tags)))
    if body_version is not None and body_version != version:
        message = f"If-Match says version {version} but the body says {body_version}"
        abort(422, message=message, errors={"If-Match": [message], "version": [message]})
    return version


def refuse_if_match(reason: str) -> None:
    """A precondition the server cannot check is refused rather than silently ignored."""
    if "If-Match" in request.headers:
        abort(422, message=reason, errors={"If-Match": [reason]})
