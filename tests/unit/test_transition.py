"""The transition to the 2026 edition read from an assessment: each changed requirement with this organisation's
status, the questions still to answer and the plan actions that close it; gaps first."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from app.cli import main
from app.config import PROJECT_ROOT
from app.engine import load_knowledge_base
from app.knowledge.answer_file import parse_answer_file
from app.knowledge.answers import Answer
from app.planning.assess import assess
from app.planning.transition import STATUSES, transition_for

SURVEILLANCE = PROJECT_ROOT / "examples" / "full-surveillance-certified.yaml"
NEW_QUESTIONS = ("quality_culture_promoted", "ethics_awareness", "opportunities_managed", "system_changes_followed_up")


@pytest.fixture(scope="module")
def kb():
    return load_knowledge_base(PROJECT_ROOT)


def _answers(kb, path=SURVEILLANCE, **changes):
    parsed = parse_answer_file(path.read_text(), kb)
    values = {q: (a.value if isinstance(a, Answer) else a) for q, a in parsed.answers.items()}
    values.update(changes)
    return parsed.questionnaire, {q: v for q, v in values.items() if v is not None}


def _transition(kb, path=SURVEILLANCE, **changes):
    questionnaire, values = _answers(kb, path, **changes)
    report = assess(kb, questionnaire, values)
    return report, transition_for(kb, questionnaire, values, report)


def _item(found, clause):
    return next(item for item in found.items if clause in item.clauses)


def test_a_certified_organisation_is_asked_what_the_new_edition_adds(kb):
    questionnaire, values = _answers(kb)
    report = assess(kb, questionnaire, values)
    assert set(NEW_QUESTIONS) <= set(report.asked)  # follow-ups of a surveillance or recertification audit
    _, initial = _answers(kb, audit_type="initial", previous_findings_open=None, previous_findings_areas=None)
    assert not set(NEW_QUESTIONS) & set(assess(kb, questionnaire, initial).asked)


def test_unanswered_changes_are_not_asked_yet_and_name_their_questions(kb):
    _, found = _transition(kb, quality_culture_promoted=None)
    culture = _item(found, "5.1.1")
    assert culture.status == "not_asked"
    assert [q["id"] for q in culture.questions] == ["quality_culture_promoted"]
    assert culture.change == "changed" and "culture" in culture.note


def test_a_positive_answer_meets_the_change_and_a_negative_one_is_a_gap_with_its_action(kb):
    _, met = _transition(kb, quality_culture_promoted="yes")
    assert _item(met, "5.1.1").status == "met" and _item(met, "5.1.1").plan == ()
    report, gap = _transition(kb, quality_culture_promoted="no")
    culture = _item(gap, "5.1.1")
    assert culture.status == "gap"
    assert any("quality and honest, ethical behaviour" in reason for reason in culture.because)
    ranked = {item.rank: item for item in report.plan}
    assert [ranked[rank].id for rank in culture.plan] == ["promote-quality-culture"]
    # Not required by the 2015 edition: an observation to prepare for, never a nonconformity today.
    finding = next(f for f in report.findings if f.id == "h-quality-culture-not-promoted")
    assert finding.severity == "observation"


def test_dont_know_leaves_the_question_to_answer(kb):
    _, found = _transition(kb, ethics_awareness="dont_know")
    awareness = _item(found, "7.3")
    assert awareness.status == "not_asked" and [q["id"] for q in awareness.questions] == ["ethics_awareness"]


def test_a_split_requirement_is_one_item_over_every_new_clause(kb):
    _, found = _transition(kb, opportunities_managed="no", risks_managed="yes")
    split = _item(found, "6.1.3")
    assert split.clauses == ("6.1.1", "6.1.2", "6.1.3") and split.change == "split"
    assert split.status == "gap"


def test_gaps_come_first_then_what_is_unknown_then_what_is_met(kb):
    _, found = _transition(
        kb,
        quality_culture_promoted="yes",
        ethics_awareness="no",
        opportunities_managed="yes",
        climate_change_decided="yes",
    )
    statuses = [item.status for item in found.items]
    assert statuses == sorted(statuses, key=STATUSES.index)
    assert found.counts()["gap"] >= 1 and found.counts()["met"] >= 1
    assert found.deadline_fixed is False and found.status == "draft"


def test_a_questionnaire_that_asks_none_of_it_never_reads_met(kb):
    _, found = _transition(kb, PROJECT_ROOT / "examples" / "startup-scrum.yaml")
    assert "met" not in {item.status for item in found.items}
    culture = _item(found, "5.1.1")
    assert culture.status == "not_asked" and culture.questions == ()


def test_the_cli_adds_the_transition_to_json_and_to_text_for_certified_organisations():
    runner = CliRunner()
    document = json.loads(runner.invoke(main, ["assess", str(SURVEILLANCE), "--format", "json"]).output)
    transition = document["transition"]
    assert transition["edition"] == "iso9001-2026" and transition["deadline_fixed"] is False
    known = {c for item in transition["items"] for c in item["clauses"]}
    assert known <= {"4.1", "4.2", "5.1.1", "6.1.1", "6.1.2", "6.1.3", "6.3", "7.3"}
    assert "Moving to ISO 9001:2026" in runner.invoke(main, ["assess", str(SURVEILLANCE)]).output
    first = str(PROJECT_ROOT / "examples" / "startup-scrum.yaml")
    assert "Moving to" not in runner.invoke(main, ["assess", first]).output
    assert "Moving to" in runner.invoke(main, ["assess", first, "--transition"]).output
    markdown = runner.invoke(main, ["assess", first, "--transition", "--format", "markdown"]).output
    assert "## Moving to ISO 9001:2026" in markdown
