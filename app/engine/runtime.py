"""Running compiled rules in durable-rules' C engine, synchronously and in the calling thread.

The stock `durable.engine.Host` is not used: it starts timer threads that run actions of any session on another
thread, and that crashes a web process (docs/engine.md lists every defect worked around here). This module drives
the extension directly: one session per evaluation, created and deleted under a lock, the agenda run to the end in
the caller's thread, the engine's answer checked at every step.
"""

from __future__ import annotations

import itertools
import json
import os
import threading
import weakref
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple

import durable_rules_engine as _engine

from ..knowledge.model import DONT_KNOW, Question, Rule, RuleSet, disputed_question
from .compiler import Compiled, CompiledRule, compile_ruleset

_OK, _NOT_HANDLED = 0, 1
_names = itertools.count(1)
_live_programs: weakref.WeakSet[Program] = weakref.WeakSet()


class EngineError(RuntimeError):
    """The engine refused something the validator should have caught; a bug, reported with its context."""


@dataclass(frozen=True)
class Run:
    fired: tuple[Rule, ...]  # knowledge-base rules, in firing order
    facts: tuple[str, ...]  # derived facts, in the order they were first derived
    first_derivation: Mapping[str, Rule]  # each derived fact: the first rule, in firing order, that derived it
    asked: frozenset[str]  # follow-up questions asked by the rules that fired


class Program:
    """One compiled ruleset living inside the C engine; evaluations on it are serialised by a lock."""

    def __init__(self, ruleset: RuleSet, questions: Mapping[str, Question]):
        self.compiled: Compiled = compile_ruleset(ruleset, dict(questions))
        self.kinds = {q.id: q.kind for q in questions.values()}
        fact_base = {"t": "answers", "id": "answers", **{f"_b{b}": 1 for b in range(self.compiled.buckets)}}
        self._fact_head = json.dumps(fact_base, separators=(",", ":"))[:-1]  # the opening of the answers fact
        self._closed_members = self._encode_closed_answers()
        self._actions = {name: _Action.of(rule) for name, rule in self.compiled.rules.items()}
        # Input facts some rule reads (disagreements between respondents); any others given are left out.
        self.inputs = frozenset(
            f[len("fact:") :] for f in self.compiled.fact_ids if f.startswith("fact:") and disputed_question(f[5:])
        )
        self.name = f"clausewise-{ruleset.id}-{os.getpid()}-{next(_names)}"
        try:
            self._handle = _engine.create_ruleset(self.name, json.dumps(self.compiled.definition))
        except _engine.error as error:
            raise EngineError(f"the engine refused ruleset {ruleset.id}: {error}") from error
        self._lock = threading.Lock()
        self._sessions = itertools.count(1)
        self._closed = False
        _live_programs.add(self)

    def run(self, answers: Mapping[str, Any], given: Iterable[str] = ()) -> Run:
        """`given`: input facts asserted beside the answers (disagreements); those no rule reads are left out."""
        members = self._answer_members(answers)
        inputs = [f for f in given if f in self.inputs]
        with self._lock:
            if self._closed:
                raise EngineError("this program was closed")
            # Only one session is ever live per program (the lock), so session ids cannot collide.
            sid = str(next(self._sessions))
            fired: list[Rule] = []
            derived: dict[str, Rule] = {}
            asked: set[str] = set()
            try:
                # Written as JSON text: session ids are decimal numbers, the members are JSON already, and input
                # fact names are identifiers with a colon (validated).
                sentinel = f'{{"t":"sentinel","id":"sentinel","sid":"{sid}"}}'
                answers_fact = f'{self._fact_head},{members}"sid":"{sid}"}}'
                batch = [sentinel, answers_fact, *(_fact_json(f, sid) for f in inputs)]
                state = self._assert(_engine.assert_facts, f"[{','.join(batch)}]")
                self._drain(state, sid, fired, derived, asked)
                for stratum in range(1, self.compiled.strata + 1):
                    gate = f'{{"t":"gate","id":"gate:{stratum}","s":{stratum},"sid":"{sid}"}}'
                    self._drain(self._assert(_engine.assert_fact, gate), sid, fired, derived, asked)
            finally:
                # Safe because the sentinel rule fired: deleting a session in which no action ever started
                # dereferences an uninitialised pointer inside the engine.
                _engine.delete_state(self._handle, sid)
        return Run(tuple(fired), tuple(derived), derived, frozenset(asked))

    def close(self) -> None:
        with self._lock:
            if not self._closed:
                self._closed = True
                _engine.delete_ruleset(self._handle)

    # ------------------------------------------------------------------------------------------ internals

    def _answer_members(self, answers: Mapping[str, Any]) -> str:
        """The answers as JSON members of the answers fact, each followed by a comma.

        Building the fact as a dict and encoding it took a quarter of the Python time of an evaluation. The member
        of every answer a yes/no or choice question can take (nearly all answers) is encoded once per program and
        looked up here; only numbers, scales, lists and free text are encoded per evaluation."""
        closed = self._closed_members
        members = []
        for question_id, value in answers.items():
            member = closed.get((question_id, value)) if isinstance(value, str) else None
            if member is None:
                member = self._encode_answer(question_id, value)
            if member:
                members.append(member)
        return "".join(members)

    def _encode_closed_answers(self) -> dict[tuple[str, str], str]:
        # Built with _encode_answer itself, so a looked-up member is exactly the one it would write.
        encoding = self.compiled.encoding
        return {
            (question_id, value): self._encode_answer(question_id, value)
            for question_id in self.kinds
            for value in (*encoding.codes.get(question_id, ()), DONT_KNOW)
        }

    def _encode_answer(self, question_id: str, value: Any) -> str:
        """One answer as a JSON member `"<property>":<value>,` of the answers fact; empty if the engine never sees
        it. Property names are short generated identifiers, so only the value needs a JSON encoder."""
        kind = self.kinds.get(question_id)
        if kind is None or value is None:
            return ""
        encoding = self.compiled.encoding
        if value == DONT_KNOW and question_id in encoding.dk_properties:
            return f'"{encoding.dk_properties[question_id]}":1,'
        if kind == "text":
            return f'"{encoding.properties[question_id]}":1,'  # rules only test whether free text was given
        if isinstance(value, list | tuple):
            value = [encoding.code(question_id, v) for v in value]
        else:
            value = encoding.code(question_id, value)
        return f'"{encoding.properties[question_id]}":{json.dumps(value)},'

    def _assert(self, call, payload: str) -> int | None:
        try:
            code, state = call(self._handle, payload)
        except _engine.error as error:
            raise EngineError(f"the engine refused {payload:.200}: {error}") from error
        if code == _NOT_HANDLED:
            return None
        if code != _OK:
            raise EngineError(f"the engine answered {code} to {payload:.200}")
        return state

    def _drain(self, state: int | None, sid: str, fired: list, derived: dict, asked: set) -> None:
        if state is None:
            return
        result = _engine.start_action_for_state(self._handle, state)
        while result:
            message = result[1]
            name = message[2 : message.index('"', 2)]
            try:
                action = self._actions.get(name)  # None for the sentinel
                if action is not None:
                    fired.extend(action.rules)
                    asked.update(action.ask)
                    for fact, rule in action.derivations:
                        if fact not in derived:
                            derived[fact] = rule
                            self._assert_in_action(fact, sid)
            except BaseException:
                _engine.abandon_action(self._handle, state)
                raise
            following = _engine.complete_and_start_action(self._handle, state)
            result = (None, following) if following else None

    def _assert_in_action(self, fact: str, sid: str) -> None:
        # Fact names are plain identifiers (validated), so the JSON can be written without an encoder.
        payload = _fact_json(fact, sid)
        try:
            code = _engine.assert_fact(self._handle, payload)[0]
        except _engine.error as error:
            raise EngineError(f"the engine refused derived fact {fact}: {error}") from error
        if code not in (_OK, _NOT_HANDLED):
            raise EngineError(f"the engine answered {code} to derived fact {fact}")


class _Action(NamedTuple):
    """What one engine rule's firing means, worked out once per program. The drain reads it at every firing (about
    sixty per evaluation) and records the questions asked and each fact's first derivation on the way, rather
    than the evaluation walking the fired rules again afterwards."""

    rules: tuple[Rule, ...]
    derivations: tuple[tuple[str, Rule], ...]  # each fact it derives, with the first of its rules deriving it
    ask: tuple[str, ...]

    @classmethod
    def of(cls, compiled: CompiledRule) -> _Action:
        derivations = tuple((fact, next(r for r in compiled.rules if fact in r.derive)) for fact in compiled.derive)
        return cls(compiled.rules, derivations, tuple(dict.fromkeys(q for r in compiled.rules for q in r.ask)))


def _fact_json(fact: str, sid: str) -> str:
    # Fact names are plain identifiers, input facts with a colon (validated): no JSON encoder is needed.
    return f'{{"t":"fact","id":"fact:{fact}","name":"{fact}","sid":"{sid}"}}'


def _reset_locks_after_fork() -> None:
    # A lock held by another thread at fork time would stay held forever in the child.
    for program in list(_live_programs):
        program._lock = threading.Lock()


os.register_at_fork(after_in_child=_reset_locks_after_fork)
