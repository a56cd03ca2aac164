"""Mappings from another management-system standard to the ISO 9001 catalogue (integrated management systems).

A mapping is data (rules/mappings/*.yaml): each entry names a clause or Annex A control of the other standard
(ISO/IEC 27001:2022, say), the ISO 9001 clauses it serves, the relation (covers, partly_covers, different_intent),
a note in plain words of what the other system's artefact lacks for quality, and the questions of the ISO 9001
questionnaire its evidence can answer. Those questions are what a certified organisation is offered as
suggestions to confirm one by one; a `different_intent` entry offers none. `kb check` refuses an entry that names
an ISO 9001 clause the catalogue does not have, a relation it does not know or a question nobody asks.
"""

from __future__ import annotations

from marshmallow import fields, validate, validates_schema
from marshmallow.exceptions import ValidationError

from .relations import Mapping, MappingEntry
from .schemas import CLAUSE_ID, NON_EMPTY, BetweenSchema, Strict, required_text

MAPPING_RELATIONS = ("covers", "partly_covers", "different_intent")


class MappingEntrySchema(Strict):
    source = fields.String(data_key="from", required=True, validate=validate.Regexp(r"^(A\.)?\d+(\.\d+)*$"))
    title = required_text()
    targets = fields.List(fields.String(validate=CLAUSE_ID), data_key="to", required=True, validate=NON_EMPTY)
    relation = fields.String(required=True, validate=validate.OneOf(MAPPING_RELATIONS))
    note = required_text()
    answers = fields.List(fields.String(validate=NON_EMPTY), load_default=list)

    @validates_schema
    def _shape(self, data, **kwargs):
        if data["relation"] == "different_intent" and data["answers"]:
            raise ValidationError("a different intent answers no ISO 9001 question: leave 'answers' out", "answers")


class MappingSchema(BetweenSchema):
    certificate = fields.String(required=True, validate=NON_EMPTY)
    entries = fields.List(fields.Nested(MappingEntrySchema), required=True, validate=NON_EMPTY)


def mapping_of(data: dict) -> Mapping:
    return Mapping(
        id=data["id"],
        source=data["source"],
        target=data["target"],
        certificate=data["certificate"],
        entries=tuple(
            MappingEntry(e["source"], e["title"], tuple(e["targets"]), e["relation"], e["note"], tuple(e["answers"]))
            for e in data["entries"]
        ),
    )


def offered_questions(mappings: tuple[Mapping, ...], answers: dict) -> dict[str, tuple[MappingEntry, ...]]:
    """The questions an organisation's other certified system can answer, to offer as suggestions to confirm one
    by one: only when `existing_certifications` declares that certificate and its scope is not said to miss the
    software, and never a question already answered (a suggestion never overrides what a person said)."""
    declared = answers.get("existing_certifications") or []
    if answers.get("iso27001_scope_overlaps") == "no":
        return {}
    offered: dict[str, tuple[MappingEntry, ...]] = {}
    for mapping in mappings:
        if mapping.certificate not in declared:
            continue
        for question, entries in mapping.suggested_questions().items():
            if question not in answers:
                offered[question] = offered.get(question, ()) + entries
    return offered
