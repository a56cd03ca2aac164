"""The guided interview: one question at a time, answers saved through the assessment service, a transcript kept.

The transcript is stored, so a reload or a server restart shows the conversation as it was. What is asked next
comes from the engine (which follow-ups are relevant) and app.interview.flow (in what order). One message from
the user is one transaction: the answer, its bubbles, any notice and the next question commit together.

Every message is evaluated, so a message's work is kept to what it needs: the state is read once (after an
answer it is worked out from what was written, not read again) and the report is a brief one (no plan, no
explanations), the full report being worked out only when the user asks for the plan.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from ..extensions import db, knowledge_base
from ..interview import confirming, replies
from ..interview.flow import Progress, next_question, progress, relevant_questions
from ..interview.quick_replies import choice_needed
from ..interview.understand import understand
from ..knowledge.answers import Answer as AnswerValue
from ..knowledge.model import Question, Questionnaire
from ..knowledge.rekey import edition_or_default
from ..models import Assessment, AssessmentStatus, ChatMessage, RespondentAnswer, User
from ..models.chat import MessageKind
from ..planning import exclusions
from ..planning.assess import findings_brief
from ..planning.report import BriefReport
from . import answers, assessments, evaluation, respondents, tenancy, transcript
from .answers import AnswerBrief
from .errors import Conflict, Invalid, ServiceError
from .transcript import ASSISTANT, USER


@dataclass(frozen=True)
class Conversation:
    """Where the conversation stands, as its bubbles say."""

    pending: str | None  # the question of the last asking bubble, unless the user has answered or skipped since
    revisiting: bool  # whether that bubble asks an answered question again
    skipped: dict[str, None]  # the questions skipped, in the order of their last skip (see flow.next_question)


@dataclass(frozen=True)
class Voice:
    """Whose conversation this is. In an assessment with several respondents each has their own: their own
    answers, their own transcript, and only the sections they were invited to."""

    respondent_id: int | None = None
    sections: tuple[str, ...] = ()  # empty: all of them
    own_only: bool = False  # a respondent who does not manage: sees nothing of the assessment but this chat

    @property
    def key(self) -> int:
        return self.respondent_id or 0  # what the transcript queries compare with (0: the shared conversation)


SHARED = Voice()


@dataclass
class State:
    assessment: Assessment
    questionnaire: Questionnaire
    report: BriefReport  # evaluation.evaluate(..., brief=True)
    relevant: list[Question]
    answers: dict[str, Any]
    to_confirm: set[str]
    progress: Progress
    current: Question | None
    can_answer: bool
    values: dict[str, AnswerBrief]  # the stored answers the state was worked out from
    conversation: Conversation
    voice: Voice
    transcript: list[ChatMessage] = field(default_factory=list)  # all of it, or what came after `after`
    answered_now: tuple[Question, Any] | None = None  # the answer this message gave, if it gave one

    @property
    def finished(self) -> bool:
        return self.current is None


def load(user: User, assessment_id: int, after: int | None = None) -> State:
    """The interview as it stands, the question to ask now already in the transcript. With `after`, only the
    messages newer than that id are read (an htmx turn); without, the whole conversation (the page)."""
    assessment = tenancy.assessment_for(user, assessment_id, own=True)
    voice = _voice(user, assessment, create=False)
    can_answer = _can_answer(user, assessment) and (voice is not SHARED or not assessment.has_respondents)
    state = _state(assessment, can_answer, voice=voice)
    if _ask_now(state):
        if state.conversation.pending is None and _new_conversation(assessment, voice):
            _introduce(state)
        _ask(state)
        transcript.write_bubbles()
        state.transcript = transcript.read(assessment.id, voice.key, after)
        _commit_keeping_loaded()
    else:
        state.transcript = transcript.read(assessment.id, voice.key, after)
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
    after: int | None = None,
    shown_total: int | None = None,
) -> State:
    """Handle one message: a typed text, or a quick reply (question_id + value). `shown_total`: the number of
    questions the page showed, so that an answer that changes it says why."""
    assessment = tenancy.assessment_for(user, assessment_id, answer=True, own=True)
    if assessment.status is AssessmentStatus.COMPLETED:
        raise Conflict("this assessment is completed; start a repeat assessment to change answers")
    voice = _voice(user, assessment, create=True)
    questionnaire = knowledge_base().questionnaire(assessment.questionnaire_id)
    asked = _question(questionnaire, question_id) if question_id else None
    if asked is not None and asked.kind == "multiple_choice" and value is None and not (text or "").strip():
        message = choice_needed(asked)  # "save the ticked options" with none ticked: say what to do, save nothing
        raise Invalid(message, {"values": [message]})
    keep = (note is None, evidence is None)  # a message without a note keeps the note the answer has
    try:
        if question_id and value is not None and _summary_known(assessment, voice):
            # A quick reply names its question, and the assessment row says which majors were open: the state
            # before the answer need not be worked out (which would evaluate the answers as they were).
            checked = answers.check_answer(assessment, question_id, value, note, evidence)
            state = _answer(user, _stored_before(assessment, voice), asked, checked, keep, said=None)
        else:
            state = _state(assessment, True, voice=voice)
            target = asked or state.current
            if value is not None and target is not None:
                checked = answers.check_answer(assessment, target.id, value, note, evidence)
                state = _answer(user, _before(state), target, checked, keep, said=None)
            elif text is not None and text.strip():
                state = _understand(user, state, target, text.strip()[:2000], note, evidence)
        if shown_total is not None and state.answered_now is not None and state.progress.relevant != shown_total:
            changed = replies.total_changed(shown_total, state.progress.relevant, *state.answered_now)
            _say(state, None, ASSISTANT, MessageKind.NOTICE, changed)
        if _ask_now(state):
            _ask(state)
        transcript.write_bubbles()
        # Read in the writing transaction (its bubbles included): after the commit the read would open another
        # transaction, a connection check-out, a BEGIN and a ROLLBACK more per message on PostgreSQL.
        state.transcript = transcript.read(assessment.id, state.voice.key, after)
        # The answer, its bubbles and the next question; short, because everything slow happened before the write.
        _commit_keeping_loaded()
    except ServiceError:
        transcript.forget_bubbles()
        db.session.rollback()  # nothing of this message is kept: not its bubbles, not half an answer
        raise
    return state


def revisit(user: User, assessment_id: int, question_id: str, after: int | None = None) -> State:
    """Ask an earlier question again (clicking a past answer)."""
    assessment = tenancy.assessment_for(user, assessment_id, answer=True, own=True)
    state = _state(assessment, True, voice=_voice(user, assessment, create=True))
    question = _question(state.questionnaire, question_id)
    _say(
        state,
        None,
        ASSISTANT,
        MessageKind.REVISIT,
        replies.revisit(question, state.answers.get(question_id)),
        question_id,
    )
    transcript.write_bubbles()
    db.session.commit()
    return load(user, assessment_id, after)


# ---------------------------------------------------------------------------------------------- state


def _state(
    assessment: Assessment,
    can_answer: bool,
    known: tuple[dict[str, AnswerBrief], dict[str, Any], Conversation] | None = None,
    *,
    voice: Voice = SHARED,
) -> State:
    """The state as stored; with `known` (the answer values, their brief report and where the conversation
    stands, as the caller has just written or read them in this transaction), worked out from those instead."""
    knowledge = knowledge_base()
    questionnaire = knowledge.questionnaire(assessment.questionnaire_id)
    if known is None:
        values = _values(assessment, voice)
        report = _brief_report(assessment, voice, values)
        conversation = _conversation(assessment, voice)
    else:
        values, report, conversation = known
    answers = {q: brief.value for q, brief in values.items() if questionnaire.has_question(q)}
    to_confirm = {q for q, brief in values.items() if brief.to_confirm}
    follow_ups = knowledge.ruleset_for(questionnaire.id).follow_ups
    relevant = relevant_questions(questionnaire, follow_ups, _asked(assessment, voice, values, report))
    if voice.sections:
        relevant = [q for q in relevant if q.section in voice.sections]
    pending, revisiting = conversation.pending, conversation.revisiting
    relevant_ids = {q.id for q in relevant}
    if pending and pending in relevant_ids and (revisiting or pending not in answers or pending in to_confirm):
        current = questionnaire.question(pending)
    else:
        current = next_question(relevant, answers, to_confirm, conversation.skipped)
    return State(
        assessment,
        questionnaire,
        report,
        relevant,
        answers,
        to_confirm,
        # A repeat's copied answers count once confirmed: they are given, but nobody has said they still hold.
        progress(questionnaire, relevant, {q: v for q, v in answers.items() if q not in to_confirm}),
        current,
        can_answer,
        values,
        conversation,
        voice,
    )


@dataclass(frozen=True)
class Before:
    """What an answer is written over: enough to save it and announce what it changed."""

    assessment: Assessment
    voice: Voice
    values: dict[str, AnswerBrief]
    majors: dict[str, replies.Gap]  # the open major findings by id
    skipped: set[str]


def _before(state: State) -> Before:
    return Before(state.assessment, state.voice, state.values, _majors(state.report), state.conversation.skipped)


def _stored_before(assessment: Assessment, voice: Voice) -> Before:
    """What an answer is written over, the open majors as the assessment row has them (see _summary_known)."""
    values, skipped = _values(assessment, voice), transcript.skipped(assessment.id, voice.key)
    return Before(assessment, voice, values, _stored_majors(assessment), skipped)


def _question(questionnaire: Questionnaire, question_id: str) -> Question:
    if not questionnaire.has_question(question_id):
        raise Invalid("unknown question", {"question": [f"no question '{question_id}' in this questionnaire"]})
    return questionnaire.question(question_id)


def _summary_known(assessment: Assessment, voice: Voice) -> bool:
    """Whether the assessment row tells which majors are open for this conversation: it summarises the shared
    answers (a respondent's chat announces from their own), and rows older than its column do not say."""
    return voice is SHARED and not assessment.has_respondents and assessment.open_major_ids is not None


def _stored_majors(assessment: Assessment) -> dict[str, replies.Gap]:
    ids = assessment.open_major_ids or []
    kb = knowledge_base()
    edition = edition_or_default(kb, assessment.questionnaire_id, assessment.edition)
    return _gaps(findings_brief(kb, assessment.questionnaire_id, ids, edition))


def _voice(user: User, assessment: Assessment, *, create: bool) -> Voice:
    """The caller's own conversation in an assessment with several respondents (owners and consultants get one
    when they first answer), or the shared one of an assessment without."""
    if not assessment.has_respondents:
        return SHARED
    respondent = (
        respondents.answering_as(user, assessment) if create else respondents.respondent_of(user, assessment.id)
    )
    if respondent is None:
        return SHARED
    manages = tenancy.role_in(user, assessment.organisation_id).can_manage
    return Voice(respondent.id, tuple(respondent.sections), own_only=not manages)


def _values(assessment: Assessment, voice: Voice) -> dict[str, AnswerBrief]:
    if voice is SHARED:
        return answers.answer_values(assessment)
    rows = db.session.execute(
        sa.select(RespondentAnswer.question_id, RespondentAnswer.value, RespondentAnswer.note).where(
            RespondentAnswer.respondent_id == voice.respondent_id
        )
    )
    return {q: AnswerBrief(v, False, note=n or "") for q, v, n in rows if v is not None}


def _brief_report(assessment: Assessment, voice: Voice, values: dict[str, AnswerBrief]) -> BriefReport:
    """A respondent's chat reports on their own answers only: what it announces must not reveal anyone else's."""
    return evaluation.evaluate(assessment, values, brief=True, one_voice=voice is not SHARED)


def _asked(assessment: Assessment, voice: Voice, values: dict[str, AnswerBrief], report: BriefReport) -> set[str]:
    """The follow-ups that matter. A respondent invited to some sections only does not answer the questions
    their follow-ups may depend on (the profile, say): for those, the consolidated answers decide."""
    if not voice.sections:
        return set(report.asked)
    questionnaire = knowledge_base().questionnaire(assessment.questionnaire_id)
    others = {
        q: brief
        for q, brief in answers.answer_values(assessment).items()
        if questionnaire.has_question(q) and questionnaire.question(q).section not in voice.sections
    }
    overlay = evaluation.evaluate(assessment, {**others, **values}, brief=True, one_voice=True)
    return set(overlay.asked)


def _commit_keeping_loaded() -> None:
    """Commit without expiring what the session holds: the reply is rendered from the assessment as this request
    read and wrote it, and reloading it after every message would cost a query for nothing."""
    session = db.session()
    session.expire_on_commit = False
    try:
        session.commit()
    finally:
        session.expire_on_commit = True


def _conversation(assessment: Assessment, voice: Voice) -> Conversation:
    pending, revisiting = transcript.pending_question(assessment.id, voice.key)
    return Conversation(pending, revisiting, transcript.skipped(assessment.id, voice.key))


def _ask_now(state: State) -> bool:
    return (
        state.current is not None
        and state.can_answer
        and state.assessment.status is AssessmentStatus.IN_PROGRESS
        and state.conversation.pending != state.current.id
    )


def _ask(state: State) -> None:
    question = state.current
    confirming = state.answers.get(question.id) if question.id in state.to_confirm else None
    skipped = question.id in state.conversation.skipped and question.id not in state.answers
    text = replies.ask_skipped(question) if skipped else replies.ask(question, confirming)
    _say(state, None, ASSISTANT, MessageKind.QUESTION, text, question.id)


def _introduce(state: State) -> None:
    confirming = len(state.to_confirm & set(state.answers))
    text = replies.introduction(state.progress.relevant, confirming, links=not state.voice.own_only)
    _say(state, None, ASSISTANT, MessageKind.REPLY, text)


def _new_conversation(assessment: Assessment, voice: Voice) -> bool:
    return transcript.is_empty(assessment.id, voice.key)


def _ask_again(state: State, question: Question) -> None:
    """After an aside, the pending question again, so that its text is beside its quick replies."""
    conversation = state.conversation
    if conversation.revisiting:
        text = replies.ask_again(question, current=state.answers.get(question.id))
        _say(state, None, ASSISTANT, MessageKind.REVISIT, text, question.id)
        return
    confirming = state.answers.get(question.id) if question.id in state.to_confirm else None
    _say(state, None, ASSISTANT, MessageKind.QUESTION, replies.ask_again(question, confirming=confirming), question.id)


def _can_answer(user: User, assessment: Assessment) -> bool:
    return tenancy.role_in(user, assessment.organisation_id).can_answer


def _say(
    state: State | Before, user: User | None, role: str, kind: MessageKind, text: str, question_id: str | None = None
) -> None:
    """Add a bubble to those of this message (transcript.write_bubbles writes them, in the order said)."""
    transcript.say(state.assessment.id, state.voice.respondent_id, user, role, kind, text, question_id)


# ---------------------------------------------------------------------------------------------- messages


def _understand(user, state: State, question: Question | None, text: str, note, evidence) -> State:
    """Handle a typed message; the state after it."""
    understood = None
    if question is not None and question.id in state.to_confirm:  # a repeat's copied answer: "still true" keeps it
        understood = confirming.confirmed(question, text, state.answers.get(question.id))
    understood = understood or understand(question, text)
    if understood.kind == "answer" and question is not None:
        # understand gives the value in canonical form, checked against the question: it is not checked again
        checked = answers.check_answer(state.assessment, question.id, understood.value, note, evidence, canonical=True)
        return _answer(user, _before(state), question, checked, (note is None, evidence is None), said=text)
    assessment = state.assessment
    asked = question.id if question else None
    _say(state, user, USER, MessageKind.TEXT, text, asked)
    if understood.kind == "command":
        _command(user, state, question, understood)
        if understood.command in ASIDES and question is not None and state.current is question and state.can_answer:
            _ask_again(state, question)
    elif understood.kind == "confirm" and question is not None:
        reply = replies.did_you_mean(question, understood.value, understood.message)
        _say(state, None, ASSISTANT, MessageKind.CONFIRM, reply, question.id)
    else:
        _say(state, None, ASSISTANT, MessageKind.REPLY, replies.not_understood(understood.message), asked)
    transcript.write_bubbles()
    # No answer changed (nor, then, the report), but a command may have moved the conversation.
    conversation = _conversation(assessment, state.voice)
    return _state(assessment, state.can_answer, (state.values, state.report, conversation), voice=state.voice)


ASIDES = ("help", "progress", "plan", "why", "explain")  # commands after which the pending question is asked again


def _command(user, state: State, question: Question | None, understood) -> None:
    command = understood.command
    reply, about, kind = replies.HELP, None, MessageKind.REPLY
    if command == "skip" and question is not None:
        answered = question.id in state.answers and question.id not in state.to_confirm
        kept = state.answers[question.id] if answered else None
        reply = replies.skip_noted(question, kept, again=question.id in state.conversation.skipped)
        _say(state, user, USER, MessageKind.SKIP, replies.SKIPPED, question.id)
    elif command == "back":
        previous = _previous_answered(state)
        if previous is not None:
            text = replies.going_back(previous, state.answers[previous.id])
            _say(state, None, ASSISTANT, MessageKind.REVISIT, text, previous.id)
            return
        reply = replies.NOTHING_TO_GO_BACK_TO
    elif command == "progress":
        reply = replies.progress(state.progress)
    elif command == "plan":
        full = evaluation.evaluate(state.assessment, state.values, one_voice=state.voice is not SHARED)
        reply, kind = replies.plan(replies.PlanLine(a.rank, a.title, a.phase) for a in full.plan), MessageKind.PLAN
    elif command == "why" and question is not None:
        reply, about = replies.why(knowledge_base(), state.questionnaire, question), question.id
    elif command == "explain":
        reply = replies.glossary(knowledge_base(), understood.topic)
    _say(state, None, ASSISTANT, kind, reply, about)


def _previous_answered(state: State) -> Question | None:
    current = state.current.id if state.current else None
    answered = transcript.answered_lately(state.assessment.id, state.voice.key)
    for question_id in answered:
        if question_id != current and question_id in state.answers:
            return state.questionnaire.question(question_id)
    return None


def _answer(user, state: Before, question: Question, checked: AnswerValue, keep, said: str | None) -> State:
    """Save an answer checked once on its way in, with its bubbles and any notice; the state after it."""
    previous = state.values.get(question.id)
    note = previous.note if keep[0] and previous is not None else checked.note  # as write_checked keeps it
    values = {**state.values, question.id: AnswerBrief(checked.value, False, checked=True, note=note)}
    if state.voice is SHARED and not state.assessment.has_respondents:
        # With SQLite the first write locks the database until the commit, and every other worker's write waits
        # (sleeping, in growing steps): the state after the answer is worked out before writing. The report is
        # the one write_checked works out (it finds it in the evaluation memo).
        after = _after_answer(
            user, state, question, checked, said, values, evaluation.evaluate(state.assessment, values, brief=True)
        )
        assessments.write_checked(
            user, state.assessment, question.id, checked, None, keep, values=state.values, brief=True
        )
        return after
    answer, report = assessments.write_checked(
        user, state.assessment, question.id, checked, None, keep, values=state.values, brief=True
    )
    values[question.id] = AnswerBrief(answer.value, False, checked=True, note=answer.note)
    if state.voice is not SHARED:  # the report of the respondent's own answers, not of everyone's
        report = _brief_report(state.assessment, state.voice, values)
    return _after_answer(user, state, question, checked, said, values, report)


def _after_answer(
    user, state: Before, question: Question, checked: AnswerValue, said: str | None, values, report: BriefReport
) -> State:
    """The bubbles of an answer and any notice it gives; the state after it."""
    _say(state, user, USER, MessageKind.ANSWER, replies.answered(question, checked.value, said), question.id)
    for notice in replies.notices(state.majors, _majors(report)):
        _say(state, None, ASSISTANT, MessageKind.NOTICE, notice)
    # The answer bubble is now the last word in the conversation, so no question is pending any more; only those
    # who may answer get here.
    conversation = Conversation(pending=None, revisiting=False, skipped=state.skipped)
    given = values[question.id]
    answered_now = (question, given.value)
    if exclusions.not_permitted(question, given.value):  # not an answer that stands: ask for the real one
        _say(state, None, ASSISTANT, MessageKind.REVISIT, replies.exclusion_not_permitted(question), question.id)
        conversation = Conversation(pending=question.id, revisiting=True, skipped=state.skipped)
    elif exclusions.unjustified(question, given.value, given.note):
        _say(state, None, ASSISTANT, MessageKind.NOTICE, replies.exclusion_needs_reason(question))
    after = _state(state.assessment, True, (values, report, conversation), voice=state.voice)
    after.answered_now = answered_now
    return after


def exclusion_warnings(state: State, questions: list[Question]) -> dict[str, str]:
    """What the section form says under each of these questions whose "not applicable" does not stand as it is."""
    warnings = {}
    for question in questions:
        value, brief = state.answers.get(question.id), state.values.get(question.id)
        if exclusions.not_permitted(question, value):
            warnings[question.id] = replies.exclusion_warning(question)
        elif brief is not None and exclusions.unjustified(question, value, brief.note):
            warnings[question.id] = replies.exclusion_reason_wanted(question)
    return warnings


def _majors(report: BriefReport) -> dict[str, replies.Gap]:
    return _gaps(f for f in report.findings if f.severity == "major")


def _gaps(findings) -> dict[str, replies.Gap]:
    return {f.id: replies.Gap(f.title, f.clauses) for f in findings}
