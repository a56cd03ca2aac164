"""The durable-rules adapter: the defects listed in docs/engine.md, each with a regression test."""

from __future__ import annotations

import json
import os
import random
import threading

import pytest

from app.engine import evaluate, load_knowledge_base
from app.engine.compiler import RULES_PER_BUCKET
from app.engine.evaluate import program_for
from app.engine.reference import reference_evaluate
from app.extensions import KB_KEY
from app.factory import create_app
from app.planning.assess import assess

from ..kbfactory import QUESTIONS, RULES, make_kb, rules_with


def fired(kb, answers, questionnaire="mini"):
    return sorted(f.rule.id for f in evaluate(kb, questionnaire, answers).firings)


def test_a_session_in_which_no_rule_fires_is_created_and_deleted_safely(mini_kb):
    for _ in range(50):
        assert fired(mini_kb, {}) == []


def test_an_answer_that_no_rule_reads_changes_nothing_and_does_not_break_later_sessions(mini_kb):
    assert fired(mini_kb, {"notes": "free text that no rule tests", "maturity": 4}) == []
    assert fired(mini_kb, {"scope": "no"}) == ["no-scope"]


def test_negation_waits_for_facts_derived_later_in_a_chain(tmp_path):
    # `late` is derived two steps after the answers, by rules written AFTER the rule that tests its absence:
    # durable-rules' own `none` would have let `absent-late` fire before `late` existed.
    rules = rules_with(
        {
            "id": "absent-late",
            "when": {"all": [{"q": "audit", "eq": "yes"}], "none": [{"fact": "late"}]},
            "then": {
                "finding": {
                    "clauses": ["9.2"],
                    "severity": "observation",
                    "basis": "good_practice",
                    "title": "t",
                    "explanation": "e",
                    "recommendation": "r",
                    "action": "hold-audit",
                }
            },
        },
        {"id": "step-1", "when": {"all": [{"q": "scope", "eq": "yes"}]}, "then": {"derive": ["middle"]}},
        {"id": "step-2", "when": {"all": [{"fact": "middle"}]}, "then": {"derive": ["late"]}},
        facts=[{"id": "middle", "means": "m"}, {"id": "late", "means": "l"}],
    )
    kb = load_knowledge_base(make_kb(tmp_path, rules=rules))
    assert "absent-late" not in fired(kb, {"audit": "yes", "scope": "yes"})
    assert "absent-late" in fired(kb, {"audit": "yes", "scope": "no"})


def test_negation_alone_behind_its_gate_fires(tmp_path):
    rules = rules_with(
        {
            "id": "nothing-audited",
            "when": {"none": [{"fact": "never_audited"}]},
            "then": {"derive": ["calm"]},
        },
        facts=[{"id": "calm", "means": "c"}],
    )
    kb = load_knowledge_base(make_kb(tmp_path, rules=rules))
    assert "calm" in evaluate(kb, "mini", {}).facts
    assert "calm" not in evaluate(kb, "mini", {"audit": "no"}).facts


def test_two_thousand_evaluations_in_a_row_stay_correct(real_kb):
    questionnaire = next(iter(real_kb.questionnaires.values()))
    rng = random.Random(7)
    for _ in range(2000):
        answers = {}
        for question in questionnaire.questions:
            if question.kind == "yes_no" and rng.random() < 0.9:
                answers[question.id] = rng.choice(["yes", "partly", "no", "dont_know"])
        result = sorted(f.rule.id for f in evaluate(real_kb, questionnaire.id, answers).firings)
        assert result == reference_evaluate(real_kb, questionnaire.id, answers)["fired"]


def test_the_run_records_what_each_firing_asks_and_the_first_rule_to_derive_each_fact(real_kb):
    # Recorded by the runtime as the rules fire; provenance and follow-ups rely on exactly this: the first rule, in
    # firing order, whose `derive` names the fact, and every question some fired rule asks.
    questionnaire = max(real_kb.questionnaires.values(), key=lambda q: len(q.questions))
    program = program_for(real_kb, real_kb.ruleset_for(questionnaire.id).id)
    rng = random.Random(11)
    for _ in range(200):
        yes_no = [q.id for q in questionnaire.questions if q.kind == "yes_no"]
        answers = {q: rng.choice(["yes", "partly", "no", "dont_know"]) for q in yes_no}
        run = program.run(answers)
        first: dict[str, str] = {}
        for rule in run.fired:
            for fact in rule.derive:
                first.setdefault(fact, rule.id)
        assert {fact: rule.id for fact, rule in run.first_derivation.items()} == first
        assert tuple(run.first_derivation) == run.facts
        assert run.asked == {q for rule in run.fired for q in rule.ask}


def test_eight_threads_at_once_get_the_same_results_as_one(mini_kb):
    cases = [{"scope": s, "audit": a, "review": r} for s in ("yes", "no") for a in ("yes", "no") for r in ("yes", "no")]
    expected = [fired(mini_kb, c) for c in cases]
    errors: list[str] = []

    def worker(seed: int) -> None:
        rng = random.Random(seed)
        for _ in range(200):
            i = rng.randrange(len(cases))
            got = fired(mini_kb, cases[i])
            if got != expected[i]:
                errors.append(f"{cases[i]}: {got} != {expected[i]}")

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []


def test_two_apps_in_one_process_each_load_and_evaluate(tmp_path):
    first = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'a.sqlite3'}"})
    second = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'b.sqlite3'}"})
    for app in (first, second):
        kb = app.extensions[KB_KEY]
        questionnaire = next(iter(kb.questionnaires))
        assert assess(kb, questionnaire, {}).to_dict()["verdict"]["level"] == "not_ready"


def test_the_answers_fact_written_as_json_text_carries_every_answer_once_in_the_compiled_encoding(mini_kb):
    # The runtime writes the answers fact as JSON text from members encoded once per program, not with a JSON
    # encoder per evaluation; it must still parse, and hold exactly what the compiled rules test.
    program = program_for(mini_kb, "mini")
    encoding = program.compiled.encoding
    prop, dk, codes = encoding.properties, encoding.dk_properties, encoding.codes
    answers = {
        "scope": "partly",
        "audit": "dont_know",
        "tools": ["ci", "wiki"],
        "people": 12.5,
        "maturity": "dont_know",
        "notes": 'a "quoted" note, with a comma',
        "review": None,
        "no_such_question": "yes",
    }
    members = program._answer_members(answers)
    assert json.loads("{" + members.rstrip(",") + "}") == {
        prop["scope"]: codes["scope"]["partly"],
        prop["audit"]: codes["audit"]["dont_know"],
        prop["tools"]: [codes["tools"]["ci"], codes["tools"]["wiki"]],
        prop["people"]: 12.5,
        dk["maturity"]: 1,
        prop["notes"]: 1,
    }
    assert program._answer_members({}) == ""


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_evaluation_works_in_a_forked_child_while_the_parent_holds_compiled_rules(mini_kb):
    assert fired(mini_kb, {"scope": "no"}) == ["no-scope"]
    program = program_for(mini_kb, "mini")
    program._lock.acquire()  # as if another thread were mid-evaluation at fork time
    try:
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - runs in the child
            try:
                os.write(write, json.dumps(fired(mini_kb, {"scope": "no", "audit": "no"})).encode())
            finally:
                os._exit(0)
        os.close(write)
        _, status = os.waitpid(pid, 0)
        output = os.read(read, 10000).decode()
    finally:
        program._lock.release()
    assert status == 0
    assert json.loads(output) == ["no-audit", "no-scope"]


def test_same_answers_give_byte_identical_results(real_kb):
    questionnaire = next(iter(real_kb.questionnaires.values()))
    answers = {q.id: "no" for q in questionnaire.questions if q.kind == "yes_no"}
    first = json.dumps(assess(real_kb, questionnaire.id, answers).to_dict())
    reordered = dict(reversed(list(answers.items())))
    assert json.dumps(assess(real_kb, questionnaire.id, reordered).to_dict()) == first


def test_dont_know_on_a_number_never_satisfies_a_comparison(tmp_path):
    rules = rules_with(
        {"id": "big", "when": {"all": [{"q": "people", "gt": 3}]}, "then": {"suggest": ["consider-29110"]}},
    )
    kb = load_knowledge_base(make_kb(tmp_path, rules=rules))
    assert "big" not in fired(kb, {"people": "dont_know"})
    assert "big" in fired(kb, {"people": 4})
    assert "small" not in fired(kb, {"people": "dont_know"})


def test_more_rules_than_one_engine_node_takes_still_all_fire(tmp_path):
    # Over 64 tests matching one fact at one level make the engine fail with error 303; buckets prevent it.
    many = [
        {
            "id": f"r-{i}",
            "when": {"all": [{"q": "scope", "eq": "no"}, {"q": "people", "gte": i}]},
            "then": {"suggest": ["consider-29110"]},
        }
        for i in range(3 * RULES_PER_BUCKET)
    ]
    kb = load_knowledge_base(make_kb(tmp_path, rules=rules_with(*many)))
    result = fired(kb, {"scope": "no", "people": 1000})
    assert sum(r.startswith("r-") for r in result) == 3 * RULES_PER_BUCKET


def test_an_answer_to_a_follow_up_that_is_no_longer_asked_is_ignored(tmp_path):
    rules = rules_with(
        {
            "id": "plan-missing",
            "when": {"all": [{"q": "audit_plan", "eq": "no"}]},
            "then": {
                "finding": {
                    "clauses": ["9.2"],
                    "severity": "minor",
                    "basis": "requirement",
                    "requirement": "the element is in place",
                    "title": "t",
                    "explanation": "e",
                    "recommendation": "r",
                    "action": "hold-audit",
                }
            },
        },
    )
    kb = load_knowledge_base(make_kb(tmp_path, rules=rules, questions=QUESTIONS))
    asked = evaluate(kb, "mini", {"audit": "no", "audit_plan": "no"})
    assert "plan-missing" in [f.rule.id for f in asked.firings]
    not_asked = evaluate(kb, "mini", {"audit": "yes", "audit_plan": "no"})
    assert "plan-missing" not in [f.rule.id for f in not_asked.firings]
    assert not_asked.ignored == ("audit_plan",)


def test_provenance_follows_derived_facts_back_to_answers(mini_kb):
    result = evaluate(mini_kb, "mini", {"audit": "no", "review": "no"})
    firing = next(f for f in result.firings if f.rule.id == "never-checked")
    facts = {r.id: r for r in firing.because}
    assert set(facts) == {"never_audited", "never_reviewed"}
    assert [r.id for r in facts["never_audited"].because] == ["audit"]
    assert facts["never_audited"].because[0].value == "no"


def test_unanswered_questions_that_rules_read_are_listed(mini_kb):
    result = evaluate(mini_kb, "mini", {"scope": "yes"})
    listed = [u["question"] for u in result.unanswered]
    assert "audit" in listed and "review" in listed
    assert "scope" not in listed
    assert "notes" not in listed  # no rule reads it
    assert "audit_plan" not in listed  # a follow-up that is not asked


def test_rules_file_order_does_not_change_results(tmp_path):
    forward = load_knowledge_base(make_kb(tmp_path / "a"))
    backward_rules = dict(RULES, rules=list(reversed(RULES["rules"])))
    backward = load_knowledge_base(make_kb(tmp_path / "b", rules=backward_rules))
    answers = {"scope": "no", "audit": "yes", "review": "yes", "people": 5}
    assert fired(forward, answers) == fired(backward, answers)


def test_answered_and_unanswered_tests_are_read_as_written_and_agree_with_the_reference(tmp_path):
    # YAML reads `true` as a boolean, which answer values are turned back from ("yes"); the flag must stay a flag.
    rules = rules_with(
        {
            "id": "scope-answered",
            "when": {"all": [{"q": "scope", "answered": True}]},
            "then": {"derive": ["scope_given"]},
        },
        {"id": "scope-open", "when": {"all": [{"q": "scope", "unanswered": True}]}, "then": {"derive": ["scope_open"]}},
        facts=[{"id": "scope_given", "means": "scope answered"}, {"id": "scope_open", "means": "scope open"}],
    )
    kb = load_knowledge_base(make_kb(tmp_path, rules=rules))
    for answers, expected in (({"scope": "no"}, ["no-scope", "scope-answered"]), ({}, ["scope-open"])):
        assert fired(kb, answers) == expected
        assert reference_evaluate(kb, "mini", answers)["fired"] == expected
