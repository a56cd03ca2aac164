"""Stored answers are checked against the questionnaire once per knowledge base version and set of values: a
knowledge base that no longer accepts a value stored under an earlier one leaves it out (it is asked again)."""

from __future__ import annotations

from dataclasses import replace

from app.services import evaluation
from app.services.answers import AnswerBrief


def _with_scope_as_a_scale(kb):
    """The same knowledge base, except that scope_documented became a scale question, which "no" is not."""
    questionnaire = next(q for q in kb.questionnaires.values() if q.has_question("scope_documented"))
    sections = tuple(
        replace(s, questions=tuple(replace(q, kind="scale") if q.id == "scope_documented" else q for q in s.questions))
        for s in questionnaire.sections
    )
    changed = replace(questionnaire, sections=sections)
    return questionnaire, replace(kb, version=f"{kb.version}-changed"), changed


def test_a_value_the_new_knowledge_base_refuses_is_left_out_although_the_old_one_was_memoised(real_kb):
    questionnaire, changed_kb, changed = _with_scope_as_a_scale(real_kb)
    rows = {"scope_documented": AnswerBrief("no", False), "people_in_scope": AnswerBrief(6, False)}
    for _ in range(2):  # the second read comes from the memo
        assert evaluation._checked_values(real_kb, questionnaire, rows) == {
            "scope_documented": "no",
            "people_in_scope": 6,
        }
    assert evaluation._checked_values(changed_kb, changed, rows) == {"people_in_scope": 6}
    assert evaluation._checked_values(real_kb, questionnaire, rows)["scope_documented"] == "no"


def test_a_value_checked_on_its_way_in_is_taken_as_it_is(real_kb):
    questionnaire, _, _ = _with_scope_as_a_scale(real_kb)
    rows = {"scope_documented": AnswerBrief("no", False, checked=True), "not_a_question": AnswerBrief(1, False)}
    assert evaluation._checked_values(real_kb, questionnaire, rows) == {"scope_documented": "no"}
