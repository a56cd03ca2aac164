"""Ways of working: how a team works, named from its profile answers, so that a recommendation speaks its language.

The same gap closes differently in a V-model contract (a phase-gate review with a signed acceptance record), a
Scrum team (the Definition of Done and the sprint review) and a team that deploys on every merge (a pipeline that
keeps the evidence). `rules/ways-of-working.yaml` names the ways and the answers that place a team in one, the
first that fits winning; a finding may then carry `recommendation_for: {way: text}` beside its neutral
`recommendation`, which stays the default for every team no way fits. All of it is data: no way is known to code.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from marshmallow import fields, validate

from .errors import Problem
from .model import YES_NO_VALUES
from .schemas import KEBAB_ID, NON_EMPTY, SNAKE_ID, Strict, required_text

WAYS_FILE = "rules/ways-of-working.yaml"
CHOICE_KINDS = ("single_choice", "yes_no")


@dataclass(frozen=True)
class Way:
    id: str
    name: str  # as the report says it: "recommendations worded for <name>"
    when: tuple[tuple[str, frozenset[str]], ...]  # every question answered with one of its values

    def fits(self, answers: Mapping[str, Any]) -> bool:
        return all(_plain(answers.get(question)) in values for question, values in self.when)


def way_of(ways: tuple[Way, ...], answers: Mapping[str, Any]) -> Way | None:
    """The first way that fits these answers (the file's order is the priority), or None: the neutral wording."""
    return next((way for way in ways if way.fits(answers)), None)


def _plain(value: Any) -> Any:
    return value if isinstance(value, str) else None  # a list or number never names a way


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


def check_ways(kb) -> list[Problem]:
    """Each way tests choice questions some questionnaire asks, with values those questions have; each wording a
    rule gives is for a way the file names."""
    problems: list[Problem] = []
    seen: set[str] = set()
    questions = {q.id: q for qn in kb.questionnaires.values() for q in qn.questions}
    for way in kb.ways:
        if way.id in seen:
            problems.append(Problem(WAYS_FILE, way.id, "id", "duplicate way id"))
        seen.add(way.id)
        for question_id, values in way.when:
            question = questions.get(question_id)
            field = f"when.{question_id}"
            if question is None:
                problems.append(Problem(WAYS_FILE, way.id, field, f"no questionnaire asks '{question_id}'"))
            elif question.kind not in CHOICE_KINDS:
                problems.append(Problem(WAYS_FILE, way.id, field, f"'{question_id}' is not a choice question"))
            else:
                choice = question.kind == "single_choice"
                options = {o.value for o in question.options} if choice else set(YES_NO_VALUES)
                for value in sorted(values - options):
                    problems.append(Problem(WAYS_FILE, way.id, field, f"'{question_id}' has no option '{value}'"))
    for ruleset in kb.rulesets.values():
        for rule in ruleset.rules:
            for way_id, _ in rule.finding.recommendation_for if rule.finding else ():
                if way_id not in seen:
                    problems.append(
                        Problem(
                            rule.file,
                            rule.id,
                            "then.finding.recommendation_for",
                            f"unknown way of working '{way_id}' (known: {', '.join(sorted(seen)) or 'none'};"
                            f" see {WAYS_FILE})",
                        )
                    )
    return problems
