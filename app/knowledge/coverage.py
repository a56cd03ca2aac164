"""Which questions and rules address each clause: the body of `clausewise kb check`."""

from __future__ import annotations

from typing import Any

from .model import KnowledgeBase


def coverage(kb: KnowledgeBase) -> dict[str, Any]:
    question_ids = {q.id for qn in kb.questionnaires.values() for q in qn.questions}
    rules = [r for rs in kb.rulesets.values() for r in rs.rules if not r.generated]
    clauses: dict[str, dict[str, Any]] = {}
    # Questions and rules are written against the catalogue their questionnaire names; another edition's catalogue
    # is reached through a crosswalk, so its clauses are not listed as uncovered here.
    used = {questionnaire.standard for questionnaire in kb.questionnaires.values()}
    for catalogue in (c for c in kb.catalogues.values() if c.id in used):
        for clause in catalogue.clauses:
            clauses[clause.id] = {"title": clause.title, "questions": [], "rules": []}
    for questionnaire in kb.questionnaires.values():
        for question in questionnaire.questions:
            for clause in question.clauses:
                if question.id not in clauses[clause]["questions"]:
                    clauses[clause]["questions"].append(question.id)
    for rule in rules:
        if rule.finding:
            for clause in rule.finding.clauses:
                clauses[clause]["rules"].append(rule.id)
    return {
        "catalogues": [
            {
                "id": catalogue.id,
                "edition": catalogue.edition,
                "status": catalogue.status,
                "clauses": len(catalogue.leaves),
                "used_by": sorted(q.id for q in kb.questionnaires.values() if q.standard == catalogue.id),
            }
            for catalogue in kb.catalogues.values()
        ],
        "crosswalks": [
            {"id": c.id, "from": c.source, "to": c.target, "changes": len(c.changes())} for c in kb.crosswalks
        ],
        "mappings": [{"id": m.id, "from": m.source, "to": m.target, "entries": len(m.entries)} for m in kb.mappings],
        "counts": {"questions": len(question_ids), "rules": len(rules), "practices": len(kb.practices)},
        "clauses": clauses,
    }
