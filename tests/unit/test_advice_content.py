"""Advice that is not a finding (issue 12): the ISO/IEC 29110 advice with its work-product mapping, kept from
regulated sectors in both questionnaires; advice worded for how the teams work and release; customer trust;
the myth that a certificate means high-quality software; the bug-free expectation as advice.
"""

from __future__ import annotations

import pytest

from app.config import PROJECT_ROOT
from app.engine import evaluate, load_knowledge_base
from app.knowledge.answer_file import parse_answer_file
from app.knowledge.errors import KnowledgeBaseInvalid

from ..kbfactory import RULES, make_kb

FULL, QUICK = "iso9001-software", "quick-scan"
BASE = {FULL: "full-tiny-startup.yaml", QUICK: "startup-scrum.yaml"}  # small teams the 29110 advice is for
ISO_29110 = "consider-iso-29110"


def suggestions(real_kb, questionnaire: str, **changed) -> set[str]:
    text = (PROJECT_ROOT / "examples" / BASE[questionnaire]).read_text()
    answers = {q: a.value for q, a in parse_answer_file(text, real_kb).answers.items()}
    answers.update({q: tuple(v) if isinstance(v, list) else v for q, v in changed.items()})
    return {s for f in evaluate(real_kb, questionnaire, answers).firings for s in f.rule.suggest}


@pytest.mark.parametrize("questionnaire", [FULL, QUICK])
def test_29110_is_advised_to_small_teams_but_not_in_regulated_sectors(real_kb, questionnaire):
    assert ISO_29110 in suggestions(real_kb, questionnaire, regulated_sector="no")
    assert ISO_29110 not in suggestions(real_kb, questionnaire, regulated_sector="yes")


def test_the_29110_advice_carries_the_work_product_mapping(real_kb):
    advice = real_kb.ruleset_for(QUICK).suggestions[ISO_29110]
    processes = {p.process for p in advice.work_products}
    assert processes == {"project management", "software implementation"}
    by_name = {p.name: p.clauses for p in advice.work_products}
    assert by_name["correction register"] == ("8.7", "10.2")
    assert "8.3.4" in by_name["test cases, test report and verification results"]
    # The mapping is part of the text every channel shows, once per process.
    assert "correction register (8.7, 10.2)" in advice.text
    assert advice.text.count("software implementation:") == 1
    assert real_kb.ruleset_for(FULL).suggestions[ISO_29110] == advice  # the same advice in both


def test_a_work_product_mapped_to_an_unknown_clause_is_refused(tmp_path):
    rules = {
        **RULES,
        "suggestions": [
            {
                **RULES["suggestions"][0],
                "work_products": [{"name": "project plan", "process": "project management", "clauses": ["4.3", "6.2"]}],
            }
        ],
    }
    with pytest.raises(KnowledgeBaseInvalid) as refused:
        load_knowledge_base(make_kb(tmp_path, rules=rules))
    assert [(p.id, p.field) for p in refused.value.problems] == [("consider-29110", "work_products[0].clauses")]


@pytest.mark.parametrize(
    ("questionnaire", "answer", "advice"),
    [
        (FULL, {"way_of_working": "scrum"}, "pdca-in-scrum"),
        (FULL, {"way_of_working": "kanban"}, "pdca-in-kanban"),
        (FULL, {"way_of_working": "waterfall"}, "phase-gates-as-evidence"),
        (QUICK, {"way_of_working": "scrum"}, "pdca-in-scrum"),
        (QUICK, {"way_of_working": "waterfall"}, "phase-gates-as-evidence"),
        (FULL, {"release_cadence": "on_demand"}, "pipeline-evidence-for-frequent-releases"),
        (FULL, {"release_cadence": "quarterly_or_less"}, "acceptance-for-rare-releases"),
        (FULL, {"certification_expectations": ["customer_trust"]}, "customer-trust-needs-evidence"),
        (FULL, {"certification_expectations": ["fewer_bugs"]}, "certificate-is-not-bug-free"),
    ],
)
def test_profile_answers_choose_the_advice(real_kb, questionnaire, answer, advice):
    assert advice in suggestions(real_kb, questionnaire, **answer)
    others = {"way_of_working": "none", "release_cadence": "monthly", "certification_expectations": ["tenders"]}
    assert advice not in suggestions(real_kb, questionnaire, **{k: others[k] for k in answer})


def test_the_myth_that_a_certificate_means_high_quality_software_has_its_own_answer(real_kb):
    myths = {m.id: m for m in real_kb.myths}
    assert "certified-means-high-quality" in myths and "certified-means-bug-free" in myths
    assert "no level of quality for the product" in myths["certified-means-high-quality"].answer


def test_pdca_is_explained_at_team_and_company_scale(real_kb):
    pdca = {t.id: t for t in real_kb.terms}["pdca"]
    assert "management review" in pdca.meaning and "sprint" in pdca.meaning
    texts = {s.id: s.text for s in real_kb.ruleset_for(FULL).suggestions.values()}
    assert "retrospective the act" in texts["pdca-in-scrum"]
