"""The quick replies of a number question (its ranges, or round figures between its min and max), the words for a
multiple-choice question saved with nothing ticked, and the ranges' validation in the knowledge base."""

from __future__ import annotations

import copy
import re

import pytest

from app.engine import load_knowledge_base
from app.interview.quick_replies import choice_needed, number_replies, range_label
from app.knowledge.errors import KnowledgeBaseInvalid
from app.knowledge.model import NumberRange, Option, Question

from ..kbfactory import QUESTIONS, make_kb


def number(**fields) -> Question:
    return Question("n", "number", "How many?", "why", "s", **fields)


def test_ranges_given_by_the_questionnaire_are_offered_as_written():
    ranges = (NumberRange("Up to 10 people", 10), NumberRange("More than 10 people", 50))
    question = number(min=1, max=1000, unit="people", ranges=ranges)
    assert number_replies(question) == ranges
    assert range_label(question, 10) == "Up to 10 people" and range_label(question, 11) is None


@pytest.mark.parametrize(
    ("low", "high", "expected"),
    [
        (1, 100000, [1, 20, 500, 5000, 100000]),
        (0, 60, [0, 2, 5, 10, 50]),
        (0, 3, [0, 1, 2]),
        (None, None, [0, 2, 20, 200, 1000]),
    ],
)
def test_without_ranges_a_number_question_offers_round_figures_between_its_min_and_max(low, high, expected):
    replies = number_replies(number(min=low, max=high, unit="months"))
    assert [r.value for r in replies] == expected
    assert all(re.fullmatch(r"About [\d,]+ months", r.label) for r in replies)


def test_other_kinds_have_no_number_replies():
    assert number_replies(Question("q", "yes_no", "Q?", "why", "s")) == ()


def test_an_empty_multiple_choice_answer_names_the_none_option_when_there_is_one():
    options = (Option("none", "None yet"), Option("soc2", "SOC 2"))
    question = Question("q", "multiple_choice", "Which?", "why", "s", options=options)
    assert (
        choice_needed(question) == "Nothing was saved: tick at least one option, or choose “None yet” or “Don't know”."
    )
    plain = Question("q", "multiple_choice", "Which?", "why", "s", options=options[1:] + (Option("x", "X"),))
    assert choice_needed(plain) == "Nothing was saved: tick at least one option, or choose “Don't know”."


def test_the_shipped_number_questions_offer_ranges_their_rules_read_on_the_right_side(real_kb):
    people = real_kb.questionnaire("iso9001-software").question("people_in_scope")
    assert [r.value for r in people.ranges] == [10, 25, 100, 500, 1000]  # the rules test lte 10 and lte 25
    months = real_kb.questionnaire("iso9001-software").question("target_months")
    assert [r.value for r in months.ranges] == [3, 4, 6, 12, 18]  # the rules test lt 4 and lt 5


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"ranges": [{"label": "Lots", "value": 200000}]}, "outside min and max"),
        ({"ranges": [{"label": "Some", "value": 5}, {"label": "Some", "value": 6}]}, "same label"),
        ({"kind": "yes_no", "min": None, "max": None, "unit": "", "ranges": [{"label": "A", "value": 1}]}, "number"),
    ],
)
def test_ranges_that_do_not_fit_their_question_are_refused(tmp_path, change, message):
    questions = copy.deepcopy(QUESTIONS)
    questions[0].update({k: v for k, v in change.items() if v is not None})
    for key in [k for k, v in change.items() if v is None]:
        questions[0].pop(key, None)
    if change.get("unit") == "":
        questions[0].pop("unit")
    with pytest.raises(KnowledgeBaseInvalid) as caught:
        load_knowledge_base(make_kb(tmp_path, questions=questions))
    assert any(message in p.message and p.field == "ranges" for p in caught.value.problems), caught.value.problems
