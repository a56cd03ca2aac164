"""Reading "still true" (and its other wordings) on a repeat's copied answer, and the titles of new assessments."""

from __future__ import annotations

from datetime import date

import pytest

from app.interview.confirming import STILL_TRUE, confirmed
from app.services.titles import new_title, repeat_title


def question(real_kb, question_id):
    return real_kb.questionnaire("quick-scan").question(question_id)


@pytest.mark.parametrize(
    ("question_id", "copied"),
    [("people_in_scope", 40), ("existing_certifications", ["soc2"]), ("leadership_involvement", 3)],
)
@pytest.mark.parametrize("text", [STILL_TRUE, "still true", "Same as last time.", "unchanged", "yes", "Yes, please"])
def test_a_confirmation_keeps_the_copied_answer_where_yes_is_no_answer(real_kb, question_id, copied, text):
    understood = confirmed(question(real_kb, question_id), text, copied)
    assert understood is not None and understood.kind == "answer" and understood.value == copied


def test_on_a_yes_no_question_yes_is_an_answer_and_still_true_the_copied_one(real_kb):
    outsourcing = question(real_kb, "outsourcing")
    assert confirmed(outsourcing, "yes", "no") is None
    assert confirmed(outsourcing, "still true", "no").value == "no"


@pytest.mark.parametrize("text", ["55", "about 60 people", "skip", "why do you ask?", "Scrum"])
def test_anything_else_is_left_to_the_usual_readers(real_kb, text):
    for question_id, copied in (("people_in_scope", 40), ("way_of_working", "kanban")):
        assert confirmed(question(real_kb, question_id), text, copied) is None


def test_nothing_copied_nothing_confirmed(real_kb):
    assert confirmed(question(real_kb, "people_in_scope"), "still true", None) is None


def test_titles():
    day = date(2026, 12, 7)
    assert new_title("Quick scan", day) == "Quick scan, 2026-12-07"
    assert repeat_title("Gap analysis", day) == "Gap analysis (repeat, 2026-12-07)"
    assert repeat_title("Gap analysis (repeat, 2026-06-01)", day) == "Gap analysis (repeat, 2026-12-07)"
    assert len(repeat_title("x" * 200, day)) == 200
