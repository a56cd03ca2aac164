"""An invalid knowledge base is refused whole, and every problem names its file, item and field."""

from __future__ import annotations

import copy

import pytest

from app.engine import load_knowledge_base
from app.engine.limits import fnv1a_32
from app.knowledge.errors import KnowledgeBaseInvalid

from ..kbfactory import CATALOGUE, QUESTIONS, RULES, make_kb, rules_with


def problems_of(tmp_path, **parts):
    with pytest.raises(KnowledgeBaseInvalid) as caught:
        load_knowledge_base(make_kb(tmp_path, **parts))
    return caught.value.problems


def one_problem(tmp_path, **parts):
    problems = problems_of(tmp_path, **parts)
    assert len(problems) == 1, problems
    return problems[0]


def finding(**overrides):
    base = {
        "clauses": ["9.2"],
        "severity": "minor",
        "basis": "requirement",
        "requirement": "the element is in place",
        "title": "t",
        "explanation": "e",
        "recommendation": "r",
        "action": "hold-audit",
    }
    return {**base, **overrides}


def test_the_mini_knowledge_base_is_valid(mini_kb):
    assert set(mini_kb.questionnaires) == {"mini"}


def test_yaml_syntax_error_names_the_file_and_line(tmp_path):
    problem = one_problem(tmp_path, extra_files={"rules/mini/broken.yaml": "rules:\n  - id: x\n    when: {all: [\n"})
    assert problem.file == "rules/mini/broken.yaml"
    assert "invalid YAML" in problem.message and "line" in problem.message


def test_a_rule_naming_an_unknown_question(tmp_path):
    rules = rules_with({"id": "ghost", "when": {"all": [{"q": "nope", "eq": "yes"}]}, "then": {"finding": finding()}})
    problem = one_problem(tmp_path, rules=rules)
    assert (problem.file, problem.id, problem.field) == ("rules/mini/rules.yaml", "ghost", "when")
    assert "unknown question 'nope'" in problem.message


def test_a_value_the_question_does_not_allow(tmp_path):
    rules = rules_with(
        {"id": "bad-value", "when": {"all": [{"q": "scope", "eq": "maybe"}]}, "then": {"finding": finding()}}
    )
    problem = one_problem(tmp_path, rules=rules)
    assert problem.id == "bad-value" and "maybe is not a value of 'scope'" in problem.message


def test_an_unknown_clause_practice_and_action_in_a_finding(tmp_path):
    rules = rules_with(
        {
            "id": "bad-refs",
            "when": {"all": [{"q": "scope", "eq": "no"}]},
            "then": {"finding": finding(clauses=["11.1"], practices=["magic"], action="nothing")},
        }
    )
    messages = sorted(p.field for p in problems_of(tmp_path, rules=rules))
    assert messages == ["then.finding.action", "then.finding.clauses", "then.finding.practices"]


def test_duplicate_rule_and_question_ids(tmp_path):
    rules = rules_with(copy.deepcopy(RULES["rules"][0]))
    assert any(p.message == "duplicate rule id" for p in problems_of(tmp_path / "a", rules=rules))
    questions = QUESTIONS + [dict(QUESTIONS[1])]
    assert any(p.message == "duplicate question id" for p in problems_of(tmp_path / "b", questions=questions))


def test_a_cycle_through_negation_is_refused(tmp_path):
    rules = rules_with(
        {
            "id": "rule-a",
            "when": {"all": [{"q": "scope", "eq": "no"}], "none": [{"fact": "f2"}]},
            "then": {"derive": ["f1"]},
        },
        {"id": "rule-b", "when": {"all": [{"fact": "f1"}]}, "then": {"derive": ["f2"]}},
        facts=[{"id": "f1", "means": "x"}, {"id": "f2", "means": "y"}],
    )
    problem = one_problem(tmp_path, rules=rules)
    assert "cycle through 'none'" in problem.message


def test_a_follow_up_that_can_never_be_asked(tmp_path):
    questions = copy.deepcopy(QUESTIONS)
    questions[-1]["when"] = {"all": [{"q": "audit", "eq": "no"}, {"q": "audit", "eq": "yes"}]}
    problem = one_problem(tmp_path, questions=questions)
    assert (problem.id, problem.field, problem.message) == (
        "audit_plan",
        "when",
        "this follow-up can never be asked",
    )


def test_a_follow_up_that_depends_on_a_later_question(tmp_path):
    questions = copy.deepcopy(QUESTIONS)
    questions[1]["when"] = {"all": [{"q": "audit", "eq": "no"}]}
    problem = one_problem(tmp_path, questions=questions)
    assert problem.id == "scope" and "comes later" in problem.message


def test_a_fact_inside_any_is_refused_with_advice(tmp_path):
    rules = rules_with(
        {
            "id": "either",
            "when": {"any": [{"fact": "never_audited"}, {"q": "scope", "eq": "no"}]},
            "then": {"finding": finding()},
        }
    )
    problem = one_problem(tmp_path, rules=rules)
    assert "top-level all or none" in problem.message


def test_an_undeclared_or_underived_fact(tmp_path):
    rules = rules_with({"id": "uses-ghost", "when": {"all": [{"fact": "ghost"}]}, "then": {"finding": finding()}})
    assert "unknown fact 'ghost'" in one_problem(tmp_path / "a", rules=rules).message
    rules = rules_with(
        {"id": "uses-idle", "when": {"all": [{"fact": "idle"}]}, "then": {"finding": finding()}},
        facts=[{"id": "idle", "means": "nothing derives it"}],
    )
    assert "never derived" in one_problem(tmp_path / "b", rules=rules).message


def test_schema_errors_name_the_item_and_field(tmp_path):
    rules = rules_with({"id": "no-then", "when": {"all": [{"q": "scope", "eq": "no"}]}})
    problem = one_problem(tmp_path, rules=rules)
    assert (problem.id, problem.field) == ("no-then", "then")
    questions = copy.deepcopy(QUESTIONS)
    questions[1]["kind"] = "maybe"
    problem = one_problem(tmp_path / "b", questions=questions)
    assert (problem.file, problem.id, problem.field) == ("questionnaires/mini.yaml", "scope", "kind")


def test_a_condition_too_complex_for_the_engine_is_refused(tmp_path):
    wide = {"any": [{"all": [{"q": "people", "gt": i}, {"q": "scope", "neq": "yes"}]} for i in range(20)]}
    rules = rules_with({"id": "too-wide", "when": wide, "then": {"finding": finding()}})
    problem = one_problem(tmp_path, rules=rules)
    assert (problem.id, problem.field) == ("too-wide", "when")
    assert "engine cannot evaluate" in problem.message


def test_fact_ids_that_collide_in_the_engines_hash_are_refused(tmp_path):
    # Question ids become short generated property names inside the engine, but derived facts keep their names.
    pair = ("f_tyihqkp", "f_zarsaoh")  # found by a random search; the engine cannot tell them apart
    assert fnv1a_32(f"fact:{pair[0]}") == fnv1a_32(f"fact:{pair[1]}")
    rules = rules_with(
        *(
            {"id": f"derive-{i}", "when": {"all": [{"q": "scope", "eq": "no"}]}, "then": {"derive": [fact]}}
            for i, fact in enumerate(pair)
        ),
        facts=[{"id": fact, "means": "m"} for fact in pair],
    )
    problem = one_problem(tmp_path, rules=rules)
    assert "collide" in problem.message and problem.id.removeprefix("fact:") in pair


def test_a_clause_with_an_undeclared_gate(tmp_path):
    catalogue = copy.deepcopy(CATALOGUE)
    catalogue["clauses"][1]["gate"] = "G9"
    problem = one_problem(tmp_path, catalogue=catalogue)
    assert (problem.id, problem.field) == ("4.4", "gate")


def test_nothing_is_half_loaded(tmp_path):
    """One bad rule file refuses the whole knowledge base, including the valid files beside it."""
    problems = problems_of(tmp_path, extra_files={"rules/mini/zz.yaml": {"rules": [{"id": "x"}]}})
    assert all(p.file == "rules/mini/zz.yaml" for p in problems)


def test_a_questionnaire_kept_as_a_directory_of_section_files(tmp_path):
    root = make_kb(tmp_path)
    mini = (root / "questionnaires" / "mini.yaml").read_text()
    (root / "questionnaires" / "mini.yaml").unlink()
    import yaml

    data = yaml.safe_load(mini)
    directory = root / "questionnaires" / "mini"
    directory.mkdir()
    sections = data.pop("sections")
    (directory / "questionnaire.yaml").write_text(yaml.safe_dump(data))
    for n, section in enumerate(sections):
        (directory / f"{n:02d}-{section['id']}.yaml").write_text(yaml.safe_dump(section, sort_keys=False))
    kb = load_knowledge_base(root)
    assert [q.id for q in kb.questionnaire("mini").questions][:2] == ["people", "scope"]

    broken = yaml.safe_load((directory / "01-main.yaml").read_text())
    broken["questions"][0]["clauses"] = ["99.1"]
    (directory / "01-main.yaml").write_text(yaml.safe_dump(broken, sort_keys=False))
    with pytest.raises(KnowledgeBaseInvalid) as caught:
        load_knowledge_base(root)
    [problem] = caught.value.problems
    assert (problem.file, problem.id, problem.message) == (
        "questionnaires/mini/01-main.yaml",
        "scope",
        "unknown clause '99.1'",
    )


def test_shared_vocabulary_is_usable_by_every_questionnaire_but_holds_no_rules(tmp_path):
    rules = rules_with()
    shared = {"facts": rules.pop("facts"), "actions": rules.pop("actions"), "suggestions": rules.pop("suggestions")}
    kb = load_knowledge_base(make_kb(tmp_path / "ok", rules=rules, extra_files={"rules/shared/words.yaml": shared}))
    assert "never_audited" in kb.ruleset_for("mini").facts
    with_rule = dict(shared, rules=[RULES["rules"][0]])
    problem = one_problem(tmp_path / "bad", rules=rules, extra_files={"rules/shared/words.yaml": with_rule})
    assert (problem.file, problem.field) == ("rules/shared/words.yaml", "rules")
