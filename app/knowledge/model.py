"""The knowledge base as immutable Python values, built by the loader from validated YAML files.

Nothing here knows about Flask, the database or the rule engine: the engine compiles these values, the planner
scores with them, the web pages show them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import Any

from .relations import Crosswalk, Mapping, Way

SEVERITIES = ("major", "minor", "observation", "improvement")
SEVERITY_LABELS = {
    "major": "Major nonconformity",
    "minor": "Minor nonconformity",
    "observation": "Observation",
    "improvement": "Opportunity for improvement",
}
BLOCKS = ("stage1", "stage2", "none")
EFFORTS = ("S", "M", "L")
WEIGHTS = ("blocker", "high", "medium", "low")

YES_NO_VALUES = ("yes", "partly", "no", "dont_know", "not_applicable")
YES_NO_LABELS = {
    "yes": "Yes",
    "partly": "Partly",
    "no": "No",
    "dont_know": "Don't know",
    "not_applicable": "Not applicable",
}
# Maturity levels of the yes/no scale (see README, "Readiness"): yes means in place across the scope.
YES_NO_LEVELS = {"yes": 3, "partly": 2, "no": 0, "dont_know": 1}
DONT_KNOW = "dont_know"
NOT_APPLICABLE = "not_applicable"
# Whether a clause may be declared not applicable (see docs/knowledge-base.md, "Exclusions"): never | allowed.
NOT_APPLICABLE_RULES = ("never", "allowed")
KINDS = ("yes_no", "single_choice", "multiple_choice", "scale", "number", "text")
SCORED_KINDS = ("yes_no", "single_choice", "multiple_choice", "scale")


@dataclass(frozen=True)
class Clause:
    id: str
    group: str
    title: str
    summary: str
    weight: str
    documented_information: str
    records: tuple[str, ...] = ()
    gate: str | None = None
    not_applicable: str = "allowed"


@dataclass(frozen=True)
class ClauseGroup:
    id: str
    title: str
    summary: str = ""


@dataclass(frozen=True)
class Gate:
    """A condition for certification: its clauses must be assessed before a verdict can pass its stage."""

    id: str
    title: str
    blocks: str  # stage1 | stage2
    required: bool = True


@dataclass(frozen=True)
class Transition:
    """Until when organisations certified to the previous edition may stay on it."""

    deadline: date
    fixed: bool  # False while the date is expected, not yet set by the accreditation bodies
    note: str = ""


@dataclass(frozen=True)
class Catalogue:
    id: str
    title: str
    edition: str
    groups: tuple[ClauseGroup, ...]
    clauses: tuple[Clause, ...]
    dependencies: tuple[tuple[str, str], ...]
    gates: tuple[Gate, ...] = ()
    status: str = "published"  # draft | published
    source: str = ""
    transition: Transition | None = None

    @property
    def leaves(self) -> tuple[Clause, ...]:
        """The clauses findings are graded against: those no other clause of the catalogue sits under."""
        ids = [c.id for c in self.clauses]
        return tuple(c for c in self.clauses if not any(other.startswith(c.id + ".") for other in ids))

    def clause(self, clause_id: str) -> Clause:
        return self._by_id[clause_id]

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_id", {c.id: c for c in self.clauses})


@dataclass(frozen=True)
class PracticeClause:
    clause: str
    relationship: str
    rationale: str


@dataclass(frozen=True)
class Practice:
    id: str
    name: str
    family: str
    description: str
    evidence: tuple[str, ...]
    clauses: tuple[PracticeClause, ...]
    # When an organisation has the practice, as a condition on answers or facts; a practice without it is never
    # checked against the rules (knowledge.practice_credit).
    in_place: Condition | None = None


@dataclass(frozen=True)
class Option:
    value: str
    label: str
    level: int | None = None
    meaning: str = ""


@dataclass(frozen=True)
class NumberRange:
    """A quick reply of a number question: a range as the chat offers it, and the number it saves."""

    label: str
    value: float


# ---------------------------------------------------------------------------------------------- conditions


@dataclass(frozen=True)
class AnswerTest:
    """A test on one answer: `{q: scope_documented, in: [no, partly]}`."""

    question: str
    op: str
    value: Any = None


@dataclass(frozen=True)
class FactTest:
    """The derived fact holds, or, for an input fact (`disputed_fact`), the assessment supplied it."""

    fact: str


# Respondents who contradict each other on a question are evidence in their own right (awareness, a process that
# exists on paper only). The engine sees such a disagreement as an input fact asserted beside the answers, written
# `{disputed: QUESTION}` in a condition and named with this prefix inside the engine.
DISPUTED_PREFIX = "disputed:"
DISPUTABLE_KINDS = ("yes_no", "scale", "single_choice")


def disputed_fact(question_id: str) -> str:
    return DISPUTED_PREFIX + question_id


def disputed_question(fact: str) -> str | None:
    """The question of an input fact made by `disputed_fact`, None for a derived fact."""
    return fact[len(DISPUTED_PREFIX) :] if fact.startswith(DISPUTED_PREFIX) else None


@dataclass(frozen=True)
class Group:
    """All of `all`, at least one of `any` (when given) and none of `none` hold."""

    all: tuple[Condition, ...] = ()
    any: tuple[Condition, ...] = ()
    none: tuple[Condition, ...] = ()


Condition = AnswerTest | FactTest | Group


def iter_leaves(condition: Condition):
    """Every leaf of a condition, depth first, in the order written."""
    if isinstance(condition, Group):
        for part in (*condition.all, *condition.any, *condition.none):
            yield from iter_leaves(part)
    else:
        yield condition


@dataclass(frozen=True)
class Question:
    id: str
    kind: str
    text: str
    why: str
    section: str
    clauses: tuple[str, ...] = ()
    weight: int = 1
    evidence: tuple[str, ...] = ()
    help: str = ""
    options: tuple[Option, ...] = ()
    labels: tuple[str, ...] = ()
    min: float | None = None
    max: float | None = None
    unit: str = ""
    ranges: tuple[NumberRange, ...] = ()  # a number question's quick replies (none given: app.interview derives some)
    max_length: int = 2000
    when: Group | None = None
    profile: bool = False
    # Inherited from the catalogue by the loader: "never" when one of its clauses can never be excluded.
    not_applicable: str = "allowed"

    @property
    def scored(self) -> bool:
        return not self.profile and self.kind in SCORED_KINDS and bool(self.clauses)

    @property
    def excludable(self) -> bool:
        """Whether "not applicable" is an answer ISO 9001 lets stand (otherwise it is graded as "no")."""
        return self.not_applicable != "never"

    @property
    def follow_up(self) -> bool:
        return self.when is not None

    def allowed_values(self) -> tuple[str, ...]:
        if self.kind == "yes_no":
            return YES_NO_VALUES
        if self.kind in ("single_choice", "multiple_choice"):
            return tuple(o.value for o in self.options)
        return ()

    def option(self, value: str) -> Option | None:
        return next((o for o in self.options if o.value == value), None)


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    profile: bool
    questions: tuple[Question, ...]
    file: str = ""  # where it is written, for error messages

    def __post_init__(self) -> None:
        object.__setattr__(self, "_ids", frozenset(q.id for q in self.questions))


@dataclass(frozen=True)
class Questionnaire:
    id: str
    version: int
    standard: str
    title: str
    description: str
    rules: str
    sections: tuple[Section, ...]

    @property
    def questions(self) -> tuple[Question, ...]:
        return self._questions

    def question(self, question_id: str) -> Question:
        return self._by_id[question_id]

    def file_of(self, question_id: str) -> str:
        return next((s.file for s in self.sections if question_id in s._ids), "")

    def has_question(self, question_id: str) -> bool:
        return question_id in self._by_id

    def __post_init__(self) -> None:
        object.__setattr__(self, "_questions", tuple(q for s in self.sections for q in s.questions))
        object.__setattr__(self, "_by_id", {q.id: q for q in self._questions})


# ---------------------------------------------------------------------------------------------- rules


@dataclass(frozen=True)
class Fact:
    id: str
    means: str


@dataclass(frozen=True)
class Action:
    id: str
    title: str
    effort: str
    depends_on: tuple[str, ...] = ()
    lead_time: bool = False
    # A bundle: the actions that serve its one purpose, in the order they are done (planning.plan).
    steps: tuple[str, ...] = ()
    # First in the plan whatever its clause: containment that stops ongoing harm (false records, exposed data), or
    # correcting a nonconformity the last external audit raised and that is still open.
    leads_plan: bool = False


@dataclass(frozen=True)
class WorkProduct:
    """An output of another scheme's process and the ISO 9001 clauses it later serves as evidence for."""

    name: str
    process: str
    clauses: tuple[str, ...]


@dataclass(frozen=True)
class Suggestion:
    id: str
    title: str
    text: str
    work_products: tuple[WorkProduct, ...] = ()


@dataclass(frozen=True)
class FindingSpec:
    clauses: tuple[str, ...]
    severity: str
    blocks: str
    title: str
    explanation: str
    recommendation: str
    action: str
    practices: tuple[str, ...] = ()
    evidence: tuple[str, ...] = ()
    # Grading model: requirement | good_practice, and for a requirement what the clause asks that is not met.
    basis: str = "requirement"
    requirement: str = ""
    # The rule whose finding this one joins when both fire: one gap, one finding (planning.merging).
    merges_into: str | None = None
    # (way id, wording) pairs: the recommendation as a team of that way of working reads it best (knowledge.ways).
    recommendation_for: tuple[tuple[str, str], ...] = ()

    def recommendation_in(self, way: str | None) -> str:
        return dict(self.recommendation_for).get(way, self.recommendation) if way else self.recommendation


@dataclass(frozen=True)
class ExclusionFindings:
    """The findings on the scope (4.3) that answers of "not applicable" raise, as the knowledge base words them:
    one for a requirement that can never be excluded, per stage that requirement blocks (stage1 | stage2 | none),
    and one for a permitted exclusion given without a reason. `*_reason`: the "because" line of each such answer,
    with {answer} and {question}."""

    not_permitted: dict[str, tuple[str, FindingSpec]]  # by the stage it blocks: (finding id, spec)
    not_permitted_reason: str
    unjustified: tuple[str, FindingSpec]
    unjustified_reason: str
    file: str = ""

    def specs(self) -> dict[str, FindingSpec]:
        return dict([*self.not_permitted.values(), self.unjustified])


@dataclass(frozen=True)
class Rule:
    id: str
    file: str
    when: Group
    derive: tuple[str, ...] = ()
    ask: tuple[str, ...] = ()
    suggest: tuple[str, ...] = ()
    finding: FindingSpec | None = None
    # Rules the loader makes from a question's `when:`; they only make the question relevant.
    generated: bool = False


@dataclass(frozen=True)
class RuleSet:
    """The rules of one questionnaire, with the facts, actions and suggestions they use."""

    id: str
    rules: tuple[Rule, ...]
    facts: dict[str, Fact] = field(default_factory=dict)
    actions: dict[str, Action] = field(default_factory=dict)
    suggestions: dict[str, Suggestion] = field(default_factory=dict)
    exclusions: ExclusionFindings | None = None  # None only in a knowledge base that kb check refuses

    def rule(self, rule_id: str) -> Rule:
        return next(r for r in self.rules if r.id == rule_id)

    # Worked out once per loaded knowledge base: every chat message needs them, and the rules never change.
    @cached_property
    def follow_ups(self) -> frozenset[str]:
        """The questions that are asked only once a rule asks for them."""
        return frozenset(q for r in self.rules for q in r.ask)

    @cached_property
    def findings(self) -> dict[str, FindingSpec]:
        """The finding of each rule that has one, by rule id (which is the finding's id)."""
        return {r.id: r.finding for r in self.rules if r.finding is not None}


@dataclass(frozen=True)
class GlossaryTerm:
    id: str
    term: str
    meaning: str
    clauses: tuple[str, ...] = ()


@dataclass(frozen=True)
class Myth:
    id: str
    myth: str
    answer: str
    clauses: tuple[str, ...] = ()


@dataclass(frozen=True)
class KnowledgeBase:
    version: str
    catalogues: dict[str, Catalogue]
    practices: dict[str, Practice]
    questionnaires: dict[str, Questionnaire]
    rulesets: dict[str, RuleSet]
    terms: tuple[GlossaryTerm, ...] = ()
    myths: tuple[Myth, ...] = ()
    crosswalks: tuple[Crosswalk, ...] = ()  # between editions of a standard
    ways: tuple[Way, ...] = ()  # ways of working, in the order they are tried (knowledge.ways)
    mappings: tuple[Mapping, ...] = ()  # from another management-system standard (ISO/IEC 27001) to ISO 9001

    def questionnaire(self, questionnaire_id: str) -> Questionnaire:
        return self.questionnaires[questionnaire_id]

    def ruleset_for(self, questionnaire_id: str) -> RuleSet:
        return self.rulesets[self.questionnaires[questionnaire_id].rules]

    def catalogue_for(self, questionnaire_id: str) -> Catalogue:
        return self.catalogues[self.questionnaires[questionnaire_id].standard]
