"""Recommendations worded for how the team works (issue 12 item 2): ways of working as data, a wording per way in
the rule, the neutral wording for everyone else, and `kb check` refusing a wording for a way nobody defined."""

from __future__ import annotations

import copy

import pytest
import yaml

from app.config import PROJECT_ROOT
from app.engine import load_knowledge_base
from app.formats.markdown import to_markdown, to_text
from app.knowledge.answer_file import parse_answer_file
from app.knowledge.errors import KnowledgeBaseInvalid
from app.planning.assess import assess
from app.planning.report import Report

from ..kbfactory import QUESTIONS, RULES, make_kb

WAYS = "rules/ways-of-working.yaml"
METHOD = {
    "id": "method",
    "kind": "single_choice",
    "text": "How do you work?",
    "why": "Wording.",
    "section": "profile",
    "options": [{"value": "scrum", "label": "Scrum"}, {"value": "phases", "label": "Phases"}],
}
MINI_WAYS = {
    "ways": [
        {"id": "phased", "name": "a phased team", "when": {"method": ["phases"]}},
        {"id": "sprints", "name": "a Scrum team", "when": {"method": ["scrum"]}},
    ]
}


def _rules(recommendation_for: dict) -> dict:
    rules = copy.deepcopy(RULES)
    no_scope = next(r for r in rules["rules"] if r["id"] == "no-scope")
    no_scope["then"]["finding"]["recommendation_for"] = recommendation_for
    return rules


def _mini(tmp_path, ways=MINI_WAYS, recommendation_for=None):
    root = make_kb(
        tmp_path,
        questions=[METHOD, *QUESTIONS],
        rules=_rules(recommendation_for if recommendation_for is not None else {"sprints": "Put it in the DoD."}),
        extra_files={WAYS: ways},
    )
    return load_knowledge_base(root)


def _recommendation(kb, questionnaire: str, answers: dict, finding: str) -> tuple[str, Report]:
    report = assess(kb, questionnaire, answers)
    return next(f.recommendation for f in report.findings if f.id == finding), report


@pytest.mark.parametrize(
    ("method", "wording", "worded_for"),
    [
        ("scrum", "Put it in the DoD.", "a Scrum team"),
        ("phases", "Write it.", "a phased team"),  # a way the rule has no wording for: the neutral one
        (None, "Write it.", None),  # no way fits: the neutral wording, and the report says none
    ],
)
def test_the_way_that_fits_the_profile_chooses_the_wording(tmp_path, method, wording, worded_for):
    kb = _mini(tmp_path)
    answers = {"scope": "no", **({"method": method} if method else {})}
    recommendation, report = _recommendation(kb, "mini", answers, "no-scope")
    assert recommendation == wording
    assert (report.worded_for.name if report.worded_for else None) == worded_for


def test_the_wording_survives_the_stored_report_and_an_older_one_reads_as_neutral(tmp_path):
    report = assess(_mini(tmp_path), "mini", {"scope": "no", "method": "scrum"})
    stored = report.to_dict()
    assert stored["worded_for"] == {"id": "sprints", "name": "a Scrum team"}
    assert Report.from_dict(stored).worded_for == report.worded_for
    del stored["worded_for"]  # a snapshot written before ways of working existed
    assert Report.from_dict(stored).worded_for is None


def test_the_text_and_markdown_reports_say_whom_the_advice_is_worded_for(tmp_path):
    report = assess(_mini(tmp_path), "mini", {"scope": "no", "method": "scrum"})
    assert "what to do is worded for a Scrum team" in to_text(report)
    assert "_What to do is worded for a Scrum team._" in to_markdown(report)
    neutral = assess(_mini(tmp_path), "mini", {"scope": "no"})
    assert "worded for" not in to_text(neutral) and "worded for" not in to_markdown(neutral)


@pytest.mark.parametrize(
    ("ways", "recommendation_for", "field", "message"),
    [
        (MINI_WAYS, {"continuous": "Gate it."}, "then.finding.recommendation_for", "unknown way of working"),
        ({"ways": [{"id": "x-way", "name": "x", "when": {"nobody_asks": ["a"]}}]}, {}, "when.nobody_asks", "no "),
        ({"ways": [{"id": "x-way", "name": "x", "when": {"method": ["kanban"]}}]}, {}, "when.method", "no option"),
        ({"ways": [{"id": "x-way", "name": "x", "when": {"people": ["5"]}}]}, {}, "when.people", "not a choice"),
    ],
)
def test_kb_check_refuses_a_way_or_a_wording_it_cannot_place(tmp_path, ways, recommendation_for, field, message):
    with pytest.raises(KnowledgeBaseInvalid) as refused:
        _mini(tmp_path, ways=ways, recommendation_for=recommendation_for)
    problems = [p for p in refused.value.problems if p.field == field]
    assert problems and message in problems[0].message, refused.value.problems


def test_a_malformed_ways_file_is_refused_with_the_file_named(tmp_path):
    with pytest.raises(KnowledgeBaseInvalid) as refused:
        _mini(tmp_path, ways={"ways": [{"id": "Bad Id", "name": "x", "when": {}}]})
    assert any(p.file.endswith("ways-of-working.yaml") for p in refused.value.problems)


# ------------------------------------------------------------------------------------- the shipped knowledge base


def _startup(real_kb, **profile) -> dict:
    text = (PROJECT_ROOT / "examples" / "full-tiny-startup.yaml").read_text()
    answers = {q: a.value for q, a in parse_answer_file(text, real_kb).answers.items()}
    return {**answers, **profile}


def _shipped_wording(rule_id: str, way: str | None) -> str:
    for path in sorted((PROJECT_ROOT / "rules" / "iso9001-software").glob("*.yaml")):
        for rule in yaml.safe_load(path.read_text()).get("rules") or []:
            if rule["id"] == rule_id:
                finding = rule["then"]["finding"]
                text = finding["recommendation_for"][way] if way else finding["recommendation"]
                return " ".join(text.split())
    raise AssertionError(rule_id)


@pytest.mark.parametrize(
    ("profile", "way"),
    [
        ({"way_of_working": "waterfall", "release_cadence": "quarterly_or_less"}, "phased"),
        ({"way_of_working": "scrum", "release_cadence": "monthly"}, "sprints"),
        # Deploying on every merge says more about where the evidence lives than the sprint events do.
        ({"way_of_working": "scrum", "release_cadence": "on_demand"}, "continuous"),
        ({"way_of_working": "hybrid", "release_cadence": "monthly"}, None),
    ],
)
def test_the_shipped_audit_loop_advice_speaks_the_teams_language(real_kb, profile, way):
    recommendation, report = _recommendation(
        real_kb, "iso9001-software", _startup(real_kb, **profile), "e-system-never-checked"
    )
    assert recommendation == _shipped_wording("e-system-never-checked", way)
    assert (report.worded_for.id if report.worded_for else None) == way


def test_the_wording_changes_no_grade_and_no_finding(real_kb):
    reports = [
        assess(real_kb, "iso9001-software", _startup(real_kb, way_of_working=way, release_cadence="monthly"))
        for way in ("waterfall", "scrum", "hybrid")
    ]
    shapes = [[(f.id, f.severity, f.clauses) for f in r.findings] for r in reports]
    assert shapes[0] and shapes[0] == shapes[1] == shapes[2]


def test_every_shipped_way_is_reachable_and_worded_somewhere(real_kb):
    worded = {
        way
        for ruleset in real_kb.rulesets.values()
        for rule in ruleset.rules
        if rule.finding
        for way, _ in rule.finding.recommendation_for
    }
    assert {w.id for w in real_kb.ways} == worded == {"phased", "continuous", "sprints", "flow"}
