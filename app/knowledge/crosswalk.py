"""Crosswalks between editions of a standard: which clause of one edition became which clause of the next.

A crosswalk is data (rules/crosswalks/*.yaml). Each leaf clause of the older edition is mapped once, to one or
more leaves of the newer one, with the relation and a note in plain words; a newer leaf that nothing reaches is
listed as new. `kb check` refuses a crosswalk that leaves a clause of either edition out, so that re-keying
answers and findings from one edition to the other can never drop a requirement without saying so.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

from marshmallow import fields, validate, validates_schema
from marshmallow.exceptions import ValidationError

from .errors import Problem
from .model import Catalogue
from .schemas import CLAUSE_ID, NON_EMPTY, BetweenSchema, Strict

RELATIONS = ("same", "renumbered", "split", "merged", "changed", "new")


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


class CorrespondenceSchema(Strict):
    source = fields.String(data_key="from", load_default=None, validate=CLAUSE_ID)
    targets = fields.List(fields.String(validate=CLAUSE_ID), data_key="to", required=True, validate=NON_EMPTY)
    relation = fields.String(required=True, validate=validate.OneOf(RELATIONS))
    note = fields.String(load_default="")
    asks = fields.List(fields.String(validate=NON_EMPTY), load_default=list)
    lands = fields.String(load_default=None, validate=CLAUSE_ID)
    lands_by = fields.Dict(
        keys=fields.String(validate=NON_EMPTY), values=fields.String(validate=CLAUSE_ID), load_default=dict
    )

    @validates_schema
    def _shape(self, data, **kwargs):
        relation, source, targets = data["relation"], data["source"], data["targets"]
        if relation == "new":
            if source is not None:
                raise ValidationError("a new requirement comes from no clause: leave 'from' out", "from")
            if len(targets) != 1:
                raise ValidationError("a new requirement is one clause", "to")
        elif source is None:
            raise ValidationError("required unless the relation is new", "from")
        if relation == "same" and targets != [source]:
            raise ValidationError("'same' keeps the clause number: use renumbered or changed", "to")
        if relation == "renumbered" and (len(targets) != 1 or targets[0] == source):
            raise ValidationError("'renumbered' names one clause with another number", "to")
        if relation == "split" and len(targets) < 2:
            raise ValidationError("'split' names at least two clauses", "to")
        if relation == "merged" and len(targets) != 1:
            raise ValidationError("'merged' names the one clause several were merged into", "to")
        if relation != "same" and not data["note"].strip():
            raise ValidationError("say in plain words what changed", "note")
        if relation != "same" and not data["asks"]:
            # Without a question, a changed requirement could only ever read "not asked" or, worse, "met".
            raise ValidationError("name the questions whose answers show whether the change is in place", "asks")
        landings = [data["lands"]] if data["lands"] else []
        landings += list(data.get("lands_by", {}).values())
        if relation == "split" and not data["lands"]:
            # A finding or question on the split clause must land on one of its parts, never on all of them.
            raise ValidationError("say which of the clauses a reference to the split one lands in", "lands")
        if relation != "split" and landings:
            raise ValidationError("only a split clause says where references land", "lands")
        if any(landing not in targets for landing in landings):
            raise ValidationError("a reference lands in one of the clauses under 'to'", "lands")


class CrosswalkSchema(BetweenSchema):
    clauses = fields.List(fields.Nested(CorrespondenceSchema), required=True, validate=NON_EMPTY)


def crosswalk_of(data: dict) -> Crosswalk:
    return Crosswalk(
        id=data["id"],
        source=data["source"],
        target=data["target"],
        clauses=tuple(
            Correspondence(
                c["source"],
                tuple(c["targets"]),
                c["relation"],
                c["note"],
                tuple(c["asks"]),
                c["lands"],
                tuple(sorted(c.get("lands_by", {}).items())),
            )
            for c in data["clauses"]
        ),
    )


def check_crosswalk(
    crosswalk: Crosswalk,
    catalogues: dict[str, Catalogue],
    questions: set[str],
    file: str,
    references: Mapping[str, tuple[str, ...]] | None = None,
) -> list[Problem]:
    """Every leaf of the older edition mapped once, every leaf of the newer one reached or marked new, every
    question named under `asks` one of the older edition's (`questions`), and every key of `lands_by` one of its
    questions or rules that refers to the split clause (`references`: their clauses, by question or rule id)."""
    references = references if references is not None else {q: () for q in questions}
    problems: list[Problem] = []

    def problem(item: str, field: str, message: str) -> None:
        problems.append(Problem(file, item, field, message))

    older, newer = catalogues.get(crosswalk.source), catalogues.get(crosswalk.target)
    for name, key, catalogue in (("from", crosswalk.source, older), ("to", crosswalk.target, newer)):
        if catalogue is None:
            problem(crosswalk.id, name, f"no catalogue '{key}' (known: {', '.join(sorted(catalogues)) or 'none'})")
    if older is None or newer is None:
        return problems
    old_leaves = {c.id for c in older.leaves}
    new_leaves = {c.id for c in newer.leaves}
    mapped = Counter(c.source for c in crosswalk.clauses if c.source)
    reached = Counter(t for c in crosswalk.clauses for t in c.targets)
    for i, entry in enumerate(crosswalk.clauses):
        where = f"clauses[{i}]"
        if entry.source and entry.source not in old_leaves:
            problem(entry.source, f"{where}.from", f"not a leaf clause of {older.id}")
        for target in entry.targets:
            if target not in new_leaves:
                problem(entry.source or target, f"{where}.to", f"{target} is not a leaf clause of {newer.id}")
        for question in entry.asks:
            if question not in questions:
                problem(entry.source or entry.targets[0], f"{where}.asks", f"no question '{question}' on {older.id}")
        for by, _landing in entry.lands_by:
            if by not in references:
                problem(entry.source, f"{where}.lands_by", f"no question or rule '{by}' on {older.id}")
            elif references[by] and entry.source not in references[by]:
                problem(entry.source, f"{where}.lands_by", f"'{by}' does not refer to {entry.source}")
        if entry.relation == "new" and reached[entry.targets[0]] > 1:
            problem(entry.targets[0], f"{where}.relation", "marked new but also reached from an older clause")
        if entry.relation == "merged" and sum(entry.targets[0] in c.targets for c in crosswalk.clauses) < 2:
            problem(entry.source, f"{where}.relation", "'merged' needs at least two clauses going into one")
    for clause_id in sorted(old_leaves - set(mapped)):
        problem(clause_id, "clauses", f"{older.id} clause {clause_id} is not mapped to {newer.id}")
    for clause_id in sorted(c for c, n in mapped.items() if n > 1):
        problem(clause_id, "clauses", f"{older.id} clause {clause_id} is mapped more than once")
    for clause_id in sorted(new_leaves - set(reached)):
        problem(clause_id, "clauses", f"{newer.id} clause {clause_id} is reached by nothing and not marked new")
    return problems
