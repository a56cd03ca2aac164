"""The engine's hard limits, checked when the knowledge base is loaded rather than discovered at run time."""

from __future__ import annotations

import json
from itertools import combinations

import durable_rules_engine as _engine

from ..knowledge.errors import Problem
from ..knowledge.model import KnowledgeBase
from ..knowledge.questions import questions_for_ruleset
from .compiler import MAX_BUCKETS, MAX_FACT_PROPERTIES, MAX_FACTS, compile_ruleset


def fnv1a_32(text: str) -> int:
    """The hash the engine compares session ids, fact ids and property names by (and nothing else)."""
    value = 0x811C9DC5
    for byte in text.encode("utf-8"):
        value = ((value ^ byte) * 0x01000193) & 0xFFFFFFFF
    return value


def hash_collisions(names: tuple[str, ...] | list[str]) -> list[tuple[str, str]]:
    by_hash: dict[int, list[str]] = {}
    for name in dict.fromkeys(names):
        by_hash.setdefault(fnv1a_32(name), []).append(name)
    return [pair for group in by_hash.values() for pair in combinations(sorted(group), 2)]


def check_engine_limits(kb: KnowledgeBase) -> list[Problem]:
    problems: list[Problem] = []
    for ruleset in kb.rulesets.values():
        where = f"rules/{ruleset.id}"
        compiled = compile_ruleset(ruleset, questions_for_ruleset(kb, ruleset.id))
        answers_properties = len(compiled.property_names) - len(compiled.dk_questions)
        if answers_properties > MAX_FACT_PROPERTIES:
            problems.append(
                Problem(
                    where,
                    "",
                    "",
                    f"{answers_properties} answer properties; the engine takes {MAX_FACT_PROPERTIES}",
                )
            )
        if compiled.buckets > MAX_BUCKETS:
            problems.append(Problem(where, "", "", f"too many rules test answers ({compiled.buckets} buckets)"))
        if len(compiled.fact_ids) > MAX_FACTS:
            problems.append(Problem(where, "", "", f"{len(compiled.fact_ids)} facts; the engine takes {MAX_FACTS}"))
        for kind, names in (("property names", compiled.property_names), ("fact ids", compiled.fact_ids)):
            for a, b in hash_collisions(names):
                problems.append(
                    Problem(
                        where,
                        b,
                        "id",
                        f"'{a}' and '{b}' collide in the engine's 32-bit hash of {kind}; rename one",
                    )
                )
        if not problems:
            problems += _refused_rules(ruleset.id, compiled)
    return problems


def _refused_rules(ruleset_id: str, compiled) -> list[Problem]:
    """Try the whole ruleset in the engine; if it is refused, try each rule alone to name the culprits."""
    if _accepted(f"check-{ruleset_id}", compiled.definition):
        return []
    problems = []
    for name, rule in compiled.rules.items():
        if not _accepted(f"check-{ruleset_id}-{name}", {name: compiled.definition[name]}):
            problems.append(
                Problem(
                    rule.rules[0].file,
                    rule.rules[0].id,
                    "when",
                    "the engine cannot evaluate this condition (over about 30 tests and groups in one "
                    "expression); move part of it into a derived fact",
                )
            )
    return problems or [Problem(f"rules/{ruleset_id}", "", "", "the engine refused the ruleset")]


def _accepted(name: str, definition: dict) -> bool:
    try:
        handle = _engine.create_ruleset(name, json.dumps(definition))
    except _engine.error:
        return False
    _engine.delete_ruleset(handle)
    return True
