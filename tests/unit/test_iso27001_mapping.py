"""The ISO/IEC 27001:2022 to ISO 9001 mapping is data that `kb check` validates: an ISO 9001 clause the catalogue
does not have, a relation it does not know or a question nobody asks is refused, with the file and entry named."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from app.cli import main
from app.config import PROJECT_ROOT
from app.engine import load_knowledge_base
from app.knowledge.errors import KnowledgeBaseInvalid
from app.knowledge.loader import read_knowledge_base

from ..kbfactory import make_kb

MAPPING = "rules/mappings/mini.yaml"


def _mapping(*entries) -> dict:
    return {
        "id": "mini-mapping",
        "from": "iso27001-2022",
        "to": "iso9001-2015",
        "title": "Test mapping",
        "certificate": "iso27001",
        "entries": list(entries)
        or [
            {
                "from": "9.2",
                "title": "Internal audit",
                "to": ["9.2"],
                "relation": "partly_covers",
                "answers": ["audit"],
                "note": "Audits security only.",
            },
            {"from": "5.2", "title": "Policy", "to": ["4.3"], "relation": "different_intent", "note": "Other aim."},
        ],
    }


def _problems(tmp_path, mapping) -> list[str]:
    with pytest.raises(KnowledgeBaseInvalid) as refused:
        read_knowledge_base(make_kb(tmp_path, extra_files={MAPPING: mapping}))
    return [str(p) for p in refused.value.problems]


def test_a_valid_mapping_loads_and_offers_only_what_it_covers(tmp_path):
    kb = read_knowledge_base(make_kb(tmp_path, extra_files={MAPPING: _mapping()}))
    (mapping,) = kb.mappings
    assert mapping.certificate == "iso27001"
    assert list(mapping.suggested_questions()) == ["audit"]


def test_kb_check_refuses_an_iso9001_clause_the_catalogue_does_not_have(tmp_path):
    entry = {"from": "A.5.19", "title": "Suppliers", "to": ["8.4.9"], "relation": "covers", "note": "x"}
    (problem,) = _problems(tmp_path, _mapping(entry))
    assert "rules/mappings/mini.yaml" in problem
    assert "A.5.19" in problem
    assert "8.4.9 is not a clause of iso9001-2015" in problem


def test_kb_check_refuses_a_relation_it_does_not_know(tmp_path):
    entry = {"from": "9.2", "title": "Internal audit", "to": ["9.2"], "relation": "same", "note": "x"}
    problems = _problems(tmp_path, _mapping(entry))
    assert any("mini.yaml" in p and "relation" in p for p in problems)


def test_kb_check_refuses_a_question_nobody_asks_and_answers_for_a_different_intent(tmp_path):
    unknown = {"from": "9.2", "title": "Audit", "to": ["9.2"], "relation": "covers", "note": "x", "answers": ["nope"]}
    assert any("no question 'nope'" in p for p in _problems(tmp_path, _mapping(unknown)))
    other = {**unknown, "relation": "different_intent", "answers": ["audit"]}
    assert any("answers" in p for p in _problems(tmp_path, _mapping(other)))


def test_kb_check_refuses_an_entry_mapped_twice(tmp_path):
    entry = {"from": "9.2", "title": "Audit", "to": ["9.2"], "relation": "covers", "note": "x"}
    assert any("mapped more than once" in p for p in _problems(tmp_path, _mapping(entry, entry)))


def test_the_shipped_mapping_and_kb_check_listing(monkeypatch):
    kb = load_knowledge_base(PROJECT_ROOT)
    mapping = next(m for m in kb.mappings if m.source == "iso27001-2022")
    relations = {e.source: e.relation for e in mapping.entries}
    assert relations["9.2"] == "partly_covers"
    assert relations["5.2"] == "different_intent"
    assert {"A.5.19", "A.5.22", "A.8.32", "A.6.3", "A.5.33", "A.5.37", "A.8.25", "A.5.24"} <= set(relations)
    assert "internal_audit_held" in mapping.suggested_questions()
    monkeypatch.setenv("CLAUSEWISE_KB_DIR", str(PROJECT_ROOT))
    report = json.loads(CliRunner().invoke(main, ["kb", "check", "--format", "json"]).output)
    assert report["mappings"] == [
        {"id": "iso27001-2022-to-iso9001-2015", "from": "iso27001-2022", "to": "iso9001-2015", "entries": 32}
    ]


def test_suggestions_are_offered_only_to_a_27001_organisation_and_never_over_an_answer():
    from app.knowledge.mapping import offered_questions

    kb = load_knowledge_base(PROJECT_ROOT)
    certified = offered_questions(kb.mappings, {"existing_certifications": ["iso27001"]})
    assert {"internal_audit_held", "supplier_register_kept", "production_change_approval"} <= set(certified)
    assert offered_questions(kb.mappings, {"existing_certifications": ["soc2"]}) == {}
    assert offered_questions(kb.mappings, {}) == {}
    out_of_scope = {"existing_certifications": ["iso27001"], "iso27001_scope_overlaps": "no"}
    assert offered_questions(kb.mappings, out_of_scope) == {}
    answered = offered_questions(kb.mappings, {"existing_certifications": ["iso27001"], "internal_audit_held": "no"})
    assert "internal_audit_held" not in answered
