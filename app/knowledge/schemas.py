"""Marshmallow schemas for every knowledge-base file: the shape of each file, field by field.

Cross-references between files (a rule naming a question, a practice naming a clause) are checked afterwards by
`validate.py`, once every file has been read.
"""

from __future__ import annotations

from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates_schema

from .conditions import ConditionError, parse_condition
from .grading import BASES
from .model import BLOCKS, EFFORTS, KINDS, NOT_APPLICABLE_RULES, SEVERITIES, WEIGHTS

SNAKE_ID = validate.Regexp(r"^[a-z][a-z0-9_]{1,62}$", error="expected lower_snake_case (letters, digits, _)")
KEBAB_ID = validate.Regexp(r"^[a-z][a-z0-9-]{1,62}$", error="expected lower-kebab-case (letters, digits, -)")
CLAUSE_ID = validate.Regexp(r"^\d{1,2}(\.\d{1,2}){0,3}$", error="expected a clause number such as 8.3.4")
NON_EMPTY = validate.Length(min=1)


class Strict(Schema):
    class Meta:
        unknown = RAISE


class BetweenSchema(Strict):
    """A file that relates one standard (or edition) to another: a crosswalk between editions, a mapping from
    another management-system standard. What differs is the list of entries each subclass adds."""

    id = fields.String(required=True, validate=KEBAB_ID)
    source = fields.String(data_key="from", required=True, validate=KEBAB_ID)
    target = fields.String(data_key="to", required=True, validate=KEBAB_ID)
    title = fields.String(required=True, validate=NON_EMPTY)


def required_text(**kwargs):
    return fields.String(required=True, validate=NON_EMPTY, **kwargs)


def text_list(**kwargs):
    return fields.List(fields.String(validate=NON_EMPTY), load_default=list, **kwargs)


class ConditionField(fields.Field):
    """A condition, parsed into the model's condition tree."""

    def _deserialize(self, value, attr, data, **kwargs):
        try:
            return parse_condition(value)
        except ConditionError as error:
            where = f" (at {error.path})" if error.path else ""
            raise ValidationError(f"{error}{where}") from error


# ---------------------------------------------------------------------------------------------- catalogue


class ClauseSchema(Strict):
    id = fields.String(required=True, validate=CLAUSE_ID)
    group = fields.String(required=True, validate=CLAUSE_ID)
    title = required_text()
    summary = required_text()
    weight = fields.String(required=True, validate=validate.OneOf(WEIGHTS))
    documented_information = fields.String(
        required=True, validate=validate.OneOf(("maintain", "retain", "both", "none"))
    )
    records = text_list()
    gate = fields.String(load_default=None, validate=validate.Regexp(r"^G\d{1,2}$"))
    # Required, so that whether a clause may be excluded is a decision written down for every clause.
    not_applicable = fields.String(required=True, validate=validate.OneOf(NOT_APPLICABLE_RULES))


class ClauseGroupSchema(Strict):
    id = fields.String(required=True, validate=CLAUSE_ID)
    title = required_text()
    summary = fields.String(load_default="")


class GateSchema(Strict):
    id = fields.String(required=True, validate=validate.Regexp(r"^G\d{1,2}$"))
    title = required_text()
    blocks = fields.String(required=True, validate=validate.OneOf(("stage1", "stage2")))
    required = fields.Boolean(load_default=True)


class TransitionSchema(Strict):
    deadline = fields.Date(required=True)
    # False while the accreditation bodies have not fixed the date: it is shown as expected, not as a deadline.
    fixed = fields.Boolean(required=True)
    note = fields.String(load_default="")


class CatalogueSchema(Strict):
    id = fields.String(required=True, validate=KEBAB_ID)
    title = required_text()
    edition = required_text()
    # A draft edition is one whose clauses were written from descriptions of a draft: it must say where from.
    status = fields.String(required=True, validate=validate.OneOf(("draft", "published")))
    source = required_text()
    transition = fields.Nested(TransitionSchema, load_default=None)
    groups = fields.List(fields.Nested(ClauseGroupSchema), required=True, validate=NON_EMPTY)
    clauses = fields.List(fields.Nested(ClauseSchema), required=True, validate=NON_EMPTY)
    dependencies = fields.List(
        fields.List(fields.String(validate=CLAUSE_ID), validate=validate.Length(equal=2)), load_default=list
    )
    gates = fields.List(fields.Nested(GateSchema), load_default=list)


# ---------------------------------------------------------------------------------------------- practices


class PracticeClauseSchema(Strict):
    clause = fields.String(required=True, validate=CLAUSE_ID)
    relationship = fields.String(required=True, validate=validate.OneOf(("full", "partial")))
    rationale = required_text()


class PracticeSchema(Strict):
    id = fields.String(required=True, validate=KEBAB_ID)
    name = required_text()
    family = fields.String(
        required=True, validate=validate.OneOf(("agile", "scrum", "devops", "dora", "engineering", "quality"))
    )
    description = required_text()
    evidence = text_list()
    clauses = fields.List(fields.Nested(PracticeClauseSchema), required=True, validate=NON_EMPTY)
    in_place = ConditionField(load_default=None)


class PracticesFileSchema(Strict):
    practices = fields.List(fields.Nested(PracticeSchema), required=True, validate=NON_EMPTY)


# ---------------------------------------------------------------------------------------------- glossary


class TermSchema(Strict):
    id = fields.String(required=True, validate=KEBAB_ID)
    term = required_text()
    meaning = required_text()
    clauses = fields.List(fields.String(validate=CLAUSE_ID), load_default=list)


class MythSchema(Strict):
    id = fields.String(required=True, validate=KEBAB_ID)
    myth = required_text()
    answer = required_text()
    clauses = fields.List(fields.String(validate=CLAUSE_ID), load_default=list)


class GlossarySchema(Strict):
    terms = fields.List(fields.Nested(TermSchema), load_default=list)
    myths = fields.List(fields.Nested(MythSchema), load_default=list)


# ---------------------------------------------------------------------------------------------- questionnaires


class OptionSchema(Strict):
    value = fields.String(required=True, validate=SNAKE_ID)
    label = required_text()
    level = fields.Integer(load_default=None, validate=validate.Range(0, 5))
    meaning = fields.String(load_default="")


class NumberRangeSchema(Strict):
    label = required_text()
    value = fields.Float(required=True, allow_nan=False)


class QuestionSchema(Strict):
    id = fields.String(required=True, validate=SNAKE_ID)
    kind = fields.String(required=True, validate=validate.OneOf(KINDS))
    text = required_text()
    why = required_text()
    help = fields.String(load_default="")
    clauses = fields.List(fields.String(validate=CLAUSE_ID), load_default=list)
    weight = fields.Integer(load_default=1, validate=validate.Range(1, 3))
    evidence = text_list()
    options = fields.List(fields.Nested(OptionSchema), load_default=list)
    labels = fields.List(fields.String(), load_default=list)
    min = fields.Float(load_default=None)
    max = fields.Float(load_default=None)
    unit = fields.String(load_default="")
    ranges = fields.List(fields.Nested(NumberRangeSchema), load_default=list, validate=validate.Length(max=8))
    max_length = fields.Integer(load_default=2000, validate=validate.Range(1, 20000))
    when = ConditionField(load_default=None)

    @validates_schema
    def kind_fits(self, data, **kwargs):
        kind = data.get("kind")
        has_options = bool(data.get("options"))
        if kind in ("single_choice", "multiple_choice"):
            if len(data.get("options") or ()) < 2:
                raise ValidationError(f"a {kind} question needs at least two options", "options")
        elif has_options:
            raise ValidationError(f"a {kind} question takes no options", "options")
        if data.get("labels") and (kind != "scale" or len(data["labels"]) != 6):
            raise ValidationError("labels are for scale questions: six labels, for 0 to 5", "labels")
        if (data.get("min") is not None or data.get("max") is not None) and kind != "number":
            raise ValidationError("min and max are for number questions", "min")
        low, high = data.get("min"), data.get("max")
        if kind == "number" and low is not None and high is not None and low > high:
            raise ValidationError("min is greater than max", "min")
        self._ranges_fit(kind, low, high, data.get("ranges") or [])

    @staticmethod
    def _ranges_fit(kind, low, high, ranges):
        """A number question's quick replies: each saves a number the question accepts, one reply per label."""
        if not ranges:
            return
        if kind != "number":
            raise ValidationError("ranges are for number questions", "ranges")
        for offered in ranges:
            value = offered["value"]
            if (low is not None and value < low) or (high is not None and value > high):
                raise ValidationError(f"range {offered['label']!r} saves {value:g}, outside min and max", "ranges")
        labels = [r["label"] for r in ranges]
        if len(set(labels)) != len(labels):
            raise ValidationError("two ranges have the same label", "ranges")


class SectionSchema(Strict):
    id = fields.String(required=True, validate=KEBAB_ID)
    title = required_text()
    profile = fields.Boolean(load_default=False)
    questions = fields.List(fields.Nested(QuestionSchema), required=True, validate=NON_EMPTY)


class QuestionnaireSchema(Strict):
    id = fields.String(required=True, validate=KEBAB_ID)
    version = fields.Integer(required=True, validate=validate.Range(min=1))
    standard = fields.String(required=True, validate=KEBAB_ID)
    title = required_text()
    description = fields.String(load_default="")
    rules = fields.String(required=True, validate=KEBAB_ID)
    sections = fields.List(fields.Nested(SectionSchema), required=True, validate=NON_EMPTY)


class QuestionnaireHeaderSchema(QuestionnaireSchema):
    """questionnaire.yaml of a questionnaire kept as a directory: the sections are the other files in it."""

    sections = fields.List(fields.Nested(SectionSchema), load_default=list)


# ---------------------------------------------------------------------------------------------- rules


class FactSchema(Strict):
    id = fields.String(required=True, validate=SNAKE_ID)
    means = required_text()


class ActionSchema(Strict):
    id = fields.String(required=True, validate=KEBAB_ID)
    title = required_text()
    effort = fields.String(required=True, validate=validate.OneOf(EFFORTS))
    depends_on = fields.List(fields.String(validate=KEBAB_ID), load_default=list)
    lead_time = fields.Boolean(load_default=False)
    # A bundle action lists the actions it is made of; the plan shows it as one action with these as steps.
    steps = fields.List(fields.String(validate=KEBAB_ID), load_default=list)
    # Containment of ongoing harm, or a repeat finding: the plan puts it first whatever its clause (reference 4.4).
    leads_plan = fields.Boolean(load_default=False)


class WorkProductSchema(Strict):
    name = required_text()
    process = required_text()
    clauses = fields.List(fields.String(validate=CLAUSE_ID), required=True, validate=NON_EMPTY)


class SuggestionSchema(Strict):
    id = fields.String(required=True, validate=KEBAB_ID)
    title = required_text()
    text = required_text()
    # What another scheme's outputs become as ISO 9001 evidence (ISO/IEC 29110 work products, say), as data the
    # advice quotes.
    work_products = fields.List(fields.Nested(WorkProductSchema), load_default=list)


class FindingSchema(Strict):
    clauses = fields.List(fields.String(validate=CLAUSE_ID), required=True, validate=NON_EMPTY)
    severity = fields.String(required=True, validate=validate.OneOf(SEVERITIES))
    blocks = fields.String(load_default="none", validate=validate.OneOf(BLOCKS))
    title = required_text()
    explanation = required_text()
    recommendation = required_text()
    # The same advice worded for one way of working (app/knowledge/ways.py); `recommendation` stays the default.
    recommendation_for = fields.Dict(
        keys=fields.String(validate=KEBAB_ID), values=fields.String(validate=NON_EMPTY), load_default=dict
    )
    practices = fields.List(fields.String(validate=KEBAB_ID), load_default=list)
    evidence = text_list()
    action = fields.String(required=True, validate=KEBAB_ID)
    # Grading model (docs/knowledge-base.md, "Grading findings"): what the finding rests on. A requirement finding
    # says, in our words, what the clause requires that is not met; a good-practice finding breaches nothing.
    basis = fields.String(required=True, validate=validate.OneOf(BASES))
    requirement = fields.String(load_default="")
    # One gap, one finding: when this rule and the named one both fire, the report shows the named one only, with
    # this rule's reasons added (docs/knowledge-base.md, "One finding per gap").
    merges_into = fields.String(load_default=None, validate=KEBAB_ID)

    @validates_schema
    def basis_is_stated(self, data, **kwargs):
        basis, requirement = data.get("basis"), (data.get("requirement") or "").strip()
        if basis == "requirement" and not requirement:
            raise ValidationError("say what the clause requires that is not met (our own words)", "requirement")
        if basis == "good_practice" and requirement:
            raise ValidationError(
                "a good-practice finding names no requirement; drop it or use basis: requirement", "requirement"
            )


class ConsequenceSchema(Strict):
    derive = fields.List(fields.String(validate=SNAKE_ID), load_default=list)
    ask = fields.List(fields.String(validate=SNAKE_ID), load_default=list)
    suggest = fields.List(fields.String(validate=KEBAB_ID), load_default=list)
    finding = fields.Nested(FindingSchema, load_default=None)

    @validates_schema
    def has_a_consequence(self, data, **kwargs):
        if not (data.get("derive") or data.get("ask") or data.get("suggest") or data.get("finding")):
            raise ValidationError("a rule needs at least one consequence: derive, ask, suggest or finding")


class RuleSchema(Strict):
    id = fields.String(required=True, validate=KEBAB_ID)
    when = ConditionField(required=True)
    then = fields.Nested(ConsequenceSchema, required=True)


class RuleFileSchema(Strict):
    facts = fields.List(fields.Nested(FactSchema), load_default=list)
    actions = fields.List(fields.Nested(ActionSchema), load_default=list)
    suggestions = fields.List(fields.Nested(SuggestionSchema), load_default=list)
    rules = fields.List(fields.Nested(RuleSchema), load_default=list)
    exclusions = fields.Nested(lambda: ExclusionsSchema(), load_default=None)  # rules/shared/exclusions.yaml


# ---------------------------------------------------------------------------------------------- exclusions
# The findings on the scope that "not applicable" answers raise (planning.exclusions): texts only, no conditions.


class ExclusionFindingSchema(Strict):
    """Always on a requirement (the scope's), so no basis: `requirement` says what the clause asks that is not met."""

    id = fields.String(required=True, validate=KEBAB_ID)
    clauses = fields.List(fields.String(validate=CLAUSE_ID), required=True, validate=NON_EMPTY)
    severity = fields.String(required=True, validate=validate.OneOf(SEVERITIES))
    requirement = required_text()
    title = required_text()
    explanation = required_text()
    recommendation = required_text()
    practices = fields.List(fields.String(validate=KEBAB_ID), load_default=list)
    evidence = text_list()
    action = fields.String(required=True, validate=KEBAB_ID)


class NotPermittedFindingSchema(ExclusionFindingSchema):
    blocks = fields.String(required=True, validate=validate.OneOf(BLOCKS))


class NotPermittedSchema(Strict):
    reason = required_text()
    findings = fields.List(fields.Nested(NotPermittedFindingSchema), required=True)

    @validates_schema
    def one_per_stage(self, data, **kwargs):
        stages = sorted(f["blocks"] for f in data.get("findings", ()))
        if stages != sorted(BLOCKS):
            raise ValidationError(f"one finding for each of {', '.join(BLOCKS)} (blocks)", "findings")


class UnjustifiedSchema(Strict):
    reason = required_text()
    finding = fields.Nested(ExclusionFindingSchema, required=True)


class ExclusionsSchema(Strict):
    not_permitted = fields.Nested(NotPermittedSchema, required=True)
    unjustified = fields.Nested(UnjustifiedSchema, required=True)
