"""Which questions and rules address each clause: the body of `clausewise kb check`."""

from __future__ import annotations

from typing import Any

from .model import KnowledgeBase


def coverage(kb: KnowledgeBase) -> dict[str, Any]:
    question_ids = {q.id for qn in kb.questionnaires.values() for q in qn.questions}
    rules = [r for rs in kb.rulesets.values() for r in rs.rules if not r.generated]
    clauses: dict[str, dict[str, Any]] = {}
    for catalogue in kb.catalogues.values():
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
        "counts": {"questions": len(question_ids), "rules": len(rules), "practices": len(kb.practices)},
        "clauses": clauses,
    }
