"""What the chat answers to "why do you ask?" and "what does X mean?", from the knowledge base only."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from app.engine import load_knowledge_base
from app.interview.explain import explain_topic, why_we_ask

from ..kbfactory import PRACTICES, make_kb

GLOSSARY = {
    "terms": [
        {"id": "capa", "term": "Corrective action", "meaning": "Removing the cause of a nonconformity."},
        {"id": "nonconformity", "term": "Nonconformity", "meaning": "A requirement that was not met."},
    ],
    "myths": [
        {
            "id": "certified-means-bug-free",
            "myth": "Once we are certified, our software will be bug-free.",
            "answer": "A certificate is about how you work, not about the code.",
        }
    ],
}


@pytest.fixture
def kb(tmp_path):
    """The mini knowledge base with a glossary of two terms and one myth."""
    return load_knowledge_base(make_kb(tmp_path / "kb", extra_files={"rules/glossary.yaml": GLOSSARY}))


def mini(kb):
    return kb.questionnaire("mini")


# ---------------------------------------------------------------------------------------------- why we ask


def test_why_gives_the_reason_each_clause_and_the_practices_that_cover_them(kb):
    questionnaire = mini(kb)
    assert why_we_ask(kb, questionnaire, questionnaire.question("scope")) == (
        "Auditors read it first. Clause 4.3 (Scope): Say what is covered. Practices that produce it: Docs as code."
    )


def test_why_lists_the_evidence_that_counts(kb):
    questionnaire = mini(kb)
    question = replace(questionnaire.question("audit"), evidence=("an audit report", "the audit programme"))
    assert why_we_ask(kb, questionnaire, question) == (
        "It is required. Clause 9.2 (Internal audit): Audit yourself. "
        "Evidence that counts: an audit report; the audit programme. "
        "Practices that produce it: Internal audit programme."
    )


def test_why_of_a_question_without_clauses_is_its_reason_alone(kb):
    questionnaire = mini(kb)
    assert why_we_ask(kb, questionnaire, questionnaire.question("people")) == "Size matters."
    # a clause no practice covers adds the clause, but no practice sentence
    assert why_we_ask(kb, questionnaire, questionnaire.question("review")) == (
        "It is required. Clause 9.3.1 (Management review): Review."
    )


def test_why_names_at_most_six_practices_in_alphabetical_order(tmp_path):
    link = [{"clause": "4.3", "relationship": "full", "rationale": "It helps."}]
    names = ["Hotel", "Alpha", "Golf", "Charlie", "Echo", "Bravo", "Foxtrot"]
    extra = [{"id": n.lower(), "name": n, "family": "devops", "description": n, "clauses": link} for n in names]
    practices = {"practices": [*PRACTICES["practices"], *extra]}  # with "Docs as code", also on 4.3
    kb = load_knowledge_base(make_kb(tmp_path / "kb", practices=practices))
    questionnaire = mini(kb)
    text = why_we_ask(kb, questionnaire, questionnaire.question("scope"))
    assert text.endswith("Practices that produce it: Alpha, Bravo, Charlie, Docs as code, Echo, Foxtrot.")


def test_why_on_the_shipped_knowledge_base_names_every_clause_of_the_question(real_kb):
    questionnaire = real_kb.questionnaire("iso9001-software")
    catalogue = real_kb.catalogue_for(questionnaire.id)
    question = next(q for q in questionnaire.questions if len(q.clauses) > 1 and q.evidence)
    text = why_we_ask(real_kb, questionnaire, question)
    assert text.startswith(question.why)
    for clause_id in question.clauses:
        assert f"Clause {clause_id} ({catalogue.clause(clause_id).title}): " in text
    assert "Evidence that counts: " + "; ".join(question.evidence) + "." in text


# ---------------------------------------------------------------------------------------------- glossary


@pytest.mark.parametrize("topic", ["9.2", "clause 9.2", "Clause 9.2?", " 9.2 "])
def test_a_clause_number_gives_the_clause(kb, topic):
    assert explain_topic(kb, topic) == "Clause 9.2, Internal audit: Audit yourself."


def test_a_clause_title_gives_the_clause(kb):
    assert explain_topic(kb, "management review") == "Clause 9.3.1, Management review: Review."
    assert explain_topic(kb, "Internal audits") == "Clause 9.2, Internal audit: Audit yourself."


@pytest.mark.parametrize("topic", ["nonconformity", "Nonconformity?", "nonconformty", "a nonconformity"])
def test_a_term_gives_its_meaning_even_with_a_typo(kb, topic):
    assert explain_topic(kb, topic) == "Nonconformity: A requirement that was not met."


def test_a_term_is_also_found_by_its_id(kb):
    assert explain_topic(kb, "CAPA") == "Corrective action: Removing the cause of a nonconformity."
    assert explain_topic(kb, "corrective action") == "Corrective action: Removing the cause of a nonconformity."


def test_a_myth_gets_its_answer(kb):
    assert explain_topic(kb, "once we are certified our software will be bug-free") == (
        "“Once we are certified, our software will be bug-free.” "
        "A certificate is about how you work, not about the code."
    )


@pytest.mark.parametrize("topic", ["", "   ", "?", None])
def test_no_topic_asks_for_one(kb, topic):
    assert explain_topic(kb, topic) == "Ask about a term, for example “what does corrective action mean?”."


def test_an_unknown_topic_says_so_and_suggests_what_to_ask(kb):
    text = explain_topic(kb, "quantum blockchain?")
    assert text.startswith("I have nothing on “quantum blockchain” in the glossary.")
    assert "nonconformity" in text and "9.2" in text


def test_the_shipped_glossary_explains_its_terms(real_kb):
    # A term named like a clause ("Internal audit") is answered with the clause, which says what is required.
    titles = {c.title.lower() for catalogue in real_kb.catalogues.values() for c in catalogue.clauses}
    terms = [term for term in real_kb.terms if term.term.lower() not in titles]
    assert len(terms) > 10
    for term in terms:
        assert explain_topic(real_kb, term.term) == f"{term.term}: {term.meaning}"
    assert explain_topic(real_kb, "internal audit").startswith("Clause 9.2, Internal audit: ")
    assert explain_topic(real_kb, "nonconformity").startswith("Nonconformity: A requirement that was not met.")


# Phrases that lean on something said before: a glossary answer is read alone, in the chat or on the glossary page.
LEANING_ON_CONTEXT = re.compile(r"\btoo\.$|\bthis question\b|\bas (?:above|mentioned)\b|^(?:So|Also|And)\b")


def test_the_shipped_glossary_texts_stand_on_their_own(real_kb):
    texts = {t.term: t.meaning for t in real_kb.terms} | {m.myth: m.answer for m in real_kb.myths}
    leaning = {name: text for name, text in texts.items() if LEANING_ON_CONTEXT.search(" ".join(text.split()))}
    assert leaning == {}
