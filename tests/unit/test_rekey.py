"""Assessments read in either edition (knowledge.rekey): the same answers give the same gaps in 2015 and 2026,
their clauses re-keyed through the crosswalk, a split clause landing where the crosswalk says; every clause of a
2026 report exists in the 2026 catalogue; and a comparison across editions carries the clauses over."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from click.testing import CliRunner

from app.cli import main
from app.config import PROJECT_ROOT
from app.engine import load_knowledge_base
from app.knowledge import rekey
from app.knowledge.answer_file import AnswerFileInvalid, parse_answer_file
from app.knowledge.errors import KnowledgeBaseInvalid
from app.knowledge.loader import read_knowledge_base
from app.planning.assess import assess
from app.planning.comparison import Facts, compare

from .test_editions import _crosswalk, _kb

EXAMPLES = sorted(p.relative_to(PROJECT_ROOT / "examples") for p in (PROJECT_ROOT / "examples").rglob("*.yaml"))


@pytest.fixture(scope="module")
def kb():
    return load_knowledge_base(PROJECT_ROOT)


def _both(kb, example: str):
    parsed = parse_answer_file((PROJECT_ROOT / "examples" / example).read_text(), kb)
    return tuple(assess(kb, parsed.questionnaire, parsed.answers, edition=e) for e in ("iso9001-2015", "iso9001-2026"))


def test_the_default_edition_is_the_newest_published_one_while_2026_is_a_draft(kb):
    assert kb.catalogues["iso9001-2026"].status == "draft"
    assert rekey.editions_of(kb, "iso9001-software") == ("iso9001-2015", "iso9001-2026")
    assert rekey.default_edition(kb, "iso9001-software") == "iso9001-2015"
    assert rekey.edition_or_default(kb, "quick-scan", "iso9001-2030") == "iso9001-2015"


def test_the_same_answers_give_the_same_gaps_in_both_editions_the_split_clause_landing_where_the_crosswalk_says(kb):
    old, new = _both(kb, "full-devops-saas-no-policy.yaml")
    assert (old.edition, new.edition) == ("iso9001-2015", "iso9001-2026")
    assert new.standard == "ISO 9001:2026" and old.standard != new.standard
    # The same gaps with the same grades (listed in the clause order of each edition).
    assert {f.id: f.severity for f in old.findings} == {f.id: f.severity for f in new.findings}
    before = {f.id: f.clauses for f in old.findings}
    moved = {f.id: (before[f.id], f.clauses) for f in new.findings if before[f.id] != f.clauses}
    # Only what sat on 6.1 moved: the partial risk handling to risks (6.1.2), the security-only register to
    # deciding what the risks cover (6.1.1).
    assert moved == {
        "planning-risks-partly-managed": (("6.1",), ("6.1.2",)),
        "planning-risks-security-only": (("6.1",), ("6.1.1",)),
    }
    assert {i.id for i in old.plan} == {i.id for i in new.plan}
    assert old.verdict.level == new.verdict.level


def test_an_answer_on_opportunities_lands_on_the_opportunities_clause(kb):
    old, new = _both(kb, "calibration/surveillance-repeat-review.yaml")
    on_opportunities = {f.id: f.clauses for f in new.findings if "opportunities" in f.id}
    assert on_opportunities == {"h-opportunities-not-managed": ("6.1.3",)}
    assert next(f for f in old.findings if f.id == "h-opportunities-not-managed").clauses == ("6.1",)
    # Readiness per clause is worked out over 2026's leaves: 6.1.3 is scored on its own, below the risk clauses.
    scores = new.readiness.clauses
    assert "6.1" not in scores and scores["6.1.3"].score < scores["6.1.2"].score


@pytest.mark.parametrize("example", EXAMPLES, ids=str)
def test_every_clause_of_a_2026_report_is_in_the_2026_catalogue(example):
    result = CliRunner().invoke(
        main, ["assess", str(PROJECT_ROOT / "examples" / example), "--edition", "iso9001-2026", "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    kb = load_knowledge_base(PROJECT_ROOT)
    leaves = {c.id for c in kb.catalogues["iso9001-2026"].leaves}
    assert document["standard"] == "ISO 9001:2026" and document["edition"] == "iso9001-2026"
    used = {c for f in document["findings"] for c in f["clauses"]}
    used |= {c for f in document["findings"] for m in f.get("merged", ()) for c in m["clauses"]}
    used |= {c for item in document["plan"] for c in item["clauses"]}
    assert used <= leaves, used - leaves
    assert set(document["readiness"]["clauses"]) == leaves


def test_the_answers_file_names_its_edition_and_the_command_line_overrides_it(kb, tmp_path):
    text = (PROJECT_ROOT / "examples" / "full-tiny-startup.yaml").read_text()
    with_edition = text.replace(
        "questionnaire: iso9001-software\n", "questionnaire: iso9001-software\nedition: iso9001-2026\n", 1
    )
    assert with_edition != text
    assert parse_answer_file(with_edition, kb).edition == "iso9001-2026"
    path = tmp_path / "answers.yaml"
    path.write_text(with_edition)
    read = json.loads(CliRunner().invoke(main, ["assess", str(path), "--format", "json"]).output)
    assert read["edition"] == "iso9001-2026" and "6.1.2" in read["readiness"]["clauses"]
    overridden = CliRunner().invoke(main, ["assess", str(path), "--edition", "iso9001-2015", "--format", "json"])
    assert json.loads(overridden.output)["edition"] == "iso9001-2015"
    with pytest.raises(AnswerFileInvalid, match="unknown edition 'iso9001-2030'"):
        parse_answer_file(with_edition.replace("iso9001-2026", "iso9001-2030"), kb)
    refused = CliRunner().invoke(main, ["assess", str(path), "--edition", "iso9001-2030"])
    assert refused.exit_code == 2 and "Unknown edition" in refused.output


def _split(**fields) -> dict:
    entry = {"from": "9.2", "to": ["9.2.1", "9.2.2"], "relation": "split", "note": "n", "asks": ["audit"], **fields}
    return {k: v for k, v in entry.items() if v is not None}


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        (_split(lands=None), "say which of the clauses a reference to the split one lands in"),
        (_split(lands="9.3"), "a reference lands in one of the clauses under 'to'"),
        (_split(lands="9.2.1", lands_by={"audit": "4.4"}), "a reference lands in one of the clauses under 'to'"),
        (_split(lands="9.2.1", lands_by={"nothing-like-it": "9.2.2"}), "no question or rule 'nothing-like-it'"),
    ],
)
def test_kb_check_refuses_a_split_that_does_not_say_where_references_land(tmp_path, entry, expected):
    with pytest.raises(KnowledgeBaseInvalid) as refused:
        read_knowledge_base(_kb(tmp_path, _crosswalk(**{"9.2": entry})))
    assert any(expected in str(p) for p in refused.value.problems), refused.value.problems


def test_kb_check_refuses_landing_a_question_that_is_not_on_the_split_clause(tmp_path):
    entry = _split(lands="9.2.1", lands_by={"tools": "9.2.2"})  # `tools` is a question on 4.4
    with pytest.raises(KnowledgeBaseInvalid) as refused:
        read_knowledge_base(_kb(tmp_path, _crosswalk(**{"9.2": entry})))
    assert any("'tools' does not refer to 9.2" in str(p) for p in refused.value.problems)


def test_a_comparison_across_editions_carries_the_earlier_clauses_over(kb):
    old, _ = _both(kb, "full-devops-saas-no-policy.yaml")
    _, new = _both(kb, "full-tiny-startup.yaml")
    crosswalk = kb.crosswalks[0]
    first = Facts(1, datetime(2026, 3, 2, tzinfo=UTC), old.to_dict(), edition="iso9001-2015")
    second = Facts(2, datetime(2026, 9, 7, tzinfo=UTC), new.to_dict(), edition="iso9001-2026")
    result = compare(first, second, crosswalk)
    risks = old.readiness.clauses["6.1"].score
    # Each part of the split clause starts from the score 6.1 had; no clause of the later edition is left blank
    # because the earlier assessment used another number.
    assert {c: result.clauses[c].before for c in ("6.1.1", "6.1.2", "6.1.3")} == dict.fromkeys(
        ("6.1.1", "6.1.2", "6.1.3"), risks
    )
    assert "6.1" not in result.clauses
    assert any("iso9001-2015" in n and "iso9001-2026" in n for n in result.notes)
    # Without the crosswalk the split clause's parts would have no earlier score at all.
    assert compare(first, second).clauses["6.1.2"].before is None
    # Backwards (a team that went back to 2015): the parts' scores are averaged into 6.1.
    back = compare(
        Facts(1, first.started_at, new.to_dict(), edition="iso9001-2026"),
        Facts(2, second.started_at, old.to_dict(), edition="iso9001-2015"),
        crosswalk,
    )
    parts = [new.readiness.clauses[c].score for c in ("6.1.1", "6.1.2", "6.1.3")]
    assert back.clauses["6.1"].before == round(
        sum(p for p in parts if p is not None) / len([p for p in parts if p is not None])
    )
