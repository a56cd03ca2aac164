"""An assessment's evidence as an auditor takes it away: a ZIP with every file under the clause it serves, and an
index (CSV and HTML) that lists the files, the links and the repository references.

Plain Python: evidence rows (services.exports.EvidenceRow) and a way to read a file's bytes in, a ZIP out. Every
name inside the ZIP is made here from parts that are each reduced to a safe set of characters, so that no name a
user typed (a title, a file name) can climb out of the folder it is unpacked into or land on an absolute path.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, BinaryIO

INDEX_COLUMNS = (
    "Clause",
    "Question or action",
    "Answer or status",
    "Title",
    "Kind",
    "Path in the pack or address",
    "SHA-256",
    "Added by",
    "Added at (UTC)",
    "Status",
)
PLAN_FOLDER = "plan"
UNFILED_FOLDER = "not-under-a-clause"  # evidence on a question that informs no clause of the edition
MAX_PART = 80  # characters of one folder or file name: unpacks on every file system, well under 255 bytes

_UNSAFE = re.compile(r"[^\w.,()+ -]+")  # \w is Unicode-aware: accented titles stay readable


@dataclass(frozen=True)
class PackEntry:
    """One line of the index: a piece of evidence under one clause it serves (a file serving two clauses is in
    the pack twice, once in each clause's folder)."""

    clause: str  # "7.2 Competence", "plan" or ""
    row: Any  # services.exports.EvidenceRow
    path: str  # inside the ZIP; "" for a link, a reference or a missing file

    @property
    def location(self) -> str:
        if self.path:
            return self.path
        if self.row.kind == "link":
            return self.row.url
        if self.row.kind == "reference":
            return self.row.filename  # the path in the team's repository, the commit is in the title
        return "missing from the evidence storage"


def safe_part(text: str, fallback: str = "_") -> str:
    """One folder or file name: no separator, no leading dot (so never "." or ".."), no control character."""
    text = unicodedata.normalize("NFC", text)
    text = _UNSAFE.sub("_", text).strip(" .")
    text = re.sub(r"_{2,}", "_", text)
    if len(text) > MAX_PART:  # keep the extension, which says what opens the file
        stem, dot, extension = text.rpartition(".")
        extension = extension[:10] if dot else ""
        text = (stem if dot else text)[: MAX_PART - len(extension) - 1].rstrip(" .") + (
            f".{extension}" if extension else ""
        )
    return text or fallback


def clause_folder(clause_id: str, title: str) -> str:
    return safe_part(f"{clause_id} {title}".strip(), fallback="clause")


def entries(rows: Iterable[Any]) -> list[PackEntry]:
    """The index, one entry per (evidence, clause it serves), by clause then in the rows' own order."""
    found: list[tuple[tuple, PackEntry]] = []
    for position, row in enumerate(rows):
        # (group, clause, folder): clauses first in clause order, then what no clause files, then the plan's
        if row.action_id is not None:
            places = [(2, PLAN_FOLDER, f"{PLAN_FOLDER}/{safe_part(row.action_id)}")]
        elif row.clauses:
            places = [
                (0, f"{c} {t}".strip(), f"{clause_folder(c, t)}/{safe_part(row.question_id)}") for c, t in row.clauses
            ]
        else:
            places = [(1, "", f"{UNFILED_FOLDER}/{safe_part(row.question_id)}")]
        for group, clause, folder in places:
            path = ""
            if row.kind == "file" and not row.missing:
                path = f"{folder}/{row.id}-{safe_part(row.filename, fallback='evidence')}"
            key = (group, _clause_key(clause) if group == 0 else (), position)
            found.append((key, PackEntry(clause, row, path)))
    return [entry for _, entry in sorted(found, key=lambda e: e[0])]


def _clause_key(clause: str) -> tuple:
    """7.1.5 before 7.10; an id that is not all numbers (an annex control) after those, alphabetically."""
    clause_id = clause.split(" ", 1)[0]
    parts = clause_id.split(".")
    if all(p.isdigit() for p in parts):
        return (0, tuple(int(p) for p in parts), "")
    return (1, (), clause_id)


def index_rows(pack: Sequence[PackEntry], utc_cell: Callable[[Any], Any]) -> list[tuple[Any, ...]]:
    return [
        (
            e.clause,
            e.row.subject,
            e.row.answer,
            e.row.title,
            e.row.kind,
            e.location,
            e.row.sha256,
            e.row.added_by,
            utc_cell(e.row.added_at),
            e.row.status,
        )
        for e in pack
    ]


def write_zip(out: BinaryIO, pack: Sequence[PackEntry], index: dict[str, bytes], read: Callable[[str], bytes]) -> None:
    """The index files at the top, then every file entry. Each stored file is read once, however many entries
    (clauses, or records of the same bytes) it has, and checked against its SHA-256 before it goes in: a pack
    that says a file has a digest must hold exactly those bytes."""
    by_digest: dict[str, list[PackEntry]] = {}
    for entry in pack:
        if entry.path:
            by_digest.setdefault(entry.row.sha256, []).append(entry)
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, body in index.items():
            archive.writestr(safe_part(name), body)
        for digest, sharing in by_digest.items():
            data = read(digest)
            if hashlib.sha256(data).hexdigest() != digest:
                raise ValueError(f"the evidence storage returned other bytes than those of {digest}")
            for entry in sharing:
                archive.writestr(_checked_name(entry.path), data)
            del data  # one file in memory at a time: evidence files are up to the upload limit each


def _checked_name(path: str) -> str:
    """A last guard on top of safe_part: every name is relative and never climbs."""
    parts = path.split("/")
    if path.startswith("/") or any(p in ("", ".", "..") for p in parts) or "\\" in path:
        raise ValueError(f"unsafe name in the evidence pack: {path!r}")
    return path
