"""Parsing the condition language of rules and follow-up questions (see docs/knowledge-base.md, "Conditions")."""

from __future__ import annotations

from typing import Any

from .model import AnswerTest, Condition, FactTest, Group, disputed_fact

ANSWER_OPS = ("eq", "neq", "lt", "lte", "gt", "gte", "in", "contains", "answered", "unanswered")
NUMERIC_OPS = ("lt", "lte", "gt", "gte")
GROUP_KEYS = ("all", "any", "none")


class ConditionError(ValueError):
    """A condition that does not follow the grammar; `path` says where inside the condition."""

    def __init__(self, path: str, message: str):
        self.path = path
        super().__init__(message)


def parse_condition(raw: Any, path: str = "") -> Condition:
    if not isinstance(raw, dict) or not raw:
        raise ConditionError(
            path, "expected a mapping: a group (all/any/none) or a test ({q: ...}, {fact: ...} or {disputed: ...})"
        )
    if "q" in raw:
        return _parse_answer_test(raw, path)
    if "fact" in raw:
        extra = sorted(set(raw) - {"fact"})
        if extra:
            raise ConditionError(path, f"a fact test takes only 'fact', not {', '.join(extra)}")
        if not isinstance(raw["fact"], str):
            raise ConditionError(path, "'fact' must name a derived fact")
        return FactTest(raw["fact"])
    if "disputed" in raw:
        extra = sorted(set(raw) - {"disputed"})
        if extra:
            raise ConditionError(path, f"a disputed test takes only 'disputed', not {', '.join(extra)}")
        if not isinstance(raw["disputed"], str):
            raise ConditionError(path, "'disputed' must be a question id")
        return FactTest(disputed_fact(raw["disputed"]))
    unknown = sorted(set(raw) - set(GROUP_KEYS))
    if unknown:
        raise ConditionError(
            path, f"unknown key(s) {', '.join(unknown)}; expected all, any, none, or a test with q, fact or disputed"
        )
    parts: dict[str, tuple[Condition, ...]] = {}
    for key in GROUP_KEYS:
        if key not in raw:
            continue
        items = raw[key]
        if not isinstance(items, list) or not items:
            raise ConditionError(_join(path, key), "expected a non-empty list of conditions")
        parts[key] = tuple(parse_condition(item, _join(path, f"{key}[{i}]")) for i, item in enumerate(items))
    return Group(**parts)


def as_group(condition: Condition) -> Group:
    return condition if isinstance(condition, Group) else Group(all=(condition,))


def _parse_answer_test(raw: dict, path: str) -> AnswerTest:
    question = raw["q"]
    if not isinstance(question, str):
        raise ConditionError(path, "'q' must be a question id")
    # `answered: true` is a flag, not an answer value: it keeps its boolean.
    raw = {k: v if k in ("answered", "unanswered") else _yes_no(v) for k, v in raw.items()}
    ops = [k for k in raw if k != "q"]
    if len(ops) != 1 or ops[0] not in ANSWER_OPS:
        raise ConditionError(path, f"expected exactly one operator out of {', '.join(ANSWER_OPS)}, got {ops or 'none'}")
    op = ops[0]
    value = raw[op]
    if op in ("answered", "unanswered"):
        if value is not True:
            raise ConditionError(_join(path, op), f"write '{op}: true'")
        value = None
    elif op == "in":
        if not isinstance(value, list) or not value or not all(_is_scalar(v) for v in value):
            raise ConditionError(_join(path, op), "expected a non-empty list of values")
        value = tuple(value)
    elif op in NUMERIC_OPS:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ConditionError(_join(path, op), "expected a number")
    elif not _is_scalar(value):
        raise ConditionError(_join(path, op), "expected a single value")
    return AnswerTest(question, op, value)


def _yes_no(value: Any) -> Any:
    """YAML reads a bare yes / no as a boolean; no answer is ever a boolean, so read them back as words."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return [_yes_no(v) for v in value]
    return value


def _is_scalar(value: Any) -> bool:
    return isinstance(value, str | int | float) and not isinstance(value, bool)


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key
