"""How every download of an assessment is served: its file name, and headers that keep it out of caches.

Used by this blueprint's exports and by the answers-file downloads of the workspace and the API, so that all of
them are named and cached alike.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from datetime import datetime
from typing import Protocol

from flask import Response

from ..models import Assessment

YAML = "application/yaml; charset=utf-8"


class Downloadable(Protocol):
    """What a file name is made of (services.exports.ExportData and AnswersFile have it)."""

    assessment: Assessment
    organisation: str
    generated_at: datetime


def filename(data: Downloadable, what: str, extension: str) -> str:
    """Such as northwind-apps-assessment-12-findings-2026-11-26.csv: sorts well in a folder of many clients."""
    day = data.generated_at.date().isoformat()
    return f"{slug(data.organisation)}-assessment-{data.assessment.id}-{what}-{day}.{extension}"


def slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:60].strip("-") or "organisation"


def attachment(body: bytes | str | Iterable[bytes], mimetype: str, name: str) -> Response:
    """`body`: the file, or an iterable of its blocks to stream it."""
    response = Response(body, content_type=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    # A client's findings and answers: not to be kept by shared caches or the browser's back-forward cache.
    response.headers["Cache-Control"] = "private, no-store"
    return response
