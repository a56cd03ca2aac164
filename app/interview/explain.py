"""What the chat says when asked "why do you ask?" or "what does X mean?", from the knowledge base only."""

from __future__ import annotations

from rapidfuzz import fuzz, process

from ..knowledge.model import KnowledgeBase, Question, Questionnaire

THRESHOLD = 75


def why_we_ask(kb: KnowledgeBase, questionnaire: Questionnaire, question: Question) -> str:
    catalogue = kb.catalogue_for(questionnaire.id)
    parts = [question.why]
    for clause_id in question.clauses:
        clause = catalogue.clause(clause_id)
        parts.append(f"Clause {clause.id} ({clause.title}): {clause.summary}")
    if question.evidence:
        parts.append("Evidence that counts: " + "; ".join(question.evidence) + ".")
    practices = sorted({p.name for p in kb.practices.values() for link in p.clauses if link.clause in question.clauses})
    if practices:
        parts.append("Practices that produce it: " + ", ".join(practices[:6]) + ".")
    return " ".join(parts)


def explain_topic(kb: KnowledgeBase, topic: str) -> str:
    topic = (topic or "").strip().strip("?").strip()
    if not topic:
        return "Ask about a term, for example “what does corrective action mean?”."
    catalogue = next(iter(kb.catalogues.values()))
    clause_ids = {c.id: c for c in catalogue.clauses}
    bare = topic.lower().removeprefix("clause ").strip()
    if bare in clause_ids:
        clause = clause_ids[bare]
        return f"Clause {clause.id}, {clause.title}: {clause.summary}"
    candidates: dict[str, str] = {}
    for term in kb.terms:
        candidates[term.term.lower()] = f"{term.term}: {term.meaning}"
        candidates[term.id.replace("-", " ")] = f"{term.term}: {term.meaning}"
    for myth in kb.myths:
        candidates[myth.myth.lower()] = f"“{myth.myth}” {myth.answer}"
    for clause in catalogue.clauses:
        candidates[clause.title.lower()] = f"Clause {clause.id}, {clause.title}: {clause.summary}"
    match = process.extractOne(topic.lower(), list(candidates), scorer=fuzz.WRatio, score_cutoff=THRESHOLD)
    if match is None:
        return (
            f"I have nothing on “{topic}” in the glossary. Try a term such as nonconformity, corrective action, "
            "management review or documented information, or a clause number such as 9.2."
        )
    return candidates[match[0]]
