"""The example organisations for the full questionnaire (examples/full-*.yaml): what each is told is pinned.

Each example is a different kind of organisation answering every question the full assessment asks it. The
clauses that carry a major finding, the verdict, the ISO/IEC 29110 advice and the head of the plan are pinned, so
a change in the knowledge base or the planner that moves one of them is made on purpose, with this file updated
in the same commit.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from app.config import PROJECT_ROOT
from app.knowledge.answer_file import parse_answer_file
from app.planning.assess import assess

EXAMPLES = PROJECT_ROOT / "examples"
FULL = "iso9001-software"
ISO_29110 = "consider-iso-29110"


@dataclass(frozen=True)
class Expected:
    verdict: str
    major_clauses: frozenset[str]
    no_major_on: frozenset[str]
    suggests_29110: bool
    first_actions: tuple[str, ...]


EXPECTED = {
    "full-ready-for-stage2.yaml": Expected(
        verdict="stage2",
        major_clauses=frozenset(),
        no_major_on=frozenset({"4.3", "5.2.1", "6.2", "8.3.4", "9.2", "9.3.1", "10.2"}),
        suggests_29110=False,
        first_actions=(
            "set-policy-and-objectives",
            "describe-delivery-system",
            "record-competence",
            "audit-and-review",
            "set-up-commitment-review",
        ),
    ),
    "full-surveillance-certified.yaml": Expected(
        verdict="stage1",
        # Last year's minor on supplier re-evaluation is still open: a repeat, upgraded to a major on its own
        # clause (8.4.1), beside the ineffective corrective action (10.2).
        major_clauses=frozenset({"8.4.1", "10.2"}),
        no_major_on=frozenset({"9.2", "9.3.1", "9.3.2"}),
        suggests_29110=False,
        first_actions=(
            "close-previous-audit-findings",
            "determine-context-and-scope",
            "describe-delivery-system",
            "audit-and-review",
            "evidence-improvement-since-audit",
        ),
    ),
    "full-devops-saas-no-policy.yaml": Expected(
        verdict="not_ready",
        major_clauses=frozenset({"4.3", "5.1.1", "5.2.1", "5.2.2", "5.3", "6.2", "9.2", "9.3.1"}),
        # Its pull requests, pipeline, deployment records and DORA numbers are credited where they belong.
        no_major_on=frozenset({"8.3.4", "8.3.6", "8.5.6", "8.6", "8.7", "9.1.1", "10.2"}),
        suggests_29110=False,
        first_actions=(
            "determine-context-and-scope",
            "set-policy-and-objectives",
            "describe-delivery-system",
            "close-the-loop",
            "audit-and-review",
        ),
    ),
    "full-iso27001-certified-saas.yaml": Expected(
        verdict="not_ready",
        major_clauses=frozenset({"4.3", "5.1.1", "5.2.1", "5.2.2", "5.3", "6.2"}),
        # Its 27001 audits and management review exist: what they lack for quality is a minor, not a major.
        no_major_on=frozenset({"7.5.1", "8.4.1", "9.2", "9.3.1", "9.3.2", "10.2"}),
        suggests_29110=False,
        first_actions=(
            "determine-context-and-scope",
            "set-policy-and-objectives",
            "describe-delivery-system",
            "close-the-loop",
            "record-competence",
        ),
    ),
    "full-outsourcing-vendor.yaml": Expected(
        verdict="stage1",
        major_clauses=frozenset({"8.4.1", "8.4.2"}),
        no_major_on=frozenset({"4.4", "7.2", "8.3.4", "8.4.3", "8.5.3", "9.2"}),
        suggests_29110=False,
        first_actions=(
            "determine-context-and-scope",
            "describe-delivery-system",
            "gate-partner-work",
            "control-suppliers",
            "close-the-loop",
        ),
    ),
    "full-over-documented.yaml": Expected(
        verdict="stage1",
        # The consultant audited his own documents without sampling real work: not impartial and not a look at
        # the work together is an audit in name only (9.2 major), as certification bodies read gate G6. The release
        # checklist ticked for a regression run that never happened is a false record (7.5.3) letting a release
        # through without evidence (8.6), not a gap in what documents the system has (7.5.1).
        major_clauses=frozenset({"4.4", "7.5.3", "8.1", "8.6", "9.2", "9.3.1"}),
        no_major_on=frozenset({"5.1.1", "5.2.1", "7.5.2"}),
        suggests_29110=False,
        first_actions=(
            "contain-false-records",
            "determine-context-and-scope",
            "describe-delivery-system",
            "close-the-loop",
            "audit-and-review",
        ),
    ),
    "full-tiny-startup.yaml": Expected(
        verdict="not_ready",
        major_clauses=frozenset(
            {"4.3", "5.1.1", "5.2.1", "5.2.2", "5.3", "6.1", "6.2", "7.2", "9.1.1", "9.1.3", "9.2", "9.3.1", "10.2"}
        ),
        # One answer at the ad-hoc level is a lapse, not an absence: a flow known but not written (4.4, 8.1), an
        # informal Definition of Done (8.1), and no written design procedure, which ISO 9001 does not ask for
        # (8.3.1), are minors.
        no_major_on=frozenset({"4.4", "8.1", "8.3.1", "8.3.4", "8.4.1", "8.5.3", "8.5.6", "8.6"}),
        suggests_29110=True,
        first_actions=(
            "determine-context-and-scope",
            "set-policy-and-objectives",
            "describe-delivery-system",
            "close-the-loop",
            "audit-and-review",
        ),
    ),
    "full-regulated-medical-adjacent.yaml": Expected(
        verdict="stage1",
        major_clauses=frozenset({"8.5.2"}),
        no_major_on=frozenset({"5.1.2", "8.2.2", "8.5.3", "9.2"}),
        suggests_29110=False,
        first_actions=(
            "link-releases-to-evidence",
            "determine-context-and-scope",
            "build-risk-register",
            "describe-delivery-system",
            "close-the-loop",
        ),
    ),
    "full-agency-no-audit-review.yaml": Expected(
        verdict="stage1",
        major_clauses=frozenset({"9.2", "9.3.1"}),
        no_major_on=frozenset({"4.3", "4.4", "5.2.1", "6.2", "7.2", "10.2"}),
        suggests_29110=False,
        first_actions=(
            "audit-and-review",
            "set-policy-and-objectives",
            "analyse-quality-data",
            "review-risks-quarterly",
            "record-competence",
        ),
    ),
}


@pytest.fixture(scope="module")
def reports(real_kb) -> dict[str, dict]:
    out = {}
    for name in EXPECTED:
        parsed = parse_answer_file((EXAMPLES / name).read_text(), real_kb)
        out[name] = assess(real_kb, parsed.questionnaire, parsed.answers).to_dict()
    return out


def major_clauses(report) -> set[str]:
    return {c for f in report["findings"] if f["severity"] == "major" for c in f["clauses"]}


def finding_ids(report) -> set[str]:
    return {f["id"] for f in report["findings"]}


def test_every_full_example_is_pinned_here():
    assert {p.name for p in EXAMPLES.glob("full-*.yaml")} == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_answers_every_question_it_is_asked(real_kb, reports, name):
    parsed = parse_answer_file((EXAMPLES / name).read_text(), real_kb)
    assert parsed.questionnaire == FULL
    report = reports[name]
    assert report["unanswered"] == []
    assert report["ignored"] == []  # no answer to a follow-up whose condition does not hold
    assert not any(answer.value == "dont_know" for answer in parsed.answers.values())
    assert sum(bool(answer.note) for answer in parsed.answers.values()) >= 3  # a few answers explain themselves


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_verdict_majors_advice_and_plan_head(reports, name):
    report, expected = reports[name], EXPECTED[name]
    assert report["verdict"]["level"] == expected.verdict
    assert major_clauses(report) == expected.major_clauses
    assert not major_clauses(report) & expected.no_major_on
    assert (ISO_29110 in {s["id"] for s in report["suggestions"]}) is expected.suggests_29110
    assert [item["id"] for item in report["plan"][:5]] == list(expected.first_actions)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_finding_says_what_why_and_how(reports, name):
    for finding in reports[name]["findings"]:
        assert finding["clauses"] and finding["title"] and finding["explanation"]
        assert finding["because"], f"{finding['id']} has no provenance"
        assert finding["recommendation"] and finding["practices"] and finding["evidence"]
        assert "{" not in finding["explanation"] + finding["recommendation"]


def test_ready_company_has_only_minor_gaps_left(reports):
    report = reports["full-ready-for-stage2.yaml"]
    assert report["verdict"]["blockers"] == []
    assert {f["severity"] for f in report["findings"]} <= {"minor", "observation", "improvement"}
    assert report["readiness"]["overall"] >= 90


def test_surveillance_repeat_finding_is_raised_and_improvement_is_not_praised(reports):
    report = reports["full-surveillance-certified.yaml"]
    assert "e-repeat-findings-uncorrected" in {b["finding"] for b in report["verdict"]["blockers"]}
    assert "surveillance-is-about-improvement" in {s["id"] for s in report["suggestions"]}
    # The team-level improvement loop is not recognised while last audit's findings are still open.
    assert "e-improvement-loop-recognised" not in finding_ids(report)


def test_devops_metrics_do_not_excuse_missing_policy_and_objectives(reports):
    report = reports["full-devops-saas-no-policy.yaml"]
    stage1 = {b["finding"] for b in report["verdict"]["blockers"]}
    assert {"a-policy-missing", "planning-objectives-missing", "a-scope-not-documented"} <= stage1
    assert "delivery_metrics_strong" in {f["id"] for f in report["facts"]}
    assert "tooling-is-not-the-system" in {s["id"] for s in report["suggestions"]}
    # Strong DORA numbers and customer feedback kept apart: named, but as an observation.
    observed = {f["id"]: f["severity"] for f in report["findings"]}
    assert observed["e-strong-delivery-not-satisfaction"] == "observation"


def test_outsourcing_majors_come_from_missing_supplier_control(reports):
    report = reports["full-outsourcing-vendor.yaml"]
    majors = {f["id"] for f in report["findings"] if f["severity"] == "major"}
    assert majors == {"outsourced-work-bypasses-controls", "subcontractors-neither-evaluated-nor-monitored"}
    assert "uncontrolled_outsourcing" in {f["id"] for f in report["facts"]}


def test_over_documented_paper_system_is_named_once(reports):
    report = reports["full-over-documented.yaml"]
    facts = {f["id"] for f in report["facts"]}
    assert {"paperwork_heavy", "documents_not_followed"} <= facts
    ids = finding_ids(report)
    assert "support-paper-system-beside-real-one" in ids
    assert "e-paperwork-becomes-audit-criteria" not in ids  # the observation above already says it
    # The consultant does everything, but the review and the audit are graded once, by their own answers.
    assert {"d-management-review-missing", "d-auditors-not-independent"} <= ids
    assert not any(i.startswith("e-consultant-") for i in ids)


def test_tiny_startup_is_pointed_to_29110_and_an_outside_auditor(reports):
    suggestions = {s["id"] for s in reports["full-tiny-startup.yaml"]["suggestions"]}
    assert {ISO_29110, "outside-auditor-for-small-teams"} <= suggestions


def test_regulated_supplier_is_pointed_to_sector_standards(reports):
    report = reports["full-regulated-medical-adjacent.yaml"]
    assert "check-sector-standards" in {s["id"] for s in report["suggestions"]}
    assert "d-versions-unknown-regulated" in finding_ids(report)


def test_agency_gets_one_action_for_audit_and_review(reports):
    report = reports["full-agency-no-audit-review.yaml"]
    assert [b["finding"] for b in report["verdict"]["blockers"]] == ["e-system-never-checked"]
    plan = {item["id"]: item for item in report["plan"]}
    steps = [step["id"] for step in plan["audit-and-review"]["steps"]]
    assert "close-the-check-loop" in steps
    assert "hold-management-review" not in steps and "run-internal-audit" not in steps


def test_tiny_startup_gets_one_finding_per_gap_and_an_auditors_first_five(reports):
    report = reports["full-tiny-startup.yaml"]
    assert len(report["findings"]) <= 25  # 59 before findings on one gap were merged
    majors = {f["id"] for f in report["findings"] if f["severity"] == "major"}
    # No scope, no policy (and nobody owns the system), no objectives (so nothing measured), no internal audit or
    # management review, no corrective action; and two further real absences: risks never considered, no record
    # of anyone's competence.
    assert majors == {
        "a-scope-not-documented",
        "a-policy-missing",
        "planning-objectives-missing",
        "e-system-never-checked",
        "d-corrective-action-absent",
        "planning-risks-not-managed",
        "support-competence-records-missing",
    }
    merged = {f["id"]: {m["id"] for m in f["merged"]} for f in report["findings"]}
    assert {"d-measurement-history-missing", "d-analysis-without-decisions"} <= merged["planning-objectives-missing"]
    assert {"a-climate-decision-missing", "a-context-not-revisited"} <= merged["a-context-issues-not-determined"]
    head = report["plan"][:5]
    assert all(item["steps"] for item in head)
    steps = {item["id"]: [s["id"] for s in item["steps"]] for item in head}
    assert steps["determine-context-and-scope"][:2] == ["map-context-and-parties", "decide-climate-relevance"]
    assert "write-scope" in steps["determine-context-and-scope"]
    assert {"write-quality-policy", "set-quality-objectives", "keep-metric-history"} <= set(
        steps["set-policy-and-objectives"]
    )
    assert {"set-up-corrective-action-log", "measure-customer-satisfaction"} <= set(steps["close-the-loop"])
    # Document control is a step of describing the real flow, not an action of its own ahead of the audit.
    assert "set-up-docs-as-code" in steps["describe-delivery-system"]
