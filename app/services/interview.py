"""The guided interview: one question at a time, answers saved through the assessment service, a transcript kept.

The transcript is stored, so a reload or a server restart shows the conversation as it was. What is asked next
comes from the engine (which follow-ups are relevant) and app.interview.flow (in what order).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from ..extensions import db
from ..interview.explain import explain_topic, why_we_ask
from ..interview.flow import Progress, next_question, progress, relevant_questions
from ..interview.understand import understand
from ..knowledge.answers import answer_label
from ..knowledge.model import Question, Questionnaire
from ..models import Assessment, AssessmentStatus, ChatMessage, User
from . import assessments, tenancy
from .errors import Conflict, Invalid

HELP = (
    "Answer with the buttons, or type in your own words (“yes”, “only in some teams”, “about 40 people”). "
    "You can also type: skip, back, progress, show my plan, why do you ask?, or “what does nonconformity mean?”. "
    "Click one of your earlier answers to change it."
)


@dataclass
class State:
    assessment: Assessment
    questionnaire: Questionnaire
    report: dict[str, Any]
    relevant: list[Question]
    answers: dict[str, Any]
    to_confirm: set[str]
    progress: Progress
    current: Question | None
    transcript: list[ChatMessage] = field(default_factory=list)

    @property
    def finished(self) -> bool:
        return self.current is None


def load(user: User, assessment_id: int) -> State:
    """The interview as it stands, with the question to ask now already in the transcript."""
    assessment = tenancy.assessment_for(user, assessment_id)
    state = _state(assessment)
    ask_now = (
        state.current is not None
        and assessment.status is AssessmentStatus.IN_PROGRESS
        and _can_answer(user, assessment)
        and _pending_question(state.transcript) != state.current.id
    )
    if ask_now:
        _say(assessment, None, "assistant", "question", _question_text(state, state.current), state.current.id)
        db.session.commit()
        state.transcript = _transcript(assessment)
    return state


def respond(
    user: User,
    assessment_id: int,
    *,
    text: str | None = None,
    question_id: str | None = None,
    value: Any = None,
    note: str | None = None,
    evidence: str | None = None,
) -> State:
    """Handle one message: a typed text, or a quick reply (question_id + value). Returns the new state."""
    assessment = tenancy.assessment_for(user, assessment_id, answer=True)
    if assessment.status is AssessmentStatus.COMPLETED:
        raise Conflict("this assessment is completed; start a repeat assessment to change answers")
    state = load(user, assessment_id)
    target = (
        state.questionnaire.question(question_id)
        if question_id and state.questionnaire.has_question(question_id)
        else state.current
    )
    if question_id and (target is None or target.id != question_id):
        raise Invalid("unknown question", {"question": [f"no question '{question_id}' in this questionnaire"]})

    if value is not None and target is not None:
        _answer(user, assessment, state, target, value, note, evidence, said=answer_label(target, value))
    elif text is not None and text.strip():
        _understand(user, assessment, state, target, text.strip()[:2000], note, evidence)
    return load(user, assessment_id)


def revisit(user: User, assessment_id: int, question_id: str) -> State:
    """Ask an earlier question again (clicking a past answer, or 'back')."""
    assessment = tenancy.assessment_for(user, assessment_id, answer=True)
    state = load(user, assessment_id)
    if not state.questionnaire.has_question(question_id):
        raise Invalid("unknown question", {"question": [f"no question '{question_id}' in this questionnaire"]})
    question = state.questionnaire.question(question_id)
    current = state.answers.get(question_id)
    lead = f"Let's revisit this one (you said “{answer_label(question, current)}”). " if current is not None else ""
    _say(assessment, None, "assistant", "question", lead + question.text, question_id)
    db.session.commit()
    return load(user, assessment_id)


# ---------------------------------------------------------------------------------------------- internals


def _state(assessment: Assessment) -> State:
    knowledge = assessments.kb()
    questionnaire = knowledge.questionnaire(assessment.questionnaire_id)
    report = assessments.evaluate(assessment)
    rows = assessments.answers_of(assessment)
    answers = {q: row.value for q, row in rows.items() if questionnaire.has_question(q)}
    to_confirm = {q for q, row in rows.items() if row.to_confirm}
    ruleset = knowledge.ruleset_for(questionnaire.id)
    follow_ups = {q for rule in ruleset.rules for q in rule.ask}
    asked = set(report.get("asked", ()))
    relevant = relevant_questions(questionnaire, follow_ups, asked)
    transcript = _transcript(assessment)
    pending = _pending_question(transcript)
    relevant_ids = {q.id for q in relevant}
    if (
        pending
        and pending in relevant_ids
        and (pending not in answers or pending in to_confirm or _revisiting(transcript))
    ):
        current = questionnaire.question(pending)
    else:
        skipped = {m.question_id for m in transcript if m.kind == "skip"}
        current = next_question(relevant, answers, to_confirm, skipped)
    return State(
        assessment,
        questionnaire,
        report,
        relevant,
        answers,
        to_confirm,
        progress(questionnaire, relevant, answers),
        current,
        transcript,
    )


def _transcript(assessment: Assessment) -> list[ChatMessage]:
    return list(
        db.session.scalars(
            sa.select(ChatMessage).where(ChatMessage.assessment_id == assessment.id).order_by(ChatMessage.id)
        )
    )


def _pending_question(transcript: list[ChatMessage]) -> str | None:
    """The question of the last question bubble, unless the user has answered or skipped it since."""
    for message in reversed(transcript):
        if message.role == "user" and message.kind in ("answer", "skip"):
            return None
        if message.role == "assistant" and message.kind == "question":
            return message.question_id
    return None


def _revisiting(transcript: list[ChatMessage]) -> bool:
    last_question = next((m for m in reversed(transcript) if m.kind == "question"), None)
    return bool(last_question and last_question.text.startswith(("Let's revisit", "Going back")))


def _can_answer(user: User, assessment: Assessment) -> bool:
    return tenancy.membership(user, assessment.organisation_id).role.can_answer


def _question_text(state: State, question: Question) -> str:
    if question.id in state.to_confirm and question.id in state.answers:
        said = answer_label(question, state.answers[question.id])
        return f"Last time you said “{said}” to: {question.text} Is that still true?"
    return question.text


def _say(assessment: Assessment, user: User | None, role: str, kind: str, text: str, question_id: str | None = None):
    db.session.add(
        ChatMessage(
            assessment_id=assessment.id,
            user_id=user.id if user else None,
            role=role,
            kind=kind,
            question_id=question_id,
            text=text,
        )
    )


def _understand(user, assessment, state: State, question: Question | None, text: str, note, evidence) -> None:
    understood = understand(question, text)
    if understood.kind == "answer" and question is not None:
        _answer(user, assessment, state, question, understood.value, note, evidence, said=text)
        return
    _say(assessment, user, "user", "text", text, question.id if question else None)
    if understood.kind == "command":
        _command(user, assessment, state, question, understood)
    elif understood.kind == "confirm" and question is not None:
        label = answer_label(question, understood.value)
        _say(assessment, None, "assistant", "confirm", understood.message or f"Did you mean “{label}”?", question.id)
    else:
        _say(
            assessment,
            None,
            "assistant",
            "reply",
            understood.message or "I did not understand that. " + HELP,
            question.id if question else None,
        )
    db.session.commit()


def _command(user, assessment, state: State, question: Question | None, understood) -> None:
    command = understood.command
    if command == "skip" and question is not None:
        _say(assessment, user, "user", "skip", "(skipped)", question.id)
        _say(assessment, None, "assistant", "reply", "Skipped for now; I will come back to it at the end.")
    elif command == "back":
        previous = _previous_answered(state)
        if previous is None:
            _say(assessment, None, "assistant", "reply", "There is no earlier answer to go back to.")
        else:
            said = answer_label(previous, state.answers[previous.id])
            _say(
                assessment,
                None,
                "assistant",
                "question",
                f"Going back: you said “{said}”. {previous.text}",
                previous.id,
            )
    elif command == "progress":
        _say(assessment, None, "assistant", "reply", _progress_text(state))
    elif command == "plan":
        _say(assessment, None, "assistant", "reply", _plan_text(state.report))
    elif command == "why" and question is not None:
        _say(
            assessment,
            None,
            "assistant",
            "reply",
            why_we_ask(assessments.kb(), state.questionnaire, question),
            question.id,
        )
    elif command == "explain":
        _say(assessment, None, "assistant", "reply", explain_topic(assessments.kb(), understood.topic))
    else:
        _say(assessment, None, "assistant", "reply", HELP)


def _previous_answered(state: State) -> Question | None:
    answered_in_order = [m.question_id for m in state.transcript if m.role == "user" and m.kind == "answer"]
    current = state.current.id if state.current else None
    for question_id in reversed(answered_in_order):
        if question_id != current and question_id in state.answers:
            return state.questionnaire.question(question_id)
    return None


def _answer(user, assessment, state: State, question: Question, value, note, evidence, said: str) -> None:
    before = _majors(state.report)
    saved = assessments.save_answer(user, assessment.id, question.id, value, note=note, evidence=evidence)
    _say(assessment, user, "user", "answer", said, question.id)
    after = _majors(saved.report)
    for finding_id in sorted(set(after) - set(before)):
        finding = after[finding_id]
        _say(
            assessment,
            None,
            "assistant",
            "notice",
            f"Noted: {finding['title'][0].lower()}{finding['title'][1:]}: "
            f"{', '.join(finding['clauses'])} would be a major nonconformity.",
        )
    for finding_id in sorted(set(before) - set(after)):
        finding = before[finding_id]
        _say(
            assessment,
            None,
            "assistant",
            "notice",
            f"Good: that clears a major gap on {', '.join(finding['clauses'])} ({finding['title']}).",
        )
    db.session.commit()


def _majors(report: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {f["id"]: f for f in report["findings"] if f["severity"] == "major"}


def _progress_text(state: State) -> str:
    p = state.progress
    sections = "; ".join(f"{s.title} {s.answered}/{s.relevant}" for s in p.sections if s.relevant)
    return (
        f"You have answered {p.answered} of the {p.relevant} questions that matter so far ({p.left} left). {sections}."
    )


def _plan_text(report: dict[str, Any]) -> str:
    if not report["plan"]:
        return "No actions yet: nothing you have answered so far needs one."
    top = report["plan"][:5]
    lines = "; ".join(f"{item['rank']}. {item['title']} ({item['phase']})" for item in top)
    more = len(report["plan"]) - len(top)
    return f"Your plan so far, first things first: {lines}" + (f"; and {more} more." if more > 0 else ".")
