"""An evidence file served for download, the same from the pages and the API."""

from __future__ import annotations

from flask import Response

from ..models import Evidence
from ..services import evidence


def attachment_of(item: Evidence) -> Response:
    """The bytes as an attachment in the type read from their content when they were added: a browser neither
    shows them inline nor guesses another type (an HTML file named .txt stays text)."""
    response = Response(evidence.content(item), content_type=item.content_type)
    response.headers["Content-Disposition"] = f'attachment; filename="{item.filename}"'
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["X-Content-SHA256"] = item.sha256
    response.headers["Cache-Control"] = "private, no-store"
    return response
