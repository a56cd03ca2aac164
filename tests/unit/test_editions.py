"""Editions as data: a catalogue per edition with its status and source, and the crosswalk between two editions
that `kb check` refuses when it leaves a clause of either edition out."""

from __future__ import annotations

import copy
import json

import pytest
from click.testing import CliRunner

from app.cli import main
from app.config import PROJECT_ROOT
from app.engine import load_knowledge_base
from app.knowledge.errors import KnowledgeBaseInvalid
from app.knowledge.loader import read_knowledge_base

from ..kbfactory import CATALOGUE, make_kb

CROSSWALK = "rules/crosswalks/mini.yaml"


def _newer() -> dict:
    """The test catalogue's next edition: 9.2 split in two, 9.3.1 renumbered 9.3, a new 4.5."""
    newer = copy.deepcopy(CATALOGUE)
    newer.update(id="iso9001-2026", edition="next", status="draft", source="A draft read for the tests.")
    clauses = {c["id"]: c for c in newer["clauses"]}
    audit = clauses.pop("9.2")
    review = clauses.pop("9.3.1")
    clauses["9.2.1"] = {**audit, "id": "9.2.1", "title": "Audit programme"}
    clauses["9.2.2"] = {**audit, "id": "9.2.2", "title": "Audit results"}
    clauses["9.3"] = {**review, "id": "9.3"}
    clauses["4.5"] = {**clauses["4.4"], "id": "4.5", "title": "Something new", "gate": None}
    newer["clauses"] = list(clauses.values())
    known = set(clauses)
    newer["dependencies"] = [d for d in newer.get("dependencies", []) if set(d) <= known]
    return newer


def _crosswalk(**changes) -> dict:
    entries = {
        "4.3": {"from": "4.3", "to": ["4.3"], "relation": "same"},
        "4.4": {"from": "4.4", "to": ["4.4"], "relation": "changed", "note": "Reworded.", "asks": ["tools"]},
        "9.2": {
            "from": "9.2",
            "to": ["9.2.1", "9.2.2"],
            "relation": "split",
            "note": "Programme and results apart.",
            "asks": ["audit"],
            "lands": "9.2.1",
        },
        "9.3.1": {
            "from": "9.3.1",
            "to": ["9.3"],
            "relation": "renumbered",
            "note": "One level up.",
            "asks": ["review"],
        },
        "4.5": {"to": ["4.5"], "relation": "new", "note": "Asked for the first time.", "asks": ["scope"]},
    }
    for key, value in changes.items():
        if value is None:
            entries.pop(key)
        else:
            entries[key] = value
    return {
        "id": "mini-crosswalk",
        "from": "iso9001-2015",
        "to": "iso9001-2026",
        "title": "Test editions",
        "clauses": list(entries.values()),
    }


def _kb(tmp_path, crosswalk, newer=None):
    return make_kb(
        tmp_path,
        extra_files={"rules/catalogue/iso9001-2026.yaml": newer or _newer(), CROSSWALK: crosswalk},
    )


def _problems(tmp_path, crosswalk, newer=None) -> list[str]:
    with pytest.raises(KnowledgeBaseInvalid) as refused:
        read_knowledge_base(_kb(tmp_path, crosswalk, newer))
    return [str(p) for p in refused.value.problems]


def test_the_leaf_clauses_of_a_catalogue_are_those_nothing_sits_under(tmp_path):
    kb = read_knowledge_base(_kb(tmp_path, _crosswalk()))
    assert {c.id for c in kb.catalogues["iso9001-2026"].leaves} == {"4.3", "4.4", "4.5", "9.2.1", "9.2.2", "9.3"}
    crosswalk = kb.crosswalks[0]
    assert crosswalk.targets_of("9.2") == ("9.2.1", "9.2.2")
    assert crosswalk.sources_of("9.3") == ("9.3.1",)
    assert crosswalk.sources_of("4.5") == ()
    assert [c.relation for c in crosswalk.changes()] == ["changed", "split", "renumbered", "new"]


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"4.4": None}, "iso9001-2015 clause 4.4 is not mapped to iso9001-2026"),
        ({"4.5": None}, "iso9001-2026 clause 4.5 is reached by nothing and not marked new"),
        ({"4.3": {"from": "4.3", "to": ["4.4"], "relation": "same"}}, "'same' keeps the clause number"),
        (
            {"9.2": {"from": "9.2", "to": ["9.2.1"], "relation": "split", "note": "n", "asks": ["audit"]}},
            "at least two clauses",
        ),
        ({"4.4": {"from": "4.4", "to": ["4.4"], "relation": "changed", "asks": ["tools"]}}, "say in plain words"),
        ({"4.4": {"from": "4.4", "to": ["4.4"], "relation": "changed", "note": "n"}}, "name the questions"),
        (
            {"4.4": {"from": "4.4", "to": ["4.4"], "relation": "changed", "note": "n", "asks": ["nope"]}},
            "no question 'nope'",
        ),
        (
            {"4.5": {"from": "4.4", "to": ["4.5"], "relation": "new", "note": "n", "asks": ["scope"]}},
            "leave 'from' out",
        ),
        ({"x": {"from": "4.3", "to": ["4.3"], "relation": "same"}}, "clause 4.3 is mapped more than once"),
        (
            {"9.3.1": {"from": "9.3.1", "to": ["9.9"], "relation": "renumbered", "note": "n", "asks": ["review"]}},
            "9.9 is not a leaf",
        ),
        (
            {"x": {"from": "9", "to": ["4.5"], "relation": "changed", "note": "n", "asks": ["scope"]}},
            "not a leaf clause of iso9001-2015",
        ),
        (
            {"x": {"from": "4.4", "to": ["4.5"], "relation": "merged", "note": "n", "asks": ["tools"]}},
            "mapped more than once",
        ),
        ({"9.3.1": {"from": "9.3.1", "to": ["9.3"], "relation": "moved", "note": "n", "asks": ["review"]}}, "relation"),
    ],
)
def test_kb_check_refuses_a_crosswalk_that_loses_a_clause_or_says_nothing(tmp_path, changes, expected):
    problems = _problems(tmp_path, _crosswalk(**changes))
    assert any(CROSSWALK in p and expected in p for p in problems), problems


def test_kb_check_refuses_a_crosswalk_between_catalogues_it_does_not_have(tmp_path):
    crosswalk = {**_crosswalk(), "to": "iso9001-2030"}
    problems = _problems(tmp_path, crosswalk)
    assert any("no catalogue 'iso9001-2030'" in p for p in problems), problems


def test_every_catalogue_states_its_status_and_source(tmp_path):
    newer = _newer()
    del newer["status"]
    newer["source"] = ""
    problems = _problems(tmp_path, _crosswalk(), newer)
    assert any("iso9001-2026.yaml" in p and "status" in p for p in problems), problems
    assert any("iso9001-2026.yaml" in p and "source" in p for p in problems), problems


def test_the_shipped_catalogues_and_crosswalk():
    kb = load_knowledge_base(PROJECT_ROOT)
    old, new = kb.catalogues["iso9001-2015"], kb.catalogues["iso9001-2026"]
    assert old.status == "published"
    # Written from the final draft: it says so, and says the transition date is expected, not fixed.
    assert new.status == "draft" and "FDIS" in new.source
    assert new.transition is not None and new.transition.fixed is False
    crosswalk = next(c for c in kb.crosswalks if (c.source, c.target) == ("iso9001-2015", "iso9001-2026"))
    assert crosswalk.targets_of("6.1") == ("6.1.1", "6.1.2", "6.1.3")
    changed = {c.source: c.relation for c in crosswalk.changes()}
    assert changed == {
        "4.1": "changed",
        "4.2": "changed",
        "5.1.1": "changed",
        "6.1": "split",
        "6.3": "changed",
        "7.3": "changed",
    }
    # The rest of the skeleton carries over clause for clause.
    assert {c.id for c in old.leaves} - {"6.1"} == {c.id for c in new.leaves} - {"6.1.1", "6.1.2", "6.1.3"}
    assert "culture" in new.clause("5.1.1").summary and "ethic" in new.clause("7.3").summary


def test_kb_check_lists_the_catalogues_it_loaded(monkeypatch):
    monkeypatch.setenv("CLAUSEWISE_KB_DIR", str(PROJECT_ROOT))
    result = CliRunner().invoke(main, ["kb", "check", "--format", "json"], catch_exceptions=False)
    report = json.loads(result.output)
    catalogues = {c["id"]: c for c in report["catalogues"]}
    assert catalogues["iso9001-2026"] == {
        "id": "iso9001-2026",
        "edition": "ISO 9001:2026",
        "status": "draft",
        "clauses": 58,
        "used_by": [],
    }
    assert catalogues["iso9001-2015"]["clauses"] == 56
    # The newer edition's own sub-clauses are not reported as uncovered: questions are written against 2015.
    assert "6.1.3" not in report["clauses"]
    text = CliRunner().invoke(main, ["kb", "check"], catch_exceptions=False).output
    assert "Catalogue iso9001-2026 (ISO 9001:2026, draft)" in text
    assert "Crosswalk iso9001-2015 -> iso9001-2026: 6 clauses changed." in text
