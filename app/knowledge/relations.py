"""The types of the knowledge-base files that relate one part to another: crosswalks between editions of a
standard, mappings from another standard, ways of working. Plain values with no import from the rest of the
knowledge package, so that the model can name them and the files' schemas and checks can build on both.
"""

from __future__ import annotations

from collections.abc import Mapping as AnyMapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Correspondence:
    """Where one clause of the older edition went (`source` is None for a clause new in the newer one)."""

    source: str | None
    targets: tuple[str, ...]
    relation: str
    note: str = ""
    # Questions of the older edition's questionnaires whose answers show whether what changed is in place.
    asks: tuple[str, ...] = ()
    # Where a reference to a split clause goes when an assessment is read in the newer edition (knowledge.rekey):
    # `lands`, unless `lands_by` names the question or rule making the reference (its requirement lands elsewhere).
    lands: str | None = None
    lands_by: tuple[tuple[str, str], ...] = ()

    def landing(self, by: str | None = None) -> tuple[str, ...]:
        """The newer edition's clauses a reference to this one is read as, made by question or rule `by`."""
        if self.relation != "split":
            return self.targets
        chosen = dict(self.lands_by).get(by) if by else None
        return (chosen or self.lands or self.targets[0],)


@dataclass(frozen=True)
class Crosswalk:
    id: str
    source: str  # catalogue id of the older edition
    target: str  # catalogue id of the newer edition
    clauses: tuple[Correspondence, ...]

    def targets_of(self, clause_id: str) -> tuple[str, ...]:
        """The newer edition's clauses a clause of the older one is read as (empty when it is unknown)."""
        return next((c.targets for c in self.clauses if c.source == clause_id), ())

    def sources_of(self, clause_id: str) -> tuple[str, ...]:
        """The older edition's clauses that became this clause of the newer one (empty for a new requirement)."""
        return tuple(c.source for c in self.clauses if c.source and clause_id in c.targets)

    def changes(self) -> tuple[Correspondence, ...]:
        """What a certified organisation has to look at again: every correspondence that is not `same`."""
        return tuple(c for c in self.clauses if c.relation != "same")


@dataclass(frozen=True)
class MappingEntry:
    source: str  # a clause ("9.2") or an Annex A control ("A.5.19") of the other standard
    title: str
    targets: tuple[str, ...]
    relation: str
    note: str
    answers: tuple[str, ...] = ()


@dataclass(frozen=True)
class Mapping:
    id: str
    source: str  # the other standard, e.g. iso27001-2022
    target: str  # the ISO 9001 catalogue id
    certificate: str  # the value of existing_certifications that declares the other system
    entries: tuple[MappingEntry, ...]

    def suggested_questions(self) -> dict[str, tuple[MappingEntry, ...]]:
        """Question id -> the entries whose evidence can answer it (covers and partly_covers only)."""
        out: dict[str, list[MappingEntry]] = {}
        for entry in self.entries:
            if entry.relation == "different_intent":
                continue
            for question in entry.answers:
                out.setdefault(question, []).append(entry)
        return {q: tuple(e) for q, e in out.items()}


@dataclass(frozen=True)
class Way:
    id: str
    name: str  # as the report says it: "recommendations worded for <name>"
    when: tuple[tuple[str, frozenset[str]], ...]  # every question answered with one of its values

    def fits(self, answers: AnyMapping[str, Any]) -> bool:
        return all(_plain(answers.get(question)) in values for question, values in self.when)


def way_of(ways: tuple[Way, ...], answers: AnyMapping[str, Any]) -> Way | None:
    """The first way that fits these answers (the file's order is the priority), or None: the neutral wording."""
    return next((way for way in ways if way.fits(answers)), None)


def _plain(value: Any) -> Any:
    return value if isinstance(value, str) else None  # a list or number never names a way
