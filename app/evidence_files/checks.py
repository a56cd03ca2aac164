"""What an evidence file may be: its size, its type read from its content (never from its name), its name made safe.

The binary kinds are recognised by `filetype` from their first bytes; text is text when it decodes as UTF-8 and holds
no NUL byte, and only then does the name's extension choose between plain text, Markdown, CSV, JSON and YAML.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from dataclasses import dataclass

import filetype
import yaml
from werkzeug.utils import secure_filename

DEFAULT_MAX_BYTES = 20 * 1024 * 1024

_BINARY = {
    "application/pdf": "pdf",
    "image/png": "png",
    "image/jpeg": "jpg",
}
# ZIP-based office documents: OOXML (Word, Excel, PowerPoint) and OpenDocument.
_OFFICE = {
    "word/": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"),
    "xl/": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "ppt/": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", "pptx"),
}
_TEXT = {
    "md": "text/markdown",
    "markdown": "text/markdown",
    "csv": "text/csv",
    "json": "application/json",
    "yaml": "application/yaml",
    "yml": "application/yaml",
}


class Refused(ValueError):
    """The file is not taken; the message says why, in words a user can act on."""


@dataclass(frozen=True)
class Accepted:
    filename: str
    content_type: str
    size: int
    sha256: str


def accepted(data: bytes, name: str, max_bytes: int = DEFAULT_MAX_BYTES) -> Accepted:
    """The file as it will be stored, or Refused saying why not."""
    if not data:
        raise Refused("the file is empty")
    if len(data) > max_bytes:
        raise Refused(f"the file is {_mb(len(data))}; evidence files can be at most {_mb(max_bytes)}")
    content_type, extension = _kind(data, name)
    safe = secure_filename(name or "") or "evidence"
    stem, dot, given = safe.rpartition(".")
    if not dot or given.lower() != extension:
        safe = f"{stem or given}.{extension}" if dot else f"{safe}.{extension}"
    return Accepted(safe[:200], content_type, len(data), hashlib.sha256(data).hexdigest())


def _kind(data: bytes, name: str) -> tuple[str, str]:
    guess = filetype.guess(data)
    if guess is not None:
        if guess.mime in _BINARY:
            return guess.mime, _BINARY[guess.mime]
        office = _office(data) if guess.mime in _ZIPS else None
        if office:
            return office
        raise Refused(f"this kind of file ({guess.mime}) is not taken as evidence; {_ALLOWED}")
    if b"\x00" in data:
        raise Refused(f"this file is not a kind taken as evidence; {_ALLOWED}")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise Refused(f"this file is not a kind taken as evidence; {_ALLOWED}") from None
    extension = name.rpartition(".")[2].lower() if "." in (name or "") else "txt"
    content_type = _TEXT.get(extension, "text/plain")
    if content_type == "application/json":
        try:
            json.loads(text)
        except ValueError:
            raise Refused("the file is named .json but is not valid JSON") from None
    elif content_type == "application/yaml":
        try:
            yaml.safe_load(text)
        except yaml.YAMLError:
            raise Refused("the file is named .yaml but is not valid YAML") from None
    return content_type, extension if extension in _TEXT else "txt"


_ZIPS = {
    "application/zip",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "application/vnd.oasis.opendocument.text",
    "application/vnd.oasis.opendocument.spreadsheet",
    "application/vnd.oasis.opendocument.presentation",
}
# Every content type a file can be stored with (the API documents its downloads with them).
ACCEPTED_TYPES = (
    *_BINARY,
    *(kind for kind, _ in _OFFICE.values()),
    *(f"application/vnd.oasis.opendocument.{kind}" for kind in ("text", "spreadsheet", "presentation")),
    "text/plain",
    *dict.fromkeys(_TEXT.values()),
)
_ALLOWED = "send a PDF, PNG, JPEG, text, Markdown, CSV, JSON, YAML or office document"


def _office(data: bytes) -> tuple[str, str] | None:
    """An office document is a ZIP with a known layout; any other ZIP is refused."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
            if "mimetype" in names:
                mime = archive.read("mimetype").decode("ascii", "replace").strip()
                if mime.startswith("application/vnd.oasis.opendocument."):
                    return mime, "od" + mime.rsplit(".", 1)[1][0]
                return None
    except zipfile.BadZipFile:
        return None
    if "[Content_Types].xml" not in names:
        return None
    for prefix, kind in _OFFICE.items():
        if any(n.startswith(prefix) for n in names):
            return kind
    return None


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"
