"""Crosswalks between editions of a standard: which clause of one edition became which clause of the next.

A crosswalk is data (rules/crosswalks/*.yaml). Each leaf clause of the older edition is mapped once, to one or
more leaves of the newer one, with the relation and a note in plain words; a newer leaf that nothing reaches is
listed as new. `kb check` refuses a crosswalk that leaves a clause of either edition out, so that re-keying
answers and findings from one edition to the other can never drop a requirement without saying so.
"""

from __future__ import annotations

from marshmallow import fields, validate, validates_schema
from marshmallow.exceptions import ValidationError

from .relations import Correspondence, Crosswalk
from .schemas import CLAUSE_ID, NON_EMPTY, BetweenSchema, Strict

RELATIONS = ("same", "renumbered", "split", "merged", "changed", "new")


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
