"""The durable-rules path and the independent reference evaluator agree on random answer sets."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.engine import evaluate
from app.engine.reference import reference_evaluate


def answer_strategy(question):
    kind = question.kind
    if kind == "yes_no":
        return st.sampled_from(["yes", "partly", "no", "dont_know", "not_applicable"])
    if kind == "single_choice":
        return st.sampled_from([o.value for o in question.options] + ["dont_know"])
    if kind == "multiple_choice":
        values = [o.value for o in question.options]
        return st.one_of(
            st.just("dont_know"),
            st.lists(st.sampled_from(values), min_size=1, unique=True).map(lambda vs: [v for v in values if v in vs]),
        )
    if kind == "scale":
        return st.one_of(st.integers(0, 5), st.just("dont_know"))
    if kind == "number":
        low, high = int(question.min or 0), int(min(question.max or 1000, 1000))
        return st.one_of(st.integers(low, high), st.sampled_from([low, 5, 24, 25, 26, 50]), st.just("dont_know"))
    return st.text(min_size=1, max_size=20)


def answers_for(questionnaire):
    return st.fixed_dictionaries(
        {},
        optional={q.id: answer_strategy(q) for q in questionnaire.questions},
    )


def _engine_view(kb, questionnaire_id, answers):
    result = evaluate(kb, questionnaire_id, answers)
    return {
        "fired": sorted(f.rule.id for f in result.firings),
        "facts": sorted(result.facts),
        "asked": sorted(result.asked),
        "ignored": sorted(result.ignored),
    }


def agreement_check(kb, questionnaire):
    @settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(answers=answers_for(questionnaire))
    def check(answers):
        assert _engine_view(kb, questionnaire.id, answers) == reference_evaluate(kb, questionnaire.id, answers)

    return check


def test_engine_matches_reference_on_every_questionnaire(real_kb):
    for questionnaire in real_kb.questionnaires.values():
        agreement_check(real_kb, questionnaire)()


def test_engine_matches_reference_on_the_mini_kb_with_negation(mini_kb):
    questionnaire = mini_kb.questionnaire("mini")

    @settings(max_examples=300, deadline=None)
    @given(answers=answers_for(questionnaire))
    def check(answers):
        assert _engine_view(mini_kb, "mini", answers) == reference_evaluate(mini_kb, "mini", answers)

    check()
