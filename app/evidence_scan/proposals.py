"""What a scan proposes: answers to named questions, each with why and the files it was read from.

The same shape is printed by the CLI, uploaded in the UI and posted to the API, so it is parsed back here too
(parse_scan), with every problem named, before anything is stored.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..knowledge.answers import check_value
from ..knowledge.model import Question

MAX_PROPOSALS = 100
MAX_EVIDENCE = 200  # paths per proposal
MAX_TEXT = 2000
MAX_PATH = 1000
COMMIT_CHARS = (40, 64)  # SHA-1 and SHA-256 object names


@dataclass(frozen=True)
class Evidence:
    path: str
    commit: str

    def as_dict(self) -> dict[str, str]:
        return {"path": self.path, "commit": self.commit}


@dataclass(frozen=True)
class Proposal:
    question: str
    value: Any
    why: str
    evidence: tuple[Evidence, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {
            "question": self.question,
            "value": self.value,
            "why": self.why,
            "evidence": [e.as_dict() for e in self.evidence],
        }


@dataclass(frozen=True)
class ScanResult:
    repository: str
    commit: str
    proposals: tuple[Proposal, ...] = ()
    not_visible: tuple[str, ...] = field(default_factory=tuple)

    def as_dict(self) -> dict[str, Any]:
        return {
            "repository": self.repository,
            "commit": self.commit,
            "proposals": [p.as_dict() for p in self.proposals],
            "not_visible": list(self.not_visible),
        }


@dataclass(frozen=True)
class ParsedScan:
    result: ScanResult
    # Questions the scan answers that this questionnaire does not ask (a quick scan asks fewer): left out.
    not_asked: tuple[str, ...] = ()


class ScanInvalid(ValueError):
    """A scan document that cannot be taken in: every problem, each naming where it is."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def valid_for(question: Question | None, value: Any) -> str | None:
    """What is wrong with proposing `value` for `question`, if anything (the question model decides)."""
    if question is None:
        return "no such question in this questionnaire"
    canonical, problem = check_value(question, value)
    if problem:
        return problem
    if canonical == "dont_know":
        return "a scan proposes what it saw, never 'don't know'"
    return None


def _text(raw: Any, where: str, problems: list[str], limit: int = MAX_TEXT, *, required: bool = True) -> str:
    if not isinstance(raw, str) or (required and not raw.strip()):
        problems.append(f"{where}: expected text")
        return ""
    if len(raw) > limit:
        problems.append(f"{where}: at most {limit} characters")
        return ""
    return raw.strip()


def _commit(raw: Any, where: str, problems: list[str]) -> str:
    if not (isinstance(raw, str) and len(raw) in COMMIT_CHARS and all(c in "0123456789abcdef" for c in raw)):
        problems.append(f"{where}: expected a full commit id (40 or 64 lowercase hex digits)")
        return ""
    return raw


def parse_scan(document: Any, questions: Mapping[str, Question]) -> ParsedScan:
    """The scan's JSON (already decoded) checked against the questions of one questionnaire; ScanInvalid, naming
    every problem, otherwise. Proposals for questions the questionnaire does not ask are left out and named."""
    problems: list[str] = []
    not_asked: list[str] = []
    if not isinstance(document, Mapping):
        raise ScanInvalid(["the scan must be a JSON object with repository, commit, proposals and not_visible"])
    unknown = set(document) - {"repository", "commit", "proposals", "not_visible"}
    if unknown:
        problems.append(f"unknown field(s): {', '.join(sorted(map(str, unknown)))}")
    repository = _text(document.get("repository"), "repository", problems, 500)
    commit = _commit(document.get("commit"), "commit", problems)
    raw_proposals = document.get("proposals")
    if not isinstance(raw_proposals, list):
        problems.append("proposals: expected a list")
        raw_proposals = []
    elif len(raw_proposals) > MAX_PROPOSALS:
        problems.append(f"proposals: at most {MAX_PROPOSALS}")
        raw_proposals = []
    proposals = []
    seen: set[str] = set()
    for index, raw in enumerate(raw_proposals):
        where = f"proposals[{index}]"
        if not isinstance(raw, Mapping):
            problems.append(f"{where}: expected an object with question, value, why and evidence")
            continue
        question_id = raw.get("question")
        if not isinstance(question_id, str):
            problems.append(f"{where}.question: expected a question id")
            continue
        where = f"proposals[{index}] ({question_id})"
        if question_id in seen:
            problems.append(f"{where}: the question is proposed twice")
        seen.add(question_id)
        if question_id not in questions:
            not_asked.append(question_id)
            continue
        problem = valid_for(questions.get(question_id), raw.get("value"))
        if problem:
            problems.append(f"{where}.value: {problem}")
        why = _text(raw.get("why"), f"{where}.why", problems)
        evidence = raw.get("evidence", [])
        if not isinstance(evidence, list) or len(evidence) > MAX_EVIDENCE:
            problems.append(f"{where}.evidence: expected a list of at most {MAX_EVIDENCE} {{path, commit}}")
            evidence = []
        found = []
        for n, item in enumerate(evidence):
            at = f"{where}.evidence[{n}]"
            if not isinstance(item, Mapping):
                problems.append(f"{at}: expected {{path, commit}}")
                continue
            found.append(
                Evidence(
                    _text(item.get("path"), f"{at}.path", problems, MAX_PATH), _commit(item.get("commit"), at, problems)
                )
            )
        value = check_value(questions[question_id], raw.get("value"))[0] if not problem else None
        proposals.append(Proposal(question_id, value, why, tuple(found)))
    not_visible = document.get("not_visible", [])
    if not isinstance(not_visible, list) or len(not_visible) > MAX_PROPOSALS:
        problems.append(f"not_visible: expected a list of at most {MAX_PROPOSALS} texts")
        not_visible = []
    notes = tuple(_text(n, f"not_visible[{i}]", problems) for i, n in enumerate(not_visible))
    if problems:
        raise ScanInvalid(problems)
    return ParsedScan(ScanResult(repository, commit, tuple(proposals), notes), tuple(not_asked))
