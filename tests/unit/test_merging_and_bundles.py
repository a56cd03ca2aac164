"""One finding per gap (`merges_into`) and one action per purpose (`steps:`), on the tiny knowledge base.

The mini catalogue's clauses: 4.3 (gate G1, Stage 1) and 4.4 in group 4; 9.2 (gate G6) and 9.3.1 in group 9;
dependencies 4.3 -> 4.4 -> 9.2 -> 9.3.1.
"""

from __future__ import annotations

import copy

import pytest

from app.engine import load_knowledge_base
from app.knowledge.errors import KnowledgeBaseInvalid
from app.planning.assess import assess as assess_report
from app.planning.plan import PlanItem
from app.planning.report import Report

from ..kbfactory import RULES, make_kb, rules_with

RULE_FILE = "rules/mini/rules.yaml"
PROCESS_GAP = {
    "id": "process-gap",
    "when": {"all": [{"q": "tools", "contains": "wiki"}]},
    "then": {
        "finding": {
            "clauses": ["4.4"],
            "severity": "minor",
            "basis": "requirement",
            "requirement": "processes are defined",
            "title": "Processes live in a wiki nobody follows",
            "explanation": "e",
            "recommendation": "r",
            "evidence": ["process pages"],
            "action": "map-process",
        }
    },
}
MAP_PROCESS = {"id": "map-process", "title": "Map the process", "effort": "S"}


def kb_with(tmp_path, merges: dict[str, str], extra_rules=(), actions=()):
    rules = rules_with(*copy.deepcopy(list(extra_rules)))
    rules["actions"] = RULES["actions"] + [MAP_PROCESS, *actions]
    for rule in rules["rules"]:
        if rule["id"] in merges:
            rule["then"]["finding"]["merges_into"] = merges[rule["id"]]
    return make_kb(tmp_path, rules=rules)


def report(kb_dir, answers) -> dict:
    return assess_report(load_knowledge_base(kb_dir), "mini", answers).to_dict()


def problems(kb_dir):
    with pytest.raises(KnowledgeBaseInvalid) as error:
        load_knowledge_base(kb_dir)
    return error.value.problems


# ---------------------------------------------------------------------------------------------- merging


def test_rules_firing_on_one_gap_give_one_finding_with_every_reason(tmp_path):
    kb_dir = kb_with(tmp_path, {"no-audit": "never-checked", "no-review": "never-checked"})
    found = report(kb_dir, {"scope": "yes", "audit": "no", "review": "no"})["findings"]
    assert [f["id"] for f in found] == ["never-checked"]
    (finding,) = found
    assert [m["id"] for m in finding["merged"]] == ["no-audit", "no-review"]
    assert finding["merged"][0] == {"id": "no-audit", "title": "No audit", "severity": "major", "clauses": ["9.2"]}
    # The target's own reason (two derived facts) and each merged rule's answer, each once.
    because = [(r["kind"], r["id"]) for r in finding["because"]]
    assert because == [("fact", "never_audited"), ("fact", "never_reviewed"), ("answer", "audit"), ("answer", "review")]
    assert {p["id"] for p in finding["practices"]} == {"internal-audit-programme"}


def test_a_merged_finding_keeps_the_highest_severity_and_strongest_blocks(tmp_path):
    # A major Stage 1 blocker on 4.3 folded into a minor on 4.4: the finding is a major that blocks Stage 1.
    kb_dir = kb_with(tmp_path, {"no-scope": "process-gap"}, [PROCESS_GAP])
    result = report(kb_dir, {"scope": "no", "audit": "yes", "review": "yes", "tools": ["wiki"]})
    (finding,) = [f for f in result["findings"] if f["id"] == "process-gap"]
    assert finding["severity"] == "major" and finding["blocks"] == "stage1"
    assert finding["clauses"] == ["4.3", "4.4"] and finding["title"] == PROCESS_GAP["then"]["finding"]["title"]
    assert finding["evidence"] == ["process pages"]  # the target's, then the merged rules' (none here)
    assert "no-scope" not in {f["id"] for f in result["findings"]}
    assert [b["finding"] for b in result["verdict"]["blockers"]] == ["process-gap"]
    assert result["verdict"]["level"] == "not_ready"
    # Both rules' actions stay in the plan, each closing the one finding.
    closes = {i["id"]: i["closes"] for i in result["plan"]}
    assert closes["write-scope"] == closes["map-process"] == ["process-gap"]


def test_a_lesser_finding_merged_into_a_major_does_not_make_its_clause_major(tmp_path):
    kb_dir = kb_with(tmp_path, {"process-gap": "no-scope"}, [PROCESS_GAP])
    result = report(kb_dir, {"scope": "no", "audit": "yes", "review": "yes", "tools": ["wiki"]})
    (finding,) = [f for f in result["findings"] if f["id"] == "no-scope"]
    assert finding["severity"] == "major" and finding["clauses"] == ["4.3"]
    assert finding["merged"] == [
        {"id": "process-gap", "title": finding["merged"][0]["title"], "severity": "minor", "clauses": ["4.4"]}
    ]
    # Readiness still reads each rule's own grade: 4.4 is capped as a minor, not as a major.
    unmerged = report(kb_with(tmp_path / "plain", {}, [PROCESS_GAP]), {"scope": "no", "tools": ["wiki"]})
    merged = report(kb_dir, {"scope": "no", "tools": ["wiki"]})
    assert merged["readiness"] == unmerged["readiness"]


def test_a_finding_stands_alone_when_its_target_does_not_fire(tmp_path):
    kb_dir = kb_with(tmp_path, {"no-audit": "never-checked"})
    found = report(kb_dir, {"scope": "yes", "audit": "no", "review": "yes"})["findings"]
    assert [(f["id"], f["merged"]) for f in found] == [("no-audit", [])]


def test_a_merge_follows_the_chain_past_a_rule_that_did_not_fire(tmp_path):
    # process-gap (9.2) -> audited-but-no-review (9.2, needs an audit held: does not fire) -> no-review (9.3.1).
    minor_on_audit = copy.deepcopy(PROCESS_GAP)
    minor_on_audit["then"]["finding"]["clauses"] = ["9.2"]
    minor_on_audit["when"] = {"all": [{"q": "audit_plan", "eq": "no"}]}
    kb_dir = kb_with(
        tmp_path, {"process-gap": "audited-but-no-review", "audited-but-no-review": "no-review"}, [minor_on_audit]
    )
    found = report(kb_dir, {"scope": "yes", "audit": "no", "audit_plan": "no", "review": "no"})["findings"]
    by_id = {f["id"]: f for f in found}
    assert "process-gap" not in by_id and "audited-but-no-review" not in by_id
    assert [m["id"] for m in by_id["no-review"]["merged"]] == ["process-gap"]


def test_a_report_with_merged_findings_reads_back_the_same():
    data = {
        "readiness": {"overall": 0, "formula": "", "groups": {}, "clauses": {}},
        "verdict": {"level": "not_ready", "blockers": []},
        "findings": [
            {
                "id": "a",
                "severity": "major",
                "title": "A",
                "merged": [{"id": "b", "title": "B", "severity": "minor", "clauses": ["4.4"]}],
            }
        ],
        "plan": [
            {
                "rank": 1,
                "id": "bundle",
                "title": "Bundle",
                "phase": "before Stage 1",
                "steps": [{"id": "s", "title": "S", "clauses": ["4.3"], "closes": ["a"], "effort": "S"}],
            }
        ],
    }
    report_ = Report.from_dict(data)
    assert report_.findings[0].merged[0].id == "b"
    assert Report.from_dict(report_.to_dict()).to_dict() == report_.to_dict()
    assert report_.plan[0].steps[0].closes == ("a",)
    assert PlanItem.from_dict({"rank": 1, "id": "x", "title": "X", "phase": "before Stage 1"}).steps == ()


@pytest.mark.parametrize(
    ("merges", "rule_id", "message"),
    [
        ({"no-audit": "no-such-rule"}, "no-audit", "unknown rule 'no-such-rule'"),
        ({"no-audit": "no-audit"}, "no-audit", "cannot merge into itself"),
        ({"no-audit": "small"}, "no-audit", "rule 'small' raises no finding"),
        ({"no-scope": "no-review"}, "no-scope", "unrelated to those of 'no-review'"),
        (
            {"no-audit": "no-review", "no-review": "never-checked", "never-checked": "no-audit"},
            "never-checked",
            "findings merge into each other: never-checked -> no-audit -> no-review -> never-checked",
        ),
    ],
)
def test_kb_check_refuses_a_merge_that_would_hide_a_finding(tmp_path, merges, rule_id, message):
    found = problems(kb_with(tmp_path, merges))
    assert [(p.file, p.id, p.field) for p in found] == [(RULE_FILE, rule_id, "then.finding.merges_into")]
    assert message in found[0].message


def test_merges_between_related_clauses_are_accepted(tmp_path):
    # Same clause group (4.3 with 4.4) and a direct catalogue dependency (9.2 -> 9.3.1).
    load_knowledge_base(kb_with(tmp_path, {"no-scope": "process-gap", "no-audit": "no-review"}, [PROCESS_GAP]))


# ---------------------------------------------------------------------------------------------- bundles

CHECK_BUNDLE = {
    "id": "check-the-system",
    "title": "Audit, then review",
    "effort": "L",
    "steps": ["hold-audit", "hold-review"],
}


def test_a_bundle_is_one_action_with_the_steps_the_findings_need(tmp_path):
    kb_dir = kb_with(tmp_path, {}, actions=[CHECK_BUNDLE])
    plan = report(kb_dir, {"scope": "no", "audit": "no", "review": "no"})["plan"]
    assert [i["id"] for i in plan] == ["write-scope", "check-the-system"]
    bundle = plan[1]
    assert bundle["title"] == "Audit, then review" and bundle["effort"] == "L"
    assert [s["id"] for s in bundle["steps"]] == ["hold-audit", "hold-review"]
    assert bundle["closes"] == ["never-checked", "no-audit", "no-review"]
    assert bundle["steps"][1] == {
        "id": "hold-review",
        "title": "Hold a management review",
        "clauses": ["9.3.1"],
        "closes": ["no-review"],
        "effort": "M",
    }
    assert bundle["clauses"] == ["9.2", "9.3.1"] and bundle["lead_time"] is True  # hold-audit's
    # Only the steps needed: with the review held, the bundle has one step.
    plan = report(kb_dir, {"scope": "yes", "audit": "no", "review": "yes"})["plan"]
    assert [(i["id"], [s["id"] for s in i["steps"]]) for i in plan] == [("check-the-system", ["hold-audit"])]


def test_an_action_needing_a_step_comes_after_its_bundle(tmp_path):
    follow_up = {
        "id": "close-audit-findings",
        "title": "Close the audit's findings",
        "effort": "S",
        "depends_on": ["hold-audit"],
    }
    gap = copy.deepcopy(PROCESS_GAP)
    gap["then"]["finding"]["clauses"] = ["9.3.1"]
    gap["then"]["finding"]["action"] = "close-audit-findings"
    kb_dir = kb_with(tmp_path, {}, [gap], actions=[CHECK_BUNDLE, follow_up])
    plan = report(kb_dir, {"scope": "yes", "audit": "no", "review": "yes", "tools": ["wiki"]})["plan"]
    ids = [i["id"] for i in plan]
    assert ids.index("check-the-system") < ids.index("close-audit-findings")
    assert plan[ids.index("close-audit-findings")]["depends_on"] == ["check-the-system"]


@pytest.mark.parametrize(
    ("bundles", "bundle_id", "message"),
    [
        (
            [{**CHECK_BUNDLE, "steps": ["hold-audit", "no-such-action"]}],
            "check-the-system",
            "unknown action 'no-such-action'",
        ),
        ([{**CHECK_BUNDLE, "steps": ["check-the-system"]}], "check-the-system", "cannot be a step of itself"),
        (
            [CHECK_BUNDLE, {"id": "again", "title": "Again", "effort": "S", "steps": ["hold-review"]}],
            "again",
            "'hold-review' is already a step of 'check-the-system'",
        ),
        (
            [CHECK_BUNDLE, {"id": "outer", "title": "Outer", "effort": "S", "steps": ["check-the-system"]}],
            "outer",
            "'check-the-system' is a bundle itself",
        ),
    ],
)
def test_kb_check_refuses_a_bundle_it_cannot_plan(tmp_path, bundles, bundle_id, message):
    found = problems(kb_with(tmp_path, {}, actions=bundles))
    assert [(p.id, p.field) for p in found] == [(bundle_id, "steps")]
    assert message in found[0].message


def test_an_action_that_leads_the_plan_comes_first_whatever_its_clause(tmp_path):
    # Containment of a minor on 9.3.1 goes before the Stage 1 blocker on 4.3, and waits for nothing.
    gap = copy.deepcopy(PROCESS_GAP)
    gap["then"]["finding"]["clauses"] = ["9.3.1"]
    gap["then"]["finding"]["action"] = "contain"
    contain = {
        "id": "contain",
        "title": "Stop the harm",
        "effort": "M",
        "leads_plan": True,
        "depends_on": ["hold-audit"],
    }
    kb_dir = kb_with(tmp_path, {}, [gap], actions=[contain])
    plan = report(kb_dir, {"scope": "no", "audit": "no", "review": "yes", "tools": ["wiki"]})["plan"]
    assert [i["id"] for i in plan][:2] == ["contain", "write-scope"]
    assert plan[0]["depends_on"] == [] and plan[0]["phase"] == "before Stage 1"
