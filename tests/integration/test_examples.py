"""The example organisations in examples/: their verdicts and key findings are pinned.

A change in the knowledge base that moves one of these is a change in what users are told; it should be made on
purpose, with this file updated in the same commit.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from app.config import PROJECT_ROOT
from app.knowledge.answer_file import parse_answer_file
from app.planning.assess import assess as assess_report


def assess(*args, **kwargs) -> dict:
    """The report in its stored and API form (Report.to_dict), which these tests pin."""
    return assess_report(*args, **kwargs).to_dict()


EXAMPLES = PROJECT_ROOT / "examples"


def report_for(kb, name: str) -> dict:
    parsed = parse_answer_file((EXAMPLES / name).read_text(), kb)
    return assess(kb, parsed.questionnaire, parsed.answers)


def majors(report) -> set[str]:
    return {f["id"] for f in report["findings"] if f["severity"] == "major"}


# Every file in examples/, with the questionnaire it answers and the verdict it gets: a file added, removed or
# renamed there is a change to this table too.
EVERY_EXAMPLE = {
    "agency-documented.yaml": ("quick-scan", "stage1"),
    "company-near-ready.yaml": ("quick-scan", "stage2"),
    "startup-scrum.yaml": ("quick-scan", "not_ready"),
    "full-agency-no-audit-review.yaml": ("iso9001-software", "stage1"),
    "full-devops-saas-no-policy.yaml": ("iso9001-software", "not_ready"),
    "full-iso27001-certified-saas.yaml": ("iso9001-software", "not_ready"),
    "full-outsourcing-vendor.yaml": ("iso9001-software", "stage1"),
    "full-over-documented.yaml": ("iso9001-software", "stage1"),
    "full-ready-for-stage2.yaml": ("iso9001-software", "stage2"),
    "full-regulated-medical-adjacent.yaml": ("iso9001-software", "stage1"),
    "full-surveillance-certified.yaml": ("iso9001-software", "stage1"),
    "full-tiny-startup.yaml": ("iso9001-software", "not_ready"),
}


def test_every_example_file_is_valid(real_kb):
    names = sorted(path.name for path in Path(EXAMPLES).glob("*.yaml"))
    assert len(names) == 12 and names == sorted(EVERY_EXAMPLE)
    for name in names:
        parsed = parse_answer_file((EXAMPLES / name).read_text(), real_kb)
        questionnaire, level = EVERY_EXAMPLE[name]
        assert parsed.questionnaire == questionnaire, name
        assert "(example" in parsed.organisation["name"], name  # shown as an example wherever it is imported
        report = assess(real_kb, parsed.questionnaire, parsed.answers)
        assert report["verdict"]["level"] == level, name
        assert report["unanswered"] == [], f"{name} leaves questions it is asked unanswered"


def test_scrum_startup_with_ci_but_no_quality_system(real_kb):
    report = report_for(real_kb, "startup-scrum.yaml")
    assert report["verdict"]["level"] == "not_ready"
    assert {
        "scope-not-documented",
        "quality-policy-missing",
        "quality-objectives-missing",
        "system-never-checked",
        "corrective-action-missing",
    } <= majors(report)
    # Its flow is known but not written ("in heads"): one answer at the ad-hoc level is a lapse, not an absence.
    severities = {f["id"]: f["severity"] for f in report["findings"]}
    assert severities["processes-in-heads"] == "minor" and "processes-not-defined" not in severities
    stage1 = {b["finding"] for b in report["verdict"]["blockers"]}
    assert stage1 == {"scope-not-documented", "quality-policy-missing", "quality-objectives-missing"}
    assert "consider-iso-29110" in {s["id"] for s in report["suggestions"]}
    # Its pull requests and CI are credited on change control: no major there.
    assert not any({"8.3.4", "8.5.6"} & set(f["clauses"]) for f in report["findings"] if f["severity"] == "major")
    # An auditor's first five: what Stage 1 reads (scope, then policy and objectives), the real flow as the system,
    # the loop on incidents and customers (the customer-satisfaction method needs months of results), then audit
    # and review; each a bundle with its steps.
    assert [i["id"] for i in report["plan"][:5]] == [
        "determine-context-and-scope",
        "set-policy-and-objectives",
        "describe-delivery-system",
        "close-the-loop",
        "audit-and-review",
    ]
    assert [i["phase"] for i in report["plan"][:2]] == ["before Stage 1"] * 2
    assert "measure-customer-satisfaction" in {s["id"] for s in report["plan"][3]["steps"]}


def test_documented_agency_without_audit_or_review(real_kb):
    report = report_for(real_kb, "agency-documented.yaml")
    assert report["verdict"]["level"] == "stage1"
    assert majors(report) == {"system-never-checked"}
    assert [b["finding"] for b in report["verdict"]["blockers"]] == ["system-never-checked"]
    assert report["suggestions"] == []  # 40 people: no ISO/IEC 29110 advice
    plan = {item["id"]: item for item in report["plan"]}
    assert plan["audit-and-review"]["phase"] == "before Stage 2"
    assert "close-the-check-loop" in {s["id"] for s in plan["audit-and-review"]["steps"]}
    # The audit and review decide the audit; the team's competence records (not the auditor's) do not hold them up.
    assert plan["audit-and-review"]["rank"] < plan["record-competence"]["rank"]


def test_company_close_to_ready(real_kb):
    report = report_for(real_kb, "company-near-ready.yaml")
    assert report["verdict"] == {"level": "stage2", "label": "Ready for Stage 2", "blockers": []}
    assert majors(report) == set()
    assert report["readiness"]["overall"] >= 90
    assert {f["severity"] for f in report["findings"]} <= {"minor", "observation", "improvement"}


@pytest.mark.parametrize("name", ["startup-scrum.yaml", "agency-documented.yaml", "company-near-ready.yaml"])
def test_every_finding_says_what_why_and_how(real_kb, name):
    for finding in report_for(real_kb, name)["findings"]:
        assert finding["clauses"] and finding["title"] and finding["explanation"]
        assert finding["because"], f"{finding['id']} has no provenance"
        assert finding["recommendation"]
        assert "{" not in finding["explanation"] + finding["recommendation"]


def test_dont_know_everywhere_raises_no_nonconformity_in_the_shipped_rules(real_kb):
    for questionnaire in real_kb.questionnaires.values():
        answers = {q.id: "dont_know" for q in questionnaire.questions if q.kind != "text"}
        report = assess(real_kb, questionnaire.id, answers)
        assert [f["id"] for f in report["findings"] if f["severity"] in ("major", "minor")] == []
        evidence = {i["id"] for i in report["plan"] if i["kind"] == "evidence"}
        scored = {q.id for q in questionnaire.questions if q.scored and not q.follow_up}
        assert {f"find-out-{q.replace('_', '-')}" for q in scored} <= evidence
        assert report["verdict"]["level"] == "not_ready"
