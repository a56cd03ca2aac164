"""The quick scan's remaining compound questions split into checklists (issue 12): "partly" asks which parts are
missing, the finding names them, and a context picture that lacks only the climate decision is an observation."""

from __future__ import annotations

import pytest

from app.planning.assess import assess

QUICK = "quick-scan"
# compound question -> (its checklist, the finding on "partly", a part to tick, that part's label)
SPLIT = {
    "scope_documented": ("scope_documented_missing", "scope-incomplete", "approved", "Approved by top management"),
    "context_and_parties": (
        "context_and_parties_missing",
        "context-partly-determined",
        "party_expectations",
        "What each of those parties expects",
    ),
    "documents_controlled": (
        "documents_controlled_missing",
        "documents-partly-controlled",
        "outside_documents",
        "Documents from outside (customer specifications, standards) are stored and versioned too",
    ),
    "risks_managed": (
        "risks_managed_missing",
        "risks-partly-addressed",
        "opportunities",
        "Opportunities, not only risks",
    ),
}


@pytest.mark.parametrize("compound", sorted(SPLIT))
def test_partly_asks_the_checklist_and_the_finding_names_the_ticked_parts(real_kb, compound):
    checklist, finding_id, part, label = SPLIT[compound]
    assert checklist not in assess(real_kb, QUICK, {compound: "yes"}).asked
    report = assess(real_kb, QUICK, {compound: "partly", checklist: (part,)})
    assert checklist in report.asked
    finding = next(f for f in report.findings if f.id == finding_id)
    assert label in finding.explanation


@pytest.mark.parametrize("compound", sorted(SPLIT))
def test_a_checklist_answer_without_partly_is_ignored(real_kb, compound):
    checklist, _, part, _ = SPLIT[compound]
    assert checklist in assess(real_kb, QUICK, {compound: "yes", checklist: (part,)}).ignored


def _context(*missing) -> dict:
    return {"context_and_parties": "partly", "context_and_parties_missing": tuple(missing)}


def _grades(real_kb, answers) -> dict[str, str]:
    return {f.id: f.severity for f in assess(real_kb, QUICK, answers).findings if f.clauses[0] in ("4.1", "4.2")}


def test_only_the_climate_decision_missing_is_an_observation_not_a_minor(real_kb):
    assert _grades(real_kb, _context("climate_decision")) == {"context-climate-undecided": "observation"}


@pytest.mark.parametrize(
    "missing", [("climate_decision", "parties_named"), ("inside_issues",), ()], ids=["with-parties", "inside", "none"]
)
def test_any_other_missing_part_or_an_unanswered_checklist_is_the_minor(real_kb, missing):
    answers = _context(*missing) if missing else {"context_and_parties": "partly"}
    assert _grades(real_kb, answers) == {"context-partly-determined": "minor"}


def test_no_context_at_all_is_still_the_minor_it_was(real_kb):
    assert _grades(real_kb, {"context_and_parties": "no"}) == {"context-not-determined": "minor"}
