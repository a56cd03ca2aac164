"""Ways of working: how a team works, named from its profile answers, so that a recommendation speaks its language.

The same gap closes differently in a V-model contract (a phase-gate review with a signed acceptance record), a
Scrum team (the Definition of Done and the sprint review) and a team that deploys on every merge (a pipeline that
keeps the evidence). `rules/ways-of-working.yaml` names the ways and the answers that place a team in one, the
first that fits winning; a finding may then carry `recommendation_for: {way: text}` beside its neutral
`recommendation`, which stays the default for every team no way fits. All of it is data: no way is known to code.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from marshmallow import fields, validate

from .relations import Way
from .schemas import KEBAB_ID, NON_EMPTY, SNAKE_ID, Strict, required_text

WAYS_FILE = "rules/ways-of-working.yaml"
CHOICE_KINDS = ("single_choice", "yes_no")


class WaySchema(Strict):
    id = fields.String(required=True, validate=KEBAB_ID)
    name = required_text()
    when = fields.Dict(
        keys=fields.String(validate=SNAKE_ID),
        values=fields.List(fields.String(validate=NON_EMPTY), validate=NON_EMPTY),
        required=True,
        validate=NON_EMPTY,
    )


class WaysFileSchema(Strict):
    ways = fields.List(fields.Nested(WaySchema), required=True, validate=validate.Length(min=1))


def ways_of(data: Mapping[str, Any]) -> tuple[Way, ...]:
    return tuple(
        Way(w["id"], w["name"], tuple((q, frozenset(values)) for q, values in sorted(w["when"].items())))
        for w in data["ways"]
    )
