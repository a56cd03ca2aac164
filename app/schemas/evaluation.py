"""The evaluation report of an assessment: what planning.report.Report.to_dict gives, field by field.

The API passes that form through whole, so a key added there must be added here too: the contract test
(tests/integration/test_api_contract.py) refuses a response with a key the document does not name."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from ..knowledge.model import BLOCKS, EFFORTS, SEVERITIES
from ..planning.plan import PHASES
from ..planning.verdict import LEVELS


class QuestionnaireRefSchema(Schema):
    id = fields.String()
    version = fields.Raw(metadata={"description": "The questionnaire's version when the assessment started"})


class ClauseReadinessSchema(Schema):
    score = fields.Integer(allow_none=True, metadata={"description": "0-100; null: not assessed"})
    answered = fields.Integer(metadata={"description": "Questions of the clause answered"})
    capped_at = fields.Integer(allow_none=True, metadata={"description": "The cap a major finding puts on it"})
    not_applicable = fields.Boolean()


class ReadinessSchema(Schema):
    overall = fields.Integer(allow_none=True, metadata={"description": "0-100; null: nothing assessed yet"})
    formula = fields.String(metadata={"description": "How overall is computed from the groups"})
    groups = fields.Dict(keys=fields.String(), values=fields.Integer(allow_none=True))
    clauses = fields.Dict(keys=fields.String(), values=fields.Nested(ClauseReadinessSchema))


class BlockerSchema(Schema):
    """A finding that blocks the next stage (finding, severity), or a required gate nothing was answered for (gate)."""

    title = fields.String()
    clauses = fields.List(fields.String())
    finding = fields.String()
    severity = fields.String(allow_none=True)
    gate = fields.String()


class VerdictSchema(Schema):
    level = fields.String(validate=validate.OneOf(list(LEVELS)))
    label = fields.String()
    blockers = fields.List(fields.Nested(BlockerSchema))


class PracticeSchema(Schema):
    id = fields.String()
    name = fields.String()


class MergedRuleSchema(Schema):
    """A rule raised on the same gap as a finding and folded into it (planning.merging)."""

    id = fields.String()
    title = fields.String()
    severity = fields.String(validate=validate.OneOf(SEVERITIES))
    clauses = fields.List(fields.String())


class FindingSchema(Schema):
    id = fields.String()
    rule = fields.String()
    clauses = fields.List(fields.String())
    severity = fields.String(validate=validate.OneOf(SEVERITIES))
    blocks = fields.String(validate=validate.OneOf(BLOCKS))
    title = fields.String()
    explanation = fields.String()
    because = fields.List(
        fields.Dict(),
        metadata={"description": "The answers and facts it rests on: kind, id, text, value or split, and because"},
    )
    recommendation = fields.String()
    practices = fields.List(fields.Nested(PracticeSchema))
    evidence = fields.List(fields.String(), metadata={"description": "What to show an auditor"})
    action = fields.String(allow_none=True, metadata={"description": "The plan action that closes it"})
    merged = fields.List(
        fields.Nested(MergedRuleSchema),
        metadata={
            "description": "Other rules raised on the same gap, folded into this finding; their reasons are in because"
        },
    )


class PlanStepSchema(Schema):
    """One step of a bundled plan action (planning.plan.PlanStep)."""

    id = fields.String()
    title = fields.String()
    clauses = fields.List(fields.String())
    closes = fields.List(fields.String(), metadata={"description": "The findings this step closes"})
    effort = fields.String(validate=validate.OneOf(EFFORTS))


class RankedActionSchema(Schema):
    """One action of the plan (planning.plan.PlanItem)."""

    rank = fields.Integer()
    id = fields.String()
    title = fields.String()
    phase = fields.String(validate=validate.OneOf(PHASES))
    kind = fields.String(metadata={"description": "nonconformity, improvement or evidence"})
    clauses = fields.List(fields.String())
    closes = fields.List(fields.String(), metadata={"description": "The findings this action closes"})
    effort = fields.String(validate=validate.OneOf(EFFORTS))
    lead_time = fields.Boolean()
    depends_on = fields.List(fields.String())
    why = fields.String()
    steps = fields.List(
        fields.Nested(PlanStepSchema),
        metadata={"description": "A bundled action's steps the findings need, in the order they are done"},
    )


class SuggestionSchema(Schema):
    id = fields.String()
    title = fields.String()
    text = fields.String()


class FactSchema(Schema):
    id = fields.String()
    means = fields.String()


class WordedForSchema(Schema):
    id = fields.String(metadata={"description": "A way of working of rules/ways-of-working.yaml"})
    name = fields.String()


class ClaimSchema(Schema):
    """A positive answer to a question that needs a record (planning.evidenced.Claim)."""

    question = fields.String(metadata={"description": "A question id"})
    text = fields.String()
    clause = fields.String(metadata={"description": "Its first clause"})
    clauses = fields.List(fields.String())
    weight = fields.Integer()
    mandatory_records = fields.Boolean(
        metadata={"description": "On a clause with mandatory documented information (else a question of weight 3)"}
    )
    record = fields.String(metadata={"description": "What to show an auditor"})


class OpenQuestionSchema(Schema):
    question = fields.String(metadata={"description": "A question id"})
    text = fields.String()
    rules = fields.List(fields.String(), metadata={"description": "The rules that read it"})


class ReportSchema(Schema):
    kb_version = fields.String()
    standard = fields.String(metadata={"description": "The edition of the standard, as its catalogue names it"})
    edition = fields.String(
        metadata={
            "description": "The catalogue id every clause of the report is in (absent from reports frozen before "
            "editions, which are in iso9001-2015)"
        }
    )
    questionnaire = fields.Nested(QuestionnaireRefSchema)
    readiness = fields.Nested(ReadinessSchema)
    verdict = fields.Nested(VerdictSchema)
    findings = fields.List(fields.Nested(FindingSchema))
    plan = fields.List(fields.Nested(RankedActionSchema), metadata={"description": "Actions ranked and phased"})
    suggestions = fields.List(fields.Nested(SuggestionSchema))
    facts = fields.List(fields.Nested(FactSchema), metadata={"description": "Derived by the rules"})
    worded_for = fields.Nested(
        WordedForSchema,
        allow_none=True,
        metadata={"description": "The way of working the recommendations are worded for; null: the neutral wording"},
    )
    evidenced_readiness = fields.Nested(
        ReadinessSchema,
        metadata={
            "description": "Readiness with every positive answer that needs a record and has no evidence attached "
            "counted as 'don't know' (absent from reports frozen before evidence was counted)"
        },
    )
    unevidenced_claims = fields.List(
        fields.Nested(ClaimSchema), metadata={"description": "Positive answers that need a record and have none"}
    )
    evidenced_claims = fields.List(
        fields.Nested(ClaimSchema), metadata={"description": "Positive answers that need a record and have one"}
    )
    asked = fields.List(fields.String(), metadata={"description": "Follow-up questions the answers made relevant"})
    unanswered = fields.List(
        fields.Nested(OpenQuestionSchema),
        metadata={"description": "Questions not answered yet that a rule reads: answering them may change the report"},
    )
    ignored = fields.List(fields.String(), metadata={"description": "Answers to follow-ups no longer asked"})


class TransitionItemSchema(Schema):
    clause = fields.String(metadata={"description": "The clause of the new edition (the first, where one was split)"})
    clauses = fields.List(fields.String(), metadata={"description": "Every clause of the new edition it became"})
    title = fields.String()
    change = fields.String(metadata={"description": "same | renumbered | split | merged | changed | new"})
    note = fields.String(metadata={"description": "What changed, in plain words"})
    status = fields.String(metadata={"description": "gap | not_asked | met"})
    previous = fields.List(fields.String(), metadata={"description": "The clauses of the current edition"})
    findings = fields.List(fields.String(), metadata={"description": "Findings of this assessment on them"})
    questions = fields.List(fields.Dict(), metadata={"description": "Still to answer: id and text"})
    plan = fields.List(fields.Integer(), metadata={"description": "Ranks of the plan actions that close it"})
    because = fields.List(fields.String(), metadata={"description": "The answers and findings behind a gap"})


class TransitionSchema(Schema):
    edition = fields.String(metadata={"description": "The catalogue id of the new edition"})
    title = fields.String()
    status = fields.String(metadata={"description": "draft | published: what the new edition's clauses rest on"})
    deadline = fields.String(allow_none=True, metadata={"description": "End of the transition (ISO date)"})
    deadline_fixed = fields.Boolean(metadata={"description": "False while the date is expected, not yet set"})
    counts = fields.Dict(metadata={"description": "How many requirements are gap, not_asked, met"})
    items = fields.List(fields.Nested(TransitionItemSchema), metadata={"description": "Gaps first"})
