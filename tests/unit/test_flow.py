"""Where the interview stands: which questions are relevant, how far along it is, and which question comes next."""

from __future__ import annotations

import pytest

from app.interview.flow import Progress, SectionProgress, next_question, progress, relevant_questions

# The mini questionnaire (tests/kbfactory.py): "people" in a Profile section, then, in Main, scope, audit, review,
# tools, maturity, notes and audit_plan, which the tests treat as the one follow-up question.
FOLLOW_UPS = {"audit_plan"}
MAIN = ["scope", "audit", "review", "tools", "maturity", "notes"]


@pytest.fixture
def questionnaire(mini_kb):
    return mini_kb.questionnaire("mini")


def ids(questions) -> list[str]:
    return [q.id for q in questions]


def test_a_follow_up_is_relevant_only_once_the_rules_ask_it(questionnaire):
    assert ids(relevant_questions(questionnaire, FOLLOW_UPS, asked=())) == ["people", *MAIN]
    assert ids(relevant_questions(questionnaire, FOLLOW_UPS, asked={"audit_plan"})) == ["people", *MAIN, "audit_plan"]


def test_questions_that_are_not_follow_ups_are_relevant_whatever_was_asked(questionnaire):
    assert ids(relevant_questions(questionnaire, follow_ups=(), asked=())) == ids(questionnaire.questions)
    # "asked" only lets follow-ups in; naming a question that is no follow-up changes nothing
    assert ids(relevant_questions(questionnaire, FOLLOW_UPS, asked={"scope"})) == ["people", *MAIN]


def test_progress_counts_answers_to_relevant_questions_by_section(questionnaire):
    relevant = relevant_questions(questionnaire, FOLLOW_UPS, asked=())
    # audit_plan is not relevant (no rule asked it), so its answer does not count
    answered = {"people": 12, "scope": "yes", "audit": "no", "audit_plan": "yes"}
    result = progress(questionnaire, relevant, answered)
    assert result == Progress(
        answered=3,
        relevant=7,
        sections=(SectionProgress("profile", "Profile", 1, 1), SectionProgress("main", "Main", 2, 6)),
    )
    assert result.left == 4
    assert result.percent == 43  # 3 of 7, rounded
    assert [s.percent for s in result.sections] == [100, 33]


def test_progress_of_a_section_counts_only_its_relevant_questions(questionnaire):
    relevant = relevant_questions(questionnaire, FOLLOW_UPS, asked={"audit_plan"})
    result = progress(questionnaire, relevant, {"audit_plan": "no", "tools": ["ci"]})
    assert result.sections[1] == SectionProgress("main", "Main", 2, 7)
    assert result.sections[1].percent == 29


def test_nothing_relevant_is_complete_not_a_division_by_zero(questionnaire):
    result = progress(questionnaire, [], {})
    assert (result.answered, result.relevant, result.left, result.percent) == (0, 0, 0, 100)
    assert all(s.relevant == 0 and s.percent == 100 for s in result.sections)


def test_next_is_the_first_unanswered_question_in_order(questionnaire):
    relevant = relevant_questions(questionnaire, FOLLOW_UPS, asked=())
    assert next_question(relevant, {}).id == "people"
    assert next_question(relevant, {"people": 5, "scope": "yes", "review": "no"}).id == "audit"


def test_copied_answers_to_confirm_come_before_open_questions(questionnaire):
    relevant = relevant_questions(questionnaire, FOLLOW_UPS, asked=())
    answered = {"people": 5, "review": "yes", "tools": ["ci"]}
    assert next_question(relevant, answered, to_confirm={"tools", "review"}).id == "review"
    # a question to confirm that has no answer (any more) is simply an open question in its place
    assert next_question(relevant, {"people": 5}, to_confirm={"notes"}).id == "scope"


def test_skipped_questions_come_last_in_their_order(questionnaire):
    relevant = relevant_questions(questionnaire, FOLLOW_UPS, asked=())
    answered = {"people": 5}
    assert next_question(relevant, answered, skipped={"scope", "audit"}).id == "review"
    everything_else = {q: "yes" for q in ("people", "review", "tools", "maturity", "notes")}
    assert next_question(relevant, everything_else, skipped={"audit", "scope"}).id == "scope"


def test_skipped_questions_in_the_order_of_their_skips_come_back_the_longest_skipped_first(questionnaire):
    relevant = relevant_questions(questionnaire, FOLLOW_UPS, asked=())
    everything_else = {q: "yes" for q in ("people", "review", "tools", "maturity", "notes")}
    # skipped "scope", then "audit", then "scope" again: "audit" has waited longest
    assert next_question(relevant, everything_else, skipped={"audit": None, "scope": None}).id == "audit"


def test_a_copied_answer_skipped_waits_until_the_open_questions_are_answered(questionnaire):
    relevant = relevant_questions(questionnaire, FOLLOW_UPS, asked=())
    answered = {"people": 5, "review": "yes"}
    assert next_question(relevant, answered, to_confirm={"review"}, skipped={"review": None}).id == "scope"
    everything = {q.id: "yes" for q in relevant}
    assert next_question(relevant, everything, to_confirm={"review"}, skipped={"review": None}).id == "review"


def test_nothing_comes_next_when_every_relevant_question_is_answered(questionnaire):
    relevant = relevant_questions(questionnaire, FOLLOW_UPS, asked=())
    answered = {q.id: "yes" for q in relevant}
    assert next_question(relevant, answered, skipped={"scope"}) is None
    # unless a copied answer still waits for confirmation
    assert next_question(relevant, answered, to_confirm={"notes"}).id == "notes"


def test_the_shipped_questionnaire_starts_with_its_first_question_and_hides_follow_ups(real_kb):
    questionnaire = real_kb.questionnaire("iso9001-software")
    follow_ups = real_kb.ruleset_for(questionnaire.id).follow_ups
    assert follow_ups  # the shipped rules do ask follow-ups, so the filter below is tested on real data
    relevant = relevant_questions(questionnaire, follow_ups, asked=())
    assert not {q.id for q in relevant} & follow_ups
    assert len(relevant) == len(questionnaire.questions) - len(follow_ups)
    assert next_question(relevant, {}) == questionnaire.questions[0]
    result = progress(questionnaire, relevant, {})
    assert (result.answered, result.relevant) == (0, len(relevant))
    assert [s.id for s in result.sections] == [s.id for s in questionnaire.sections]
    assert sum(s.relevant for s in result.sections) == len(relevant)
