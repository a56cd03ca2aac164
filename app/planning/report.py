"""The report of one assessment, as typed values: findings with provenance, readiness, verdict, plan and advice.

A `BriefReport` (what the chat asks for on every answer) has the readiness, the verdict, the findings without their
explanation and provenance, and what the engine asked or ignored. A `Report` is a brief report with everything else:
the full findings, the plan, suggestions and facts; code that needs a plan takes a `Report`, so handing it a brief
one is a type error rather than a missing key at run time.

`to_dict()` is the one stored and API form (EvaluationSnapshot rows, `clausewise assess --format json`, the REST
API); `from_dict()` reads it back, including snapshots stored before a key was added (missing keys get the value
an older report meant by leaving them out).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .evidenced import Evidenced
from .plan import PlanItem
from .readiness import Readiness
from .verdict import Verdict


@dataclass(frozen=True)
class QuestionnaireRef:
    id: str
    version: Any

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "version": self.version}


@dataclass(frozen=True)
class Practice:
    id: str
    name: str


@dataclass(frozen=True)
class MergedRule:
    """A rule whose finding was folded into another one on the same gap (planning.merging); its reasons are in the
    finding's `because`."""

    id: str
    title: str
    severity: str
    clauses: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "severity": self.severity, "clauses": list(self.clauses)}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> MergedRule:
        return cls(data["id"], data.get("title", ""), data.get("severity", ""), tuple(data.get("clauses", ())))


@dataclass(frozen=True, kw_only=True)
class BriefFinding:
    id: str
    rule: str
    clauses: tuple[str, ...]
    severity: str
    blocks: str  # stage1 | stage2 | none
    title: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "rule": self.rule,
            "clauses": list(self.clauses),
            "severity": self.severity,
            "blocks": self.blocks,
            "title": self.title,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> BriefFinding:
        return cls(**_brief_finding_fields(data))


@dataclass(frozen=True, kw_only=True)
class Finding(BriefFinding):
    explanation: str
    because: tuple[Mapping[str, Any], ...]  # the provenance chain, as engine.Reason.as_dict gives each link
    recommendation: str
    practices: tuple[Practice, ...]
    evidence: tuple[str, ...]  # what to show an auditor
    action: str | None  # the plan action that closes it
    merged: tuple[MergedRule, ...] = ()  # other rules on the same gap, folded into this finding

    def to_dict(self) -> dict[str, Any]:
        return {
            **super().to_dict(),
            "explanation": self.explanation,
            "because": list(self.because),
            "recommendation": self.recommendation,
            "practices": [{"id": p.id, "name": p.name} for p in self.practices],
            "evidence": list(self.evidence),
            "action": self.action,
            "merged": [m.to_dict() for m in self.merged],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Finding:
        return cls(
            **_brief_finding_fields(data),
            explanation=data.get("explanation", ""),
            because=tuple(data.get("because", ())),
            recommendation=data.get("recommendation", ""),
            practices=tuple(Practice(p["id"], p["name"]) for p in data.get("practices", ())),
            evidence=tuple(data.get("evidence", ())),
            action=data.get("action"),
            merged=tuple(MergedRule.from_dict(m) for m in data.get("merged", ())),
        )


def _brief_finding_fields(data: Mapping[str, Any]) -> dict[str, Any]:
    return dict(
        id=data["id"],
        rule=data.get("rule", data["id"]),
        clauses=tuple(data.get("clauses", ())),
        severity=data["severity"],
        blocks=data.get("blocks", "none"),
        title=data["title"],
    )


@dataclass(frozen=True)
class Suggestion:
    id: str
    title: str
    text: str


@dataclass(frozen=True)
class WordedFor:
    """The way of working the recommendations were worded for (knowledge.ways), so a reader knows why they read so."""

    id: str
    name: str


@dataclass(frozen=True)
class Fact:
    id: str
    means: str


@dataclass(frozen=True)
class OpenQuestion:
    """A question not answered yet that some rule reads: answering it could change the result."""

    question: str
    text: str
    rules: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"question": self.question, "text": self.text, "rules": list(self.rules)}


@dataclass(frozen=True, kw_only=True)
class BriefReport:
    kb_version: str
    standard: str
    questionnaire: QuestionnaireRef
    readiness: Readiness
    verdict: Verdict
    findings: tuple[BriefFinding, ...]
    asked: tuple[str, ...]  # follow-up questions made relevant
    unanswered: tuple[OpenQuestion, ...]
    ignored: tuple[str, ...]  # answers to follow-ups no longer asked, left out
    edition: str = ""  # the catalogue id every clause of the report is in ("" in snapshots made before editions)

    @property
    def major_ids(self) -> list[str]:
        return [f.id for f in self.findings if f.severity == "major"]

    def to_dict(self) -> dict[str, Any]:
        return {**self._summary(), "findings": [f.to_dict() for f in self.findings], **self._engine()}

    def _summary(self) -> dict[str, Any]:
        return {
            "kb_version": self.kb_version,
            "standard": self.standard,
            # Left out of a report frozen before editions, so that it comes back out in the form it was stored in.
            **({"edition": self.edition} if self.edition else {}),
            "questionnaire": self.questionnaire.to_dict(),
            "readiness": self.readiness.to_dict(),
            "verdict": self.verdict.to_dict(),
        }

    def _engine(self) -> dict[str, Any]:
        return {
            "asked": list(self.asked),
            "unanswered": [q.to_dict() for q in self.unanswered],
            "ignored": list(self.ignored),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> BriefReport:
        return cls(**_summary_fields(data), findings=tuple(BriefFinding.from_dict(f) for f in data["findings"]))


@dataclass(frozen=True, kw_only=True)
class Report(BriefReport):
    findings: tuple[Finding, ...]
    plan: tuple[PlanItem, ...]
    suggestions: tuple[Suggestion, ...]
    facts: tuple[Fact, ...]  # derived by the rules, each with what it means
    worded_for: WordedFor | None = None  # None: the neutral wording, for a team no way of working fits
    # A report frozen before ways of working existed has no `worded_for` at all: it comes back out as stored.
    stored_without_wording: bool = False
    # Claimed versus evidenced (planning.evidenced). None: the evidence was not known (an answers file carries no
    # records), or the report was frozen before evidence was counted; it then comes back out without the keys.
    evidenced: Evidenced | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            **self._summary(),
            "findings": [f.to_dict() for f in self.findings],
            "plan": [i.to_dict() for i in self.plan],
            "suggestions": [{"id": s.id, "title": s.title, "text": s.text} for s in self.suggestions],
            "facts": [{"id": f.id, "means": f.means} for f in self.facts],
            **({} if self.stored_without_wording else {"worded_for": _worded(self.worded_for)}),
            **(self.evidenced.to_dict() if self.evidenced is not None else {}),
            **self._engine(),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Report:
        return cls(
            **_summary_fields(data),
            findings=tuple(Finding.from_dict(f) for f in data["findings"]),
            plan=tuple(PlanItem.from_dict(i) for i in data.get("plan", ())),
            suggestions=tuple(Suggestion(s["id"], s["title"], s["text"]) for s in data.get("suggestions", ())),
            facts=tuple(Fact(f["id"], f["means"]) for f in data.get("facts", ())),
            worded_for=WordedFor(**data["worded_for"]) if data.get("worded_for") else None,
            stored_without_wording="worded_for" not in data,
            evidenced=Evidenced.from_dict(data),
        )


def _summary_fields(data: Mapping[str, Any]) -> dict[str, Any]:
    questionnaire = data.get("questionnaire", {})
    return dict(
        kb_version=data.get("kb_version", ""),
        standard=data.get("standard", ""),
        edition=data.get("edition", ""),
        questionnaire=QuestionnaireRef(questionnaire.get("id", ""), questionnaire.get("version")),
        readiness=Readiness.from_dict(data["readiness"]),
        verdict=Verdict.from_dict(data["verdict"]),
        asked=tuple(data.get("asked", ())),
        unanswered=tuple(
            OpenQuestion(q["question"], q.get("text", ""), tuple(q.get("rules", ())))
            for q in data.get("unanswered", ())
        ),
        ignored=tuple(data.get("ignored", ())),
    )


def _worded(way: WordedFor | None) -> dict[str, str] | None:
    return {"id": way.id, "name": way.name} if way else None
