"""Readiness, verdict and the improvement plan."""

from __future__ import annotations

from app.planning.assess import assess as assess_report


def assess(*args, **kwargs) -> dict:
    """The report in its stored and API form (Report.to_dict), which these tests pin."""
    return assess_report(*args, **kwargs).to_dict()


def test_dont_know_becomes_an_evidence_action_not_a_nonconformity(mini_kb):
    report = assess(mini_kb, "mini", {"scope": "dont_know", "audit": "dont_know", "review": "dont_know"})
    assert report["findings"] == []
    evidence = [item for item in report["plan"] if item["kind"] == "evidence"]
    assert {item["id"] for item in evidence} == {"find-out-scope", "find-out-audit", "find-out-review"}
    assert all(item["phase"] == "before Stage 1" for item in evidence)


def test_dont_know_answers_do_not_count_as_assessed_for_the_verdict(mini_kb):
    report = assess(mini_kb, "mini", {"scope": "yes", "audit": "dont_know", "review": "yes"})
    assert report["verdict"]["level"] == "stage1"
    assert report["verdict"]["blockers"] == [
        {"gate": "G6", "title": "Not assessed yet: Internal audit held", "clauses": ["9.2"]}
    ]


def test_verdict_levels(mini_kb):
    assert assess(mini_kb, "mini", {"scope": "no", "audit": "yes", "review": "yes"})["verdict"]["level"] == "not_ready"
    stage1 = assess(mini_kb, "mini", {"scope": "yes", "audit": "no", "review": "yes"})["verdict"]
    assert stage1["level"] == "stage1"
    assert [b["finding"] for b in stage1["blockers"]] == ["no-audit"]
    assert assess(mini_kb, "mini", {"scope": "yes", "audit": "yes", "review": "yes"})["verdict"] == {
        "level": "stage2",
        "label": "Ready for Stage 2",
        "blockers": [],
    }


def test_nothing_answered_is_not_ready(mini_kb):
    verdict = assess(mini_kb, "mini", {})["verdict"]
    assert verdict["level"] == "not_ready"
    assert verdict["blockers"][0]["gate"] == "G1"


def test_plan_ranks_blockers_then_severity_then_dependencies(mini_kb):
    report = assess(mini_kb, "mini", {"scope": "no", "audit": "no", "review": "no"})
    plan = report["plan"]
    assert [item["id"] for item in plan] == ["write-scope", "hold-audit", "hold-review"]
    assert plan[2]["depends_on"] == ["hold-audit"]  # implied dependencies (scope) are not repeated
    assert "after “Hold an internal audit”" in plan[2]["why"]
    assert [item["phase"] for item in plan] == ["before Stage 1", "before Stage 2", "before Stage 2"]
    assert sorted(plan[1]["closes"]) == ["never-checked", "no-audit"]


def test_a_prerequisite_moves_up_before_the_action_that_needs_it(mini_kb):
    # The review alone is a blocker; the audit it depends on is only an improvement here, yet comes first.
    report = assess(mini_kb, "mini", {"scope": "yes", "audit": "yes", "review": "no"})
    ids = [item["id"] for item in report["plan"]]
    assert ids == ["hold-review"]  # audited-but-no-review needs no never_reviewed: it does not fire
    report = assess(mini_kb, "mini", {"scope": "yes", "audit": "yes", "review": "yes"})
    assert [item["id"] for item in report["plan"]] == ["hold-audit"]
    assert report["plan"][0]["phase"] == "continual improvement"


def test_readiness_formula_caps_by_worst_finding(mini_kb):
    report = assess(mini_kb, "mini", {"scope": "no", "audit": "yes", "review": "yes", "maturity": 4, "tools": ["wiki"]})
    clauses = report["readiness"]["clauses"]
    assert clauses["4.3"]["score"] == 0 and clauses["4.3"]["capped_at"] == 25
    assert clauses["4.4"]["score"] == 75  # maturity 4 -> credit 1, wiki level 2 -> 0.5
    assert clauses["9.2"]["score"] == 100
    # overall: blocker clauses count twice -> (0*2 + 75*2 + 100*2 + 100*2) / 8
    assert report["readiness"]["overall"] == 69
    assert "capped by its worst finding" in report["readiness"]["formula"]


def test_not_applicable_is_left_out_unless_the_clause_cannot_be(mini_kb):
    report = assess(mini_kb, "mini", {"scope": "not_applicable", "audit": "not_applicable"})
    clauses = report["readiness"]["clauses"]
    assert clauses["4.3"]["score"] == 0  # scope can never be not applicable
    assert clauses["9.2"]["score"] is None and clauses["9.2"]["not_applicable"] is True


def test_small_organisations_get_29110_as_advice_only(mini_kb):
    small = assess(mini_kb, "mini", {"people": 6})
    assert [s["id"] for s in small["suggestions"]] == ["consider-29110"]
    assert small["findings"] == []
    assert assess(mini_kb, "mini", {"people": 26})["suggestions"] == []


def test_explanations_cite_the_answers(mini_kb):
    finding = assess(mini_kb, "mini", {"scope": "no"})["findings"][0]
    assert finding["explanation"] == "You answered No."
    assert finding["because"][0]["text"] == "you answered “No” to “Is the scope written down?”"


def test_an_observation_on_an_earlier_clause_does_not_overtake_a_major(tmp_path):
    from app.engine import load_knowledge_base

    from ..kbfactory import RULES, make_kb, rules_with

    rules = rules_with(
        {
            "id": "scope-wording",
            "when": {"all": [{"q": "scope", "eq": "yes"}]},
            "then": {
                "finding": {
                    "clauses": ["4.3"],
                    "severity": "observation",
                    "basis": "good_practice",
                    "title": "Scope wording is vague",
                    "explanation": "e",
                    "recommendation": "r",
                    "action": "polish-scope",
                }
            },
        },
    )
    rules["actions"] = RULES["actions"] + [{"id": "polish-scope", "title": "Polish the scope", "effort": "S"}]
    kb = load_knowledge_base(make_kb(tmp_path, rules=rules))
    plan = assess(kb, "mini", {"scope": "yes", "audit": "no", "review": "yes"})["plan"]
    ids = [item["id"] for item in plan]
    assert ids.index("hold-audit") < ids.index("polish-scope")
    assert plan[ids.index("hold-audit")]["depends_on"] == []


def test_a_step_prerequisite_off_the_gates_does_not_hold_up_a_major_on_a_gate(tmp_path):
    # An auditor plans the missing internal audit first and keeps the auditors' competence records on the way; a
    # bundle's step naming that minor as its prerequisite must not put it in front of the audit.
    from app.engine import load_knowledge_base

    from ..kbfactory import RULES, make_kb, rules_with

    rules = rules_with(
        {
            "id": "auditor-competence-unrecorded",
            "when": {"all": [{"q": "tools", "contains": "wiki"}]},
            "then": {
                "finding": {
                    "clauses": ["4.4"],
                    "severity": "minor",
                    "basis": "requirement",
                    "requirement": "the element is kept up",
                    "blocks": "none",
                    "title": "Auditor competence unrecorded",
                    "explanation": "e",
                    "recommendation": "r",
                    "action": "record-auditor-competence",
                }
            },
        },
    )
    actions = {a["id"]: dict(a) for a in RULES["actions"]}
    actions["hold-audit"]["depends_on"] = ["record-auditor-competence"]
    rules["actions"] = [
        *actions.values(),
        {"id": "record-auditor-competence", "title": "Record the auditors' competence", "effort": "S"},
        {
            "id": "audit-and-review",
            "title": "Audit, then review",
            "effort": "L",
            "steps": ["hold-audit", "hold-review"],
        },
    ]
    kb = load_knowledge_base(make_kb(tmp_path, rules=rules))
    plan = assess(kb, "mini", {"scope": "yes", "audit": "no", "review": "no", "tools": ["wiki"]})["plan"]
    ids = [item["id"] for item in plan]
    assert ids.index("audit-and-review") < ids.index("record-auditor-competence")
    assert plan[ids.index("audit-and-review")]["depends_on"] == []


def test_a_brief_report_has_the_same_figures_as_the_full_one(mini_kb):
    answers = {"scope": "no", "audit": "dont_know", "review": "yes", "people": 6}
    full, brief = assess(mini_kb, "mini", answers), assess(mini_kb, "mini", answers, brief=True)
    assert full["findings"] and "plan" not in brief and "suggestions" not in brief and "facts" not in brief
    assert {k: v for k, v in full.items() if k not in ("findings", "plan", "suggestions", "facts", "worded_for")} == {
        k: v for k, v in brief.items() if k != "findings"
    }
    shown = ("id", "rule", "clauses", "severity", "blocks", "title")
    assert brief["findings"] == [{k: f[k] for k in shown} for f in full["findings"]]
