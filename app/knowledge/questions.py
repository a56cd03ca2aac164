"""Looking questions up across the questionnaires that share one rule directory."""

from __future__ import annotations

from .model import KnowledgeBase, Question


def questions_for_ruleset(kb: KnowledgeBase, ruleset_id: str) -> dict[str, Question]:
    questions: dict[str, Question] = {}
    for questionnaire in kb.questionnaires.values():
        if questionnaire.rules == ruleset_id:
            for question in questionnaire.questions:
                questions.setdefault(question.id, question)
    return questions
