"""Claimed versus evidenced readiness: how much of the score a team could show an auditor tomorrow.

An auditor believes records, not answers. Readiness as the answers give it is what the team *claims*; the
*evidenced* figure scores the same answers again, with every positive answer that an auditor would test against a
record, and that has no live evidence attached, counted as "don't know". Grading is untouched: the findings, the
verdict and the claimed readiness stay what the answers make them; a missing record is not a nonconformity here
(an auditor raises it only once the record is asked for and cannot be shown).

Which questions need records is read from the knowledge base, not written per question:

- a question on a clause whose `documented_information` is not `none`: ISO 9001 asks for a maintained document
  or a retained record there, so a positive answer claims that the document or record exists (the catalogue's
  `records` say, in software terms, what an auditor expects to see);
- a question of weight 3 on another clause. The questionnaires weigh questions 1-3 (docs/knowledge-base.md: 3
  "mandatory documented information or a blocker item", 2 high, 1 other); the weight-3 questions off the
  documented-information clauses are the blocker items an auditor always tests (design and development defined
  (8.3.1), outsourced code through the same gates (8.4.2), the management review held (9.3.1)). Weight 2 is not
  enough on its own: there the questions are mostly tested by interview and observation (leaders can explain the
  system, people know the objectives), where a record is not what the auditor asks for.

Plain Python, like the rest of planning: the caller says which questions have evidence (services.evaluation).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from ..knowledge.model import DONT_KNOW, Catalogue, FindingSpec, Question
from .readiness import Readiness, maturity, readiness

# The question weight from which a positive answer needs a record even on a clause without mandatory documented
# information (see above).
RECORD_WEIGHT = 3
# The maturity from which an answer earns readiness credit (partly, or a choice at level 2): below it, substituting
# "don't know" changes nothing, so it is no claim.
CLAIM_LEVEL = 2
EVIDENCED_FORMULA = (
    "as readiness, with every positive answer to a question that needs a record (a clause with mandatory documented "
    "information, or a question of weight 3) and no evidence attached counted as 'don't know'"
)


def needs_records(catalogue: Catalogue, question: Question) -> bool:
    """Whether a positive answer to this question is something an auditor will ask to see a record of."""
    return question.scored and (mandatory_records(catalogue, question) or question.weight >= RECORD_WEIGHT)


def mandatory_records(catalogue: Catalogue, question: Question) -> bool:
    """Whether the question is on a clause ISO 9001 asks documented information for."""
    return any(
        _clause(catalogue, c) is not None and _clause(catalogue, c).documented_information != "none"
        for c in question.clauses
    )


@dataclass(frozen=True)
class Claim:
    """A positive answer to a question that needs a record, and whether live evidence backs it."""

    question: str
    text: str
    clauses: tuple[str, ...]
    weight: int
    mandatory: bool  # on a clause with mandatory documented information
    record: str  # what to show an auditor, in the team's terms (the question's first evidence, else the clause's)
    evidenced: bool

    @property
    def clause(self) -> str:
        return self.clauses[0] if self.clauses else ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "question": self.question,
            "text": self.text,
            "clause": self.clause,
            "clauses": list(self.clauses),
            "weight": self.weight,
            "mandatory_records": self.mandatory,
            "record": self.record,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], evidenced: bool) -> Claim:
        clauses = tuple(data.get("clauses") or ([data["clause"]] if data.get("clause") else []))
        return cls(
            data["question"],
            data.get("text", ""),
            clauses,
            int(data.get("weight", 1)),
            bool(data.get("mandatory_records", False)),
            data.get("record", ""),
            evidenced,
        )


@dataclass(frozen=True)
class Evidenced:
    """The evidenced readiness and the claims it was worked out from (evidenced or not)."""

    readiness: Readiness
    claims: tuple[Claim, ...]

    def __post_init__(self) -> None:
        # The results page asks for the claim of every answer it lists.
        object.__setattr__(self, "_by_question", {c.question: c for c in self.claims})

    @property
    def unevidenced(self) -> tuple[Claim, ...]:
        return tuple(c for c in self.claims if not c.evidenced)

    @property
    def backed(self) -> tuple[Claim, ...]:
        return tuple(c for c in self.claims if c.evidenced)

    def of(self, question_id: str) -> Claim | None:
        """The claim an answer makes, None when it makes none (negative, or a question that needs no record)."""
        return self._by_question.get(question_id)

    def to_dict(self) -> dict[str, Any]:
        return {
            "evidenced_readiness": self.readiness.to_dict(),
            "unevidenced_claims": [c.to_dict() for c in self.unevidenced],
            "evidenced_claims": [c.to_dict() for c in self.backed],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Evidenced | None:
        """None for a report stored before evidence was counted (it has no `evidenced_readiness`)."""
        if "evidenced_readiness" not in data:
            return None
        claims = [Claim.from_dict(c, False) for c in data.get("unevidenced_claims", ())]
        claims += [Claim.from_dict(c, True) for c in data.get("evidenced_claims", ())]
        return cls(Readiness.from_dict(data["evidenced_readiness"]), tuple(claims))


def claims(
    catalogue: Catalogue, questions: Iterable[Question], answers: Mapping[str, Any], backed: Collection[str]
) -> list[Claim]:
    """The positive answers (credit in readiness) to the questions that need records, most important first: those
    on mandatory documented information, then by weight, then in questionnaire order."""
    found = []
    for question in questions:
        if question.id not in answers or not needs_records(catalogue, question):
            continue
        level = maturity(question, answers[question.id])
        if level is None or level < CLAIM_LEVEL:
            continue
        found.append(
            Claim(
                question.id,
                question.text,
                tuple(question.clauses),
                question.weight,
                mandatory_records(catalogue, question),
                _record(catalogue, question),
                question.id in backed,
            )
        )
    order = {c.question: n for n, c in enumerate(found)}
    return sorted(found, key=lambda c: (not c.mandatory, -c.weight, order[c.question]))


def evidenced(
    catalogue: Catalogue,
    questions: list[Question],
    answers: Mapping[str, Any],
    findings: list[FindingSpec],
    backed: Collection[str],
) -> Evidenced:
    """Readiness again, with the unevidenced claims as "don't know": the same formula (planning.readiness) and the
    same findings' caps, only the answers substituted. `questions`, `answers` and `findings` are what the claimed
    readiness was worked out from."""
    found = claims(catalogue, questions, answers, backed)
    substituted = {**answers, **{c.question: DONT_KNOW for c in found if not c.evidenced}}
    score = readiness(catalogue, questions, substituted, findings)
    return Evidenced(Readiness(score.overall, score.groups, score.clauses, EVIDENCED_FORMULA), tuple(found))


def _clause(catalogue: Catalogue, clause_id: str):
    try:
        return catalogue.clause(clause_id)
    except KeyError:
        return None


def _record(catalogue: Catalogue, question: Question) -> str:
    if question.evidence:
        return question.evidence[0]
    for clause_id in question.clauses:
        clause = _clause(catalogue, clause_id)
        if clause is not None and clause.records:
            return clause.records[0]
    return ""
