"""Claimed versus evidenced readiness (planning.evidenced) and the plan's evidence actions (planning.plan)."""

from __future__ import annotations

import pytest

from app.config import PROJECT_ROOT
from app.formats.markdown import to_markdown, to_text
from app.knowledge.answer_file import parse_answer_file
from app.planning import evidenced
from app.planning.assess import assess
from app.planning.plan import MAX_EVIDENCE_ACTIONS
from app.planning.report import Report

QUICK = "quick-scan"
FULL = "iso9001-software"
CALIBRATION = sorted((PROJECT_ROOT / "examples" / "calibration").glob("*.yaml"))


def _example(real_kb, name: str):
    parsed = parse_answer_file((PROJECT_ROOT / "examples" / name).read_text(), real_kb)
    return parsed.questionnaire, dict(parsed.answers)


def _collect(report: Report):
    return [i for i in report.plan if i.id.startswith("collect-evidence-")]


# ------------------------------------------------------------------------------------- which questions need records


def test_questions_on_mandatory_documented_information_and_weight_three_need_records(real_kb):
    catalogue = real_kb.catalogue_for(FULL)
    questions = {q.id: q for q in real_kb.questionnaire(FULL).questions}
    assert evidenced.needs_records(catalogue, questions["internal_audit_held"])  # 9.2: retained records
    assert evidenced.needs_records(catalogue, questions["scope_documented"])  # 4.3: a maintained document
    assert evidenced.needs_records(catalogue, questions["policy_fits_business"])  # weight 1, but on 5.2.1
    # Weight 3 on a clause without mandatory documented information: a blocker item an auditor always tests.
    assert catalogue.clause("8.3.1").documented_information == "none"
    assert evidenced.needs_records(catalogue, questions["design_process_defined"])
    # Weight 2 off those clauses is tested by interview, not by a record.
    assert not evidenced.needs_records(catalogue, questions["leaders_can_explain_qms"])
    assert not evidenced.needs_records(catalogue, questions["context_issues_identified"])
    assert not any(evidenced.needs_records(catalogue, q) for q in questions.values() if not q.scored)


def test_which_questions_need_records_follows_the_catalogue_not_a_list(real_kb):
    for questionnaire_id in (QUICK, FULL):
        catalogue = real_kb.catalogue_for(questionnaire_id)
        for question in real_kb.questionnaire(questionnaire_id).questions:
            on_di = any(catalogue.clause(c).documented_information != "none" for c in question.clauses)
            expected = question.scored and (on_di or question.weight >= evidenced.RECORD_WEIGHT)
            assert evidenced.needs_records(catalogue, question) is expected, question.id


# ------------------------------------------------------------------------------------- readiness twice


def test_a_claim_without_evidence_lowers_evidenced_readiness_but_not_claimed(real_kb):
    answers = {"scope_documented": "yes", "context_and_parties": "yes"}
    unknown = assess(real_kb, QUICK, answers)
    report = assess(real_kb, QUICK, answers, backed=())
    assert report.readiness == unknown.readiness and report.findings == unknown.findings
    assert report.verdict == unknown.verdict
    assert report.readiness.clause("4.3").score == 100
    assert report.evidenced.readiness.clause("4.3").score == 0  # counted as "don't know": level 1, no credit
    assert report.evidenced.readiness.overall < report.readiness.overall
    assert [c.question for c in report.evidenced.unevidenced] == ["scope_documented"]


def test_evidence_restores_the_claimed_figure(real_kb):
    answers = {"scope_documented": "yes", "context_and_parties": "yes"}
    report = assess(real_kb, QUICK, answers, backed={"scope_documented"})
    assert report.evidenced.readiness.overall == report.readiness.overall
    assert report.evidenced.readiness.groups == report.readiness.groups
    assert report.evidenced.unevidenced == ()
    assert [c.question for c in report.evidenced.backed] == ["scope_documented"]


@pytest.mark.parametrize("value", ["no", "dont_know"])
def test_an_answer_that_claims_nothing_is_unaffected(real_kb, value):
    report = assess(real_kb, QUICK, {"scope_documented": value}, backed=())
    assert report.evidenced.claims == ()
    assert report.evidenced.readiness.clauses == report.readiness.clauses


def test_partly_is_a_claim_too(real_kb):
    report = assess(real_kb, QUICK, {"internal_audit_held": "partly"}, backed=())
    assert report.readiness.clause("9.2").score > report.evidenced.readiness.clause("9.2").score


def test_questions_that_need_no_record_are_unaffected(real_kb):
    report = assess(real_kb, QUICK, {"context_and_parties": "yes", "roles_defined": "yes"}, backed=())
    assert report.evidenced.claims == ()
    assert report.evidenced.readiness.overall == report.readiness.overall == 100


def test_a_finding_caps_the_evidenced_figure_as_it_caps_the_claimed_one(real_kb):
    questionnaire, answers = _example(real_kb, "startup-scrum.yaml")
    report = assess(real_kb, questionnaire, answers, backed=set(answers))
    assert report.evidenced.readiness.clauses == report.readiness.clauses


def test_claims_are_listed_mandatory_records_first_then_by_weight(real_kb):
    questionnaire, answers = _example(real_kb, "full-ready-for-stage2.yaml")
    found = assess(real_kb, questionnaire, answers, backed=()).evidenced.claims
    keys = [(not c.mandatory, -c.weight) for c in found]
    assert keys == sorted(keys) and found[0].mandatory and not found[-1].mandatory
    assert all(c.record for c in found)  # each says what to show


# ------------------------------------------------------------------------------------- grading unchanged, plan


@pytest.mark.parametrize("path", CALIBRATION, ids=lambda p: p.name)
def test_missing_evidence_changes_no_grade_and_waits_for_the_majors(real_kb, path):
    parsed = parse_answer_file(path.read_text(), real_kb)
    unknown = assess(real_kb, parsed.questionnaire, parsed.answers)
    report = assess(real_kb, parsed.questionnaire, parsed.answers, backed=())
    assert (report.findings, report.verdict, report.readiness) == (unknown.findings, unknown.verdict, unknown.readiness)
    severity = {f.id: f.severity for f in report.findings}
    closing_majors = [i.rank for i in report.plan if any(severity.get(f) == "major" for f in i.closes)]
    collect = _collect(report)
    assert collect, "every calibration case claims something an auditor will test"
    assert len(collect) <= MAX_EVIDENCE_ACTIONS
    assert min(i.rank for i in collect) > max(closing_majors, default=0)
    assert all(i.closes == () and i.kind == "evidence" for i in collect)
    # Without evidence action, everything else keeps its order.
    assert [i.id for i in report.plan if i not in collect] == [i.id for i in unknown.plan]


def test_one_evidence_action_per_clause_group_naming_the_records(real_kb):
    questionnaire, answers = _example(real_kb, "full-ready-for-stage2.yaml")
    report = assess(real_kb, questionnaire, answers, backed=())
    collect = _collect(report)
    groups = [i.id.removeprefix("collect-evidence-") for i in collect]
    assert len(groups) == len(set(groups)) == MAX_EVIDENCE_ACTIONS
    catalogue = real_kb.catalogue_for(questionnaire)
    for item in collect:
        assert {catalogue.clause(c).group for c in item.clauses} >= {item.id.removeprefix("collect-evidence-")}
        assert "an auditor will test against a record" in item.why and "Show" not in item.title
    # The documents Stage 1 reads (scope, policy: the clauses of its gates) before Stage 1, with no major open.
    assert [(i.id, i.phase) for i in collect[:2]] == [
        ("collect-evidence-4", "before Stage 1"),
        ("collect-evidence-5", "before Stage 1"),
    ]
    assert "Stage 1 reads these documents" in collect[0].why
    assert all(i.phase == "before Stage 2" for i in collect[2:])


def test_evidence_actions_are_ordered_by_the_weight_of_their_claims(real_kb):
    questionnaire, answers = _example(real_kb, "full-agency-no-audit-review.yaml")
    report = assess(real_kb, questionnaire, answers, backed=())
    claims = report.evidenced.unevidenced
    catalogue = real_kb.catalogue_for(questionnaire)

    def weight(item):
        group = item.id.removeprefix("collect-evidence-")
        return sum(c.weight for c in claims if c.mandatory and catalogue.clause(c.clause).group == group)

    same_phase = [i for i in _collect(report) if i.phase == "before Stage 2"]
    assert [weight(i) for i in same_phase] == sorted((weight(i) for i in same_phase), reverse=True)


def test_evidence_for_stage1_documents_waits_when_a_major_blocks_stage2(real_kb):
    questionnaire, answers = _example(real_kb, "full-ready-for-stage2.yaml")
    answers["internal_audit_held"] = "no"  # a major that blocks Stage 2
    report = assess(real_kb, questionnaire, answers, backed=())
    majors = {f.id for f in report.findings if f.severity == "major"}
    assert majors
    last_major = max(i.rank for i in report.plan if set(i.closes) & majors)
    assert all(i.rank > last_major and i.phase == "before Stage 2" for i in _collect(report))


def test_evidenced_claims_get_no_action(real_kb):
    questionnaire, answers = _example(real_kb, "full-ready-for-stage2.yaml")
    assert _collect(assess(real_kb, questionnaire, answers, backed=set(answers))) == []


# ------------------------------------------------------------------------------------- the report's forms


def test_the_report_round_trips_both_figures(real_kb):
    report = assess(
        real_kb, QUICK, {"scope_documented": "yes", "internal_audit_held": "yes"}, backed={"scope_documented"}
    )
    data = report.to_dict()
    assert data["evidenced_readiness"]["overall"] < data["readiness"]["overall"]
    assert [c["question"] for c in data["unevidenced_claims"]] == ["internal_audit_held"]
    assert data["unevidenced_claims"][0]["clause"] == "9.2" and data["unevidenced_claims"][0]["mandatory_records"]
    assert [c["question"] for c in data["evidenced_claims"]] == ["scope_documented"]
    again = Report.from_dict(data)
    assert again.to_dict() == data and again.evidenced.readiness == report.evidenced.readiness
    assert set(again.evidenced.claims) == set(report.evidenced.claims)


def test_a_report_frozen_before_evidence_comes_back_without_it(real_kb):
    data = assess(real_kb, QUICK, {"scope_documented": "yes"}, backed=()).to_dict()
    for key in ("evidenced_readiness", "unevidenced_claims", "evidenced_claims"):
        del data[key]
    old = Report.from_dict(data)
    assert old.evidenced is None and old.to_dict() == data
    assert "Evidenced" not in to_markdown(old) and "EVIDENCED" not in to_text(old)


def test_text_and_markdown_show_both_figures(real_kb):
    report = assess(real_kb, QUICK, {"scope_documented": "yes", "context_and_parties": "yes"}, backed=())
    text, markdown = to_text(report), to_markdown(report)
    claimed, shown = report.readiness.overall, report.evidenced.readiness.overall
    assert f"READINESS: {claimed}/100" in text
    assert f"EVIDENCED READINESS: {shown}/100 (1 claim without a record)" in text
    assert "no record yet for 4.3 scope_documented" in text
    assert f"Evidenced: {shown}/100 (1 claim without a record" in markdown
    assert f"| 4 | {report.readiness.groups['4']}/100 | {report.evidenced.readiness.groups['4']}/100 |" in markdown
    assert "### Claims without a record" in markdown


def test_an_answers_file_knows_no_evidence_and_says_nothing_about_it(real_kb):
    report = assess(real_kb, QUICK, {"scope_documented": "yes"})
    assert report.evidenced is None and "evidenced_readiness" not in report.to_dict()
    assert _collect(report) == []
