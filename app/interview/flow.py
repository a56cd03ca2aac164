"""Where the interview stands: which questions are still relevant, which comes next, how far along it is.

Plain Python over the knowledge base and the engine's result: the engine says which follow-ups are asked, this
module only orders what is left.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

from ..knowledge.model import Question, Questionnaire


@dataclass(frozen=True)
class SectionProgress:
    id: str
    title: str
    answered: int
    relevant: int

    @property
    def percent(self) -> int:
        return 100 if not self.relevant else round(100 * self.answered / self.relevant)


@dataclass(frozen=True)
class Progress:
    answered: int
    relevant: int
    sections: tuple[SectionProgress, ...]

    @property
    def percent(self) -> int:
        return 100 if not self.relevant else round(100 * self.answered / self.relevant)

    @property
    def left(self) -> int:
        return self.relevant - self.answered


def relevant_questions(
    questionnaire: Questionnaire, follow_ups: Collection[str], asked: Collection[str]
) -> list[Question]:
    """Questions that matter now: every question that is not a follow-up, and the follow-ups the rules ask."""
    return [q for q in questionnaire.questions if q.id not in follow_ups or q.id in asked]


def progress(questionnaire: Questionnaire, relevant: list[Question], answered: Mapping[str, Any]) -> Progress:
    relevant_ids = {q.id for q in relevant}
    sections = []
    for section in questionnaire.sections:
        ids = [q.id for q in section.questions if q.id in relevant_ids]
        sections.append(SectionProgress(section.id, section.title, sum(q in answered for q in ids), len(ids)))
    done = sum(q.id in answered for q in relevant)
    return Progress(done, len(relevant), tuple(sections))


def next_question(
    relevant: list[Question],
    answered: Mapping[str, Any],
    to_confirm: Collection[str] = (),
    skipped: Collection[str] = (),
) -> Question | None:
    """Copied answers to confirm first (a repeat assessment), then unanswered questions in order, skipped ones last:
    the one skipped longest ago first, when `skipped` is in the order of the skips (a set has none: then in the
    questionnaire's order), so that skipping again moves on to the next skipped one."""
    for question in relevant:
        if question.id in to_confirm and question.id in answered and question.id not in skipped:
            return question
    open_questions = [q for q in relevant if q.id not in answered]
    for question in open_questions:
        if question.id not in skipped:
            return question
    waiting = [q for q in relevant if q.id in skipped and (q.id not in answered or q.id in to_confirm)]
    if not waiting:
        return None
    if isinstance(skipped, set | frozenset):
        return waiting[0]
    order = {question_id: i for i, question_id in enumerate(skipped)}
    return min(waiting, key=lambda q: order[q.id])
