"""The answers file of `clausewise assess` (and of import/export): questionnaire, organisation, answers."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from typing import Any

import yaml

from .answers import Answer, check_answers
from .model import KnowledgeBase
from .rekey import editions_of

TOP_LEVEL = {"questionnaire", "edition", "organisation", "answers"}
# Keys a file may carry for the people and tests that read it, which the assessment never reads: a calibration
# case's `expected` block holds the auditor's predicted grading (tests/integration/test_calibration.py checks it),
# kept in the same file so the facts, the answers and the expectation cannot drift apart.
ANNOTATIONS = {"expected"}
# The full questionnaire answered with a note and evidence on every question is about 100 kB; beyond this a file is
# not an answers file, and reading it would only cost time.
MAX_FILE_CHARS = 1_000_000
# answers -> question -> {value, note} -> a list of options: nothing deeper has a meaning here.
MAX_DEPTH = 8


@dataclass(frozen=True)
class Located:
    """A problem in an answers file, with the line it is on when known."""

    where: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        line = f"line {self.line}: " if self.line else ""
        return f"{line}{self.where}: {self.message}"


@dataclass
class AnswerFile:
    questionnaire: str
    organisation: dict[str, Any]
    answers: dict[str, Answer] = field(default_factory=dict)
    # The edition the assessment is read in (a catalogue id, see knowledge.rekey); None: the default one.
    edition: str | None = None


class AnswerFileInvalid(Exception):
    def __init__(self, problems: list[Located]):
        self.problems = problems
        super().__init__("; ".join(map(str, problems)))


class _Refused(yaml.YAMLError):
    def __init__(self, problem: str, mark):
        super().__init__(problem)
        self.problem, self.problem_mark = problem, mark


class _PlainLoader(yaml.SafeLoader):
    """YAML without aliases and without deep nesting. An alias repeats a node without repeating its text, so a
    file of a few hundred bytes can stand for billions of values ("billion laughs"); an answers file never needs
    one. Deep nesting would exhaust the stack of the recursive composer."""

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            raise _Refused(
                "anchors and aliases (&name, *name) are not allowed in an answers file", self.peek_event().start_mark
            )
        self._depth = getattr(self, "_depth", 0) + 1
        try:
            if self._depth > MAX_DEPTH:
                raise _Refused(f"nested deeper than {MAX_DEPTH} levels", self.peek_event().start_mark)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def read_yaml(text: str) -> tuple[Any, yaml.Node | None]:
    """The file's data and its node tree (for line numbers); AnswerFileInvalid for a file that is no answers file."""
    if len(text) > MAX_FILE_CHARS:
        raise AnswerFileInvalid(
            [Located("file", f"the file has {len(text):,} characters; an answers file has at most {MAX_FILE_CHARS:,}")]
        )
    loader = None
    try:
        # PyYAML checks the characters as the loader is made: a control character is a ReaderError from here.
        loader = _PlainLoader(text)
        node = loader.get_single_node()
        raw = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        problem = getattr(error, "problem", None) or str(error)
        raise AnswerFileInvalid(
            [Located("file", f"invalid YAML: {problem}", mark.line + 1 if mark else None)]
        ) from None
    except ValueError as error:  # a bad date, or an integer longer than Python converts
        problem = str(error)
        if "digits" in problem:
            problem = f"a number has more than {sys.get_int_max_str_digits():,} digits"
        raise AnswerFileInvalid([Located("file", f"invalid value: {problem}")]) from None
    finally:
        if loader is not None:
            loader.dispose()
    return raw, node


def parse_answer_file(text: str, kb: KnowledgeBase) -> AnswerFile:
    """The file's content checked against the knowledge base; AnswerFileInvalid lists every problem."""
    raw, node = read_yaml(text)
    lines = _key_lines(node)
    if not isinstance(raw, dict):
        raise AnswerFileInvalid([Located("file", "expected a mapping with questionnaire, organisation and answers")])
    problems = [
        Located(str(key), f"unknown key; expected {', '.join(sorted(TOP_LEVEL))}", lines.get((str(key),)))
        for key in raw
        if key not in TOP_LEVEL | ANNOTATIONS
    ]
    problems += [
        Located(key, "expected a mapping", lines.get((key,)))
        for key in ANNOTATIONS
        if key in raw and not isinstance(raw[key], dict)
    ]
    questionnaire_id = raw.get("questionnaire")
    if not isinstance(questionnaire_id, str) or questionnaire_id not in kb.questionnaires:
        known = ", ".join(sorted(kb.questionnaires))
        problems.append(
            Located(
                "questionnaire",
                f"unknown questionnaire {questionnaire_id!r}; known: {known}",
                lines.get(("questionnaire",)),
            )
        )
    edition = raw.get("edition")
    if edition is not None and isinstance(questionnaire_id, str) and questionnaire_id in kb.questionnaires:
        readable = editions_of(kb, questionnaire_id)
        if edition not in readable:
            message = f"unknown edition {edition!r}; known: {', '.join(readable)}"
            problems.append(Located("edition", message, lines.get(("edition",))))
    organisation = raw.get("organisation") or {}
    if not isinstance(organisation, dict):
        problems.append(Located("organisation", "expected a mapping such as {name: ...}", lines.get(("organisation",))))
        organisation = {}
    answers_raw = raw.get("answers")
    if answers_raw is None:
        answers_raw = {}
    if not isinstance(answers_raw, dict):
        problems.append(Located("answers", "expected a mapping of question id to answer", lines.get(("answers",))))
        answers_raw = {}
    if problems:
        raise AnswerFileInvalid(problems)
    answers, answer_problems = check_answers(kb.questionnaire(questionnaire_id), answers_raw)
    if answer_problems:
        raise AnswerFileInvalid(
            [Located(f"answers.{p.question}", p.message, lines.get(("answers", p.question))) for p in answer_problems]
        )
    return AnswerFile(questionnaire_id, organisation, answers, edition)


def dump_answer_file(
    questionnaire: str, organisation: dict[str, Any], answers: dict[str, Answer], edition: str | None = None
) -> str:
    """The inverse of parse_answer_file: a round trip loses nothing."""
    entries: dict[str, Any] = {}
    for question_id, answer in answers.items():
        value = list(answer.value) if isinstance(answer.value, tuple) else answer.value
        if answer.note or answer.evidence:
            entry: dict[str, Any] = {"value": value}
            if answer.note:
                entry["note"] = answer.note
            if answer.evidence:
                entry["evidence"] = answer.evidence
            entries[question_id] = entry
        else:
            entries[question_id] = value
    document: dict[str, Any] = {"questionnaire": questionnaire}
    if edition:
        document["edition"] = edition
    document.update(organisation=organisation, answers=entries)
    return yaml.safe_dump(document, sort_keys=False, allow_unicode=True)


def _key_lines(node, path: tuple[str, ...] = ()) -> dict[tuple[str, ...], int]:
    """Line numbers (1-based) of the keys of the top two levels of mappings."""
    lines: dict[tuple[str, ...], int] = {}
    if isinstance(node, yaml.MappingNode) and len(path) < 2:
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode):
                lines[(*path, key.value)] = key.start_mark.line + 1
                lines.update(_key_lines(value, (*path, key.value)))
    return lines
