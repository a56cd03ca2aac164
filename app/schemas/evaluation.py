"""The evaluation report of an assessment."""

from __future__ import annotations

from marshmallow import Schema, fields


class ReportSchema(Schema):
    """Documents planning.report.Report.to_dict; the API passes that form through whole, so a key added
    there reaches clients without a change here."""

    kb_version = fields.String()
    standard = fields.String()
    questionnaire = fields.Dict(metadata={"description": "id and version"})
    readiness = fields.Dict(metadata={"description": "overall, formula, groups and clauses"})
    verdict = fields.Dict()
    findings = fields.List(fields.Dict(), metadata={"description": "Each with the answers it rests on (because)"})
    plan = fields.List(fields.Dict(), metadata={"description": "Actions ranked and phased"})
    suggestions = fields.List(fields.Dict())
    facts = fields.List(fields.Dict())
    unanswered = fields.List(fields.String())
    ignored = fields.List(fields.String(), metadata={"description": "Answers to follow-ups no longer asked"})
