"""Everything the interview's assistant says, and how the user's own bubbles read, as plain text.

Pure functions of plain data (a question, a value, counts, pieces of a report): no database and no Flask, so the
chat's wording can be read, changed and tested in one place. services/interview decides when to say what.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from ..knowledge.answers import answer_label
from ..knowledge.model import KnowledgeBase, Question, Questionnaire
from .explain import explain_topic, why_we_ask
from .flow import Progress
from .quick_replies import range_label

HELP = (
    "Answer with the buttons, or type in your own words (“yes”, “only in some teams”, “about 40 people”). "
    "You can also type: skip, back, progress, show my plan, why do you ask?, or “what does nonconformity mean?”. "
    "Click one of your earlier answers to change it."
)
SKIPPED = "(skipped)"  # the user's bubble for a skipped question
SKIP_NOTED = "Skipped for now; I will ask it again once the other questions are answered."
SKIP_AGAIN = (
    "Skipped again. It stays unanswered, and the results count it as not answered; I will ask it again after "
    "any other question still open."
)
NOTHING_TO_GO_BACK_TO = "There is no earlier answer to go back to."
PLAN_SHOWN = 5  # the actions a plan summary lists before saying how many more there are
SECONDS_PER_QUESTION = 30  # for the introduction's time estimate: a click, sometimes a line typed


@dataclass(frozen=True)
class Gap:
    """A major finding as the chat announces it."""

    title: str
    clauses: Sequence[str]


@dataclass(frozen=True)
class PlanLine:
    """One action of the plan as the chat lists it."""

    rank: int
    title: str
    phase: str


# ---------------------------------------------------------------------------------------------- asking


def ask(question: Question, confirming: Any = None) -> str:
    """The question as asked; `confirming`: the answer copied from last time, to confirm (None: a fresh ask)."""
    if confirming is None:
        return question.text
    return f"Last time you said “{answer_label(question, confirming)}” to: {question.text} Is that still true?"


def revisit(question: Question, current: Any = None) -> str:
    """An earlier question asked again (a past answer clicked); `current`: the answer it has, if any."""
    if current is None:
        return question.text
    return f"Let's revisit this one (you said “{answer_label(question, current)}”). {question.text}"


def going_back(question: Question, value: Any) -> str:
    return f"Going back: you said “{answer_label(question, value)}”. {question.text}"


def answered(question: Question, value: Any, typed: str | None = None) -> str:
    """The user's answer bubble: their own words when they typed it, the answer's label when they clicked (a
    range's own label for a number question's range)."""
    if typed is not None:
        return typed
    return range_label(question, value) or answer_label(question, value)


def ask_skipped(question: Question) -> str:
    """A skipped question asked again, once the others are answered."""
    return f"You skipped this one earlier. {question.text}"


def ask_again(question: Question, current: Any = None, confirming: Any = None) -> str:
    """The pending question asked again after an aside (a glossary answer, "why", progress, the plan, help), so
    the question and its replies are together again. `current`: the answer of a question being revisited."""
    if current is not None:
        return f"Back to the question (you said “{answer_label(question, current)}”): {question.text}"
    return f"Back to the question: {ask(question, confirming)}"


def skip_noted(question: Question, kept: Any = None, *, again: bool = False) -> str:
    """What "skip" promises, and only what will happen (flow.next_question): an answer the question has (`kept`,
    a revisit) stays; an open question is asked again once the others are answered, and after any other still
    open when skipped `again`."""
    if kept is not None:
        return f"Kept your answer “{answer_label(question, kept)}”; moving on."
    return SKIP_AGAIN if again else SKIP_NOTED


def introduction(questions: int, to_confirm: int = 0, *, links: bool = True) -> str:
    """The first words of a new conversation: how long it is, and how it works. `links`: whether the page links
    to the results and the plan (not for a respondent who sees nothing of the assessment but their chat)."""
    minutes = max(5, 5 * round(questions * SECONDS_PER_QUESTION / 60 / 5))
    words = (
        f"Hello! This interview has {questions} questions, and takes about {minutes} minutes; some answers add a "
        "follow-up question or two, and I will say when they do. "
    )
    if to_confirm:
        words += "Last time's answers are filled in: confirm each one with “Still true”, or give the new answer. "
    words += (
        "Answer with the buttons or in your own words, or skip a question to come back to it later. Every answer "
        "is saved as you go, so you can stop and carry on later"
    )
    words += "; the results and plan so far are a click away at any time. " if links else ". "
    return words + "Type “help” to see what else you can ask."


def total_changed(shown: int, total: int, question: Question, value: Any) -> str:
    """Why the number of questions that matter moved after an answer ("of 27" is now "of 28")."""
    because = f"because you answered “{answer_label(question, value)}” to “{question.text}”"
    change = total - shown
    if change > 0:
        added = "1 follow-up question" if change == 1 else f"{change} follow-up questions"
        return f"{added} added {because}. You now have {total} questions in all."
    dropped = (
        "1 follow-up question no longer applies" if change == -1 else f"{-change} follow-up questions no longer apply"
    )
    return f"{dropped} {because}. You now have {total} questions in all."


def did_you_mean(question: Question, value: Any, message: str = "") -> str:
    return message or f"Did you mean “{answer_label(question, value)}”?"


def not_understood(message: str = "") -> str:
    return message or "I did not understand that. " + HELP


# ---------------------------------------------------------------------------------------------- notices


def gap_noted(gap: Gap) -> str:
    return f"Noted: {gap.title[:1].lower()}{gap.title[1:]}: {', '.join(gap.clauses)} would be a major nonconformity."


def gap_cleared(gap: Gap) -> str:
    return f"Good: that clears a major gap on {', '.join(gap.clauses)} ({gap.title})."


def notices(before: dict[str, Gap], after: dict[str, Gap]) -> list[str]:
    """What an answer changed, given the open major gaps by id before and after it: new gaps, then cleared ones,
    each in the order of their ids."""
    noted = [gap_noted(after[i]) for i in sorted(set(after) - set(before))]
    return noted + [gap_cleared(before[i]) for i in sorted(set(before) - set(after))]


def exclusion_warning(question: Question) -> str:
    """What "not applicable" means where ISO 9001 allows no exclusion (the chat and the section forms say it)."""
    return (
        f"ISO 9001 allows no exclusion here: {', '.join(question.clauses)} applies to every organisation, so "
        "“Not applicable” counts as “No”, and the scope gets a finding for declaring it away. "
        "What is the real answer: yes, partly or no?"
    )


def exclusion_not_permitted(question: Question) -> str:
    """The chat's reply to such an answer: the warning, and the question asked again."""
    return f"{exclusion_warning(question)} {question.text}"


def exclusion_reason_wanted(question: Question) -> str:
    """What a permitted exclusion without a note in its reason means."""
    return (
        f"That exclusion ({', '.join(question.clauses)}) is allowed, but the scope must say why it cannot apply to "
        "you: until the answer has that reason in its note, it counts as a minor finding on 4.3."
    )


def exclusion_needs_reason(question: Question) -> str:
    """The chat's notice after a permitted exclusion without a note."""
    return f"Noted as not applicable. {exclusion_reason_wanted(question)} Click your answer to add the note."


# ---------------------------------------------------------------------------------------------- commands


def progress(p: Progress) -> str:
    sections = "; ".join(f"{s.title} {s.answered}/{s.relevant}" for s in p.sections if s.relevant)
    return (
        f"You have answered {p.answered} of the {p.relevant} questions that matter so far ({p.left} left). {sections}."
    )


def plan(actions: Iterable[PlanLine]) -> str:
    """The plan so far as a short list: a heading line, one line per action, and how many more the plan page
    has (the chat shows the lines as a list, with a link to the plan)."""
    actions = list(actions)
    if not actions:
        return "No actions yet: nothing you have answered so far needs one."
    top = actions[:PLAN_SHOWN]
    lines = [f"{a.rank}. {a.title} ({a.phase})" for a in top]
    more = len(actions) - len(top)
    heading = f"Your plan so far has {len(actions)} action{'s' if len(actions) != 1 else ''}; the first ones:"
    if not more:
        heading = "Your plan so far, first things first:"
    return "\n".join([heading, *lines])


def why(kb: KnowledgeBase, questionnaire: Questionnaire, question: Question) -> str:
    return why_we_ask(kb, questionnaire, question)


def glossary(kb: KnowledgeBase, topic: str) -> str:
    return explain_topic(kb, topic)
