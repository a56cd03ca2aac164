"""Several respondents' answers to one question: which answer counts, and how strongly they disagree."""

from __future__ import annotations

import pytest

from app.engine import evaluate, load_knowledge_base
from app.knowledge.model import Option, Question
from app.planning import consensus
from app.planning.consensus import ALIGNED, CONTRADICTING, DIFFERING, Given

from ..kbfactory import make_kb, rules_with
from .test_knowledge_validation import finding, one_problem


def question(kind: str, **extra) -> Question:
    return Question(id="q", kind=kind, text="Q?", why="", section="s", **extra)


YES_NO = question("yes_no")
SCALE = question("scale", labels=tuple(f"level {i}" for i in range(6)))
LEVELLED = question(
    "single_choice",
    options=(Option("none", "None", 0), Option("ad_hoc", "Ad hoc", 2), Option("planned", "Planned", 3)),
)
PLAIN_CHOICE = question("single_choice", options=(Option("scrum", "Scrum"), Option("kanban", "Kanban")))
MULTI = question("multiple_choice", options=(Option("a", "A"), Option("b", "B"), Option("c", "C")))
NUMBER = question("number")


def given(*values):
    return [Given(f"person {i}", v) for i, v in enumerate(values)]


@pytest.mark.parametrize(
    ("q", "values", "counts"),
    [
        (YES_NO, ["yes", "no", "yes"], "no"),
        (YES_NO, ["yes", "partly"], "partly"),
        (YES_NO, ["not_applicable", "yes"], "yes"),  # claiming "not applicable" is the most generous answer
        (YES_NO, ["yes", "dont_know"], "dont_know"),
        (SCALE, [4, 1, 3], 1),
        (LEVELLED, ["planned", "ad_hoc"], "ad_hoc"),
        (MULTI, [["a", "b"], ["b", "c"]], ["b"]),  # what everyone ticked
        (MULTI, [["a"], ["b", "c"]], ["a"]),  # nothing in common: the shortest answer
        (NUMBER, [40, 10, 25], 25),  # no order of caution for a figure: the lower middle
        (PLAIN_CHOICE, ["kanban", "scrum", "scrum"], "scrum"),  # no levels: the most common
    ],
)
def test_until_someone_picks_the_more_conservative_answer_counts(q, values, counts):
    found = consensus.consolidate(q, given(*values))
    assert found.status == "disputed"
    assert found.value == counts


def test_agreement_is_taken_as_it_is_and_one_answer_is_just_that():
    assert consensus.consolidate(YES_NO, given("yes", "yes")).status == "agreed"
    single = consensus.consolidate(YES_NO, given("partly"))
    assert (single.status, single.value, single.compared) == ("single", "partly", False)


def test_a_pick_counts_only_while_a_respondent_still_gives_that_answer():
    picked = consensus.consolidate(YES_NO, given("yes", "no"), resolution="yes")
    assert (picked.status, picked.value) == ("resolved", "yes")
    lapsed = consensus.consolidate(YES_NO, given("partly", "no"), resolution="yes")
    assert (lapsed.status, lapsed.value) == ("disputed", "no")


@pytest.mark.parametrize(
    ("q", "values", "strength"),
    [
        (YES_NO, ["yes", "no"], CONTRADICTING),
        (YES_NO, ["yes", "dont_know"], CONTRADICTING),  # "we hold them" against "never heard of one"
        (YES_NO, ["yes", "partly"], DIFFERING),
        (YES_NO, ["no", "partly", "no"], DIFFERING),
        (SCALE, [1, 4], CONTRADICTING),
        (SCALE, [2, 4], DIFFERING),
        (LEVELLED, ["none", "planned"], CONTRADICTING),
        (LEVELLED, ["ad_hoc", "planned"], DIFFERING),
        (NUMBER, [40, 45], ALIGNED),  # estimates of one figure
        (NUMBER, [10, 40], DIFFERING),
        (question("text"), ["one thing", "another"], ALIGNED),
    ],
)
def test_how_strongly_respondents_disagree(q, values, strength):
    assert consensus.disagreement(q, values) == strength


def test_the_split_gives_counts_and_names_only_when_asked():
    found = consensus.consolidate(YES_NO, [Given("Ann", "yes"), Given("Bob", "no"), Given("Cat", "yes")])
    assert found.split_text() == "2 said “Yes”, 1 said “No”"
    assert found.split_text(names=True) == "“Yes”: Ann, Cat; “No”: Bob"
    assert "Ann" not in str(found.as_dict()) and "Ann" in str(found.as_dict(names=True))
    assert consensus.disputes([found]) == {"q": "2 said “Yes”, 1 said “No”"}
    assert consensus.disputes([consensus.consolidate(YES_NO, given("yes", "partly"))]) == {}


# ---------------------------------------------------------------------------------------------- the rules


DISPUTED_AUDIT = {
    "id": "audit-disputed",
    "when": {"all": [{"disputed": "audit"}]},
    "then": {"finding": finding(title="People disagree about audits")},
}


def test_rules_read_a_contradiction_and_explain_it_with_the_split(tmp_path):
    kb = load_knowledge_base(make_kb(tmp_path, rules=rules_with(DISPUTED_AUDIT)))
    quiet = evaluate(kb, "mini", {"audit": "yes"})
    assert "audit-disputed" not in {f.rule.id for f in quiet.firings}
    disputed = evaluate(kb, "mini", {"audit": "yes"}, {"audit": "1 said “Yes”, 1 said “No”"})
    (firing,) = [f for f in disputed.firings if f.rule.id == "audit-disputed"]
    (reason,) = firing.because
    assert reason.kind == "disputed" and reason.id == "audit"
    assert reason.text.endswith(": 1 said “Yes”, 1 said “No”")
    assert reason.as_dict()["split"] == "1 said “Yes”, 1 said “No”"


def test_a_contradiction_can_be_ruled_out_and_feeds_derived_facts(tmp_path):
    rules = rules_with(
        {"id": "d-unaware", "when": {"all": [{"disputed": "audit"}]}, "then": {"derive": ["unaware"]}},
        {
            "id": "calm",
            "when": {"all": [{"q": "audit", "eq": "yes"}], "none": [{"disputed": "audit"}]},
            "then": {"finding": finding(title="Audits agreed")},
        },
        {"id": "unaware", "when": {"all": [{"fact": "unaware"}]}, "then": {"finding": finding(title="Unaware")}},
        facts=[{"id": "unaware", "means": "people do not know"}],
    )
    kb = load_knowledge_base(make_kb(tmp_path, rules=rules))
    agreed = {f.rule.id for f in evaluate(kb, "mini", {"audit": "yes"}).firings}
    split = {f.rule.id for f in evaluate(kb, "mini", {"audit": "yes"}, {"audit": "x"}).firings}
    assert "calm" in agreed and "unaware" not in agreed
    assert "calm" not in split and "unaware" in split


@pytest.mark.parametrize(
    ("condition", "message"),
    [
        ({"disputed": "nope"}, "unknown question 'nope'"),
        ({"disputed": "notes"}, "never counted as a disagreement"),
        ({"disputed": "audit", "eq": "yes"}, "only 'disputed'"),
    ],
)
def test_a_disputed_test_on_a_question_that_cannot_be_disputed_is_refused(tmp_path, condition, message):
    rule = {"id": "bad", "when": {"all": [condition]}, "then": {"finding": finding()}}
    problem = one_problem(tmp_path, rules=rules_with(rule))
    assert problem.id == "bad" and message in problem.message


def test_rules_cannot_derive_a_disagreement(tmp_path):
    """A disagreement is an input: a fact named like one is not even a valid fact name."""
    rule = {"id": "fake", "when": {"all": [{"q": "audit", "eq": "no"}]}, "then": {"derive": ["disputed:audit"]}}
    problem = one_problem(tmp_path, rules=rules_with(rule))
    assert problem.field == "then.derive[0]" and "lower_snake_case" in problem.message
