"""What the chat understands from a typed message: commands, asides, no question; every reply well formed."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.interview.understand import Understood, understand
from app.knowledge.answers import check_value

from .understanding import (
    ALL_QUESTIONS,
    CERTIFICATES,
    LEADERSHIP,
    LEVEL,
    METHOD,
    NOTES,
    PDCA,
    PEOPLE,
    YES_NO,
    YES_NO_ANSWERS,
    answer,
    command,
    unclear,
)

# ---------------------------------------------------------------------------------------------- commands

COMMAND_PHRASES = [
    ("skip", "skip"),
    ("Skip!", "skip"),
    ("Can we skip this one?", "skip"),
    ("skip for now, thanks", "skip"),
    ("I'd like to skip this question", "skip"),
    ("next", "skip"),
    ("Next please", "skip"),
    ("ok next", "skip"),
    ("pass", "skip"),
    ("later", "skip"),
    ("ask me later", "skip"),
    ("let's move on", "skip"),
    ("back", "back"),
    ("go back", "back"),
    ("Can we go back?", "back"),
    ("previous", "back"),
    ("previous question please", "back"),
    ("undo", "back"),
    ("progress", "progress"),
    ("What's left?", "progress"),
    ("whats left", "progress"),
    ("how far are we?", "progress"),
    ("How far along are we?", "progress"),
    ("how many left", "progress"),
    ("how many questions are left?", "progress"),
    ("so what's left?", "progress"),
    ("plan", "plan"),
    ("show my plan", "plan"),
    ("Could you please show me the plan?", "plan"),
    ("what should we do", "plan"),
    ("What should we do next?", "plan"),
    ("what's the plan?", "plan"),
    ("help", "help"),
    ("HELP!", "help"),
    ("?", "help"),
    ("??", "help"),
    ("help me please", "help"),
    ("why", "why"),
    ("Why?", "why"),
    ("why do you ask", "why"),
    ("Why do you ask?", "why"),
    ("why is this asked?", "why"),
    ("but why?", "why"),
    ("why does this matter?", "why"),
]


@pytest.mark.parametrize(("text", "expected"), COMMAND_PHRASES)
@pytest.mark.parametrize("q", [None, YES_NO, PEOPLE, METHOD, CERTIFICATES, LEVEL], ids=lambda q: q.kind if q else "-")
def test_commands_are_understood_whatever_the_question(q, text, expected):
    assert command(q, text).command == expected


@pytest.mark.parametrize(
    "text",
    [
        "what does this mean?",
        "What does this question mean?",
        "I don't understand the question",
        "explain",
        "explain this",
        "what is this?",
        "what do you mean?",
    ],
)
def test_asking_about_the_question_itself_is_a_why(text):
    # The "why" reply explains the question (its clauses and evidence); the glossary cannot, with no term.
    assert command(YES_NO, text).command == "why"


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        ("what does nonconformity mean?", "nonconformity"),
        ("What does Nonconformity mean", "Nonconformity"),
        ("What does nonconformity mean exactly?", "nonconformity"),
        ("what does 'CAPA' stand for?", "CAPA"),
        ("What is a nonconformity?", "nonconformity"),
        ("what is an internal audit", "internal audit"),
        ("What is the management review?", "management review"),
        ("what are KPIs?", "KPIs"),
        ("what's CAPA", "CAPA"),
        ("whats a KPI", "KPI"),
        ("explain corrective action", "corrective action"),
        ("Can you explain what a major nonconformity is?", "major nonconformity"),
        ("please explain the term documented information", "documented information"),
        ("define documented information", "documented information"),
        ("Define: scope", "scope"),
        ("meaning of maintain vs retain", "maintain vs retain"),
        ("the meaning of “retain”?", "retain"),
        ("What is the meaning of documented information?", "documented information"),
        ("what is meant by top management?", "top management"),
        ("tell me about internal audits", "internal audits"),
        ("what is clause 9.2?", "clause 9.2"),
        ("Please, what is an internal audit?", "internal audit"),
    ],
)
def test_what_does_x_mean_explains_x(text, topic):
    understood = command(YES_NO, text)
    assert (understood.command, understood.topic) == ("explain", topic)


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        ("is it true that certification means bug-free software?", "certification means bug-free software"),
        ("Is it really true that we need a quality manual?", "we need a quality manual"),
        ("isn't it true that ISO 9001 is only for waterfall?", "ISO 9001 is only for waterfall"),
        ("I heard that more documents make the audit safer", "more documents make the audit safer"),
        (
            "Does certification mean our software will be bug-free?",
            "certification means our software will be bug-free",
        ),
        ("does ISO 9001 mean we need a quality manager?", "ISO 9001 means we need a quality manager"),
    ],
)
def test_myth_questions_explain_the_claim_itself(text, topic):
    understood = command(None, text)
    assert (understood.command, understood.topic) == ("explain", topic)


def test_a_question_in_front_of_an_answer_is_asked_first():
    understood = understand(YES_NO, "What does CAPA mean? We never heard of it.")
    assert (understood.kind, understood.command, understood.topic) == ("command", "explain", "CAPA")


@pytest.mark.parametrize("text", ["no", "No.", "yes", "n", "y", "nope", "not yet", "none", "never"])
def test_answer_words_are_never_commands(text):
    assert understand(YES_NO, text).kind == "answer"


@pytest.mark.parametrize(("text", "value"), [("plan", "plan"), ("Next", "next"), ("back", "back")])
def test_an_option_named_like_a_command_is_an_answer(text, value):
    assert answer(PDCA, text) == value


def test_a_command_phrase_that_is_not_an_option_label_stays_a_command():
    assert command(PDCA, "show my plan").command == "plan"
    assert command(PDCA, "skip").command == "skip"


@pytest.mark.parametrize("text", ["skip that and go on with the rest", "the plan is unclear", "helpful"])
def test_a_command_word_inside_a_sentence_is_not_a_command(text):
    assert understand(NOTES, text) == Understood("answer", text)


# ---------------------------------------------------------------------------------------------- no question


@pytest.mark.parametrize("text", ["yes", "no", "42", "scrum", "hello"])
def test_without_a_question_only_commands_are_understood(text):
    message = unclear(None, text)
    assert "no open question" in message
    assert "plan" in message and "help" in message


def test_without_a_question_commands_still_work():
    assert command(None, "show my plan").command == "plan"
    assert command(None, "what is a nonconformity?").topic == "nonconformity"


@pytest.mark.parametrize("text", ["", "   ", "\n\t"])
@pytest.mark.parametrize("q", [None, YES_NO, NOTES], ids=lambda q: q.kind if q else "-")
def test_an_empty_message_is_unclear(q, text):
    unclear(q, text)


# ---------------------------------------------------------------------------------------------- every reply


@settings(max_examples=300, deadline=None)
@given(q=st.sampled_from((None, *ALL_QUESTIONS)), text=st.text(max_size=60))
def test_any_message_gets_a_well_formed_reply(q, text):
    understood = understand(q, text)
    assert understood.kind in ("answer", "confirm", "command", "unclear")
    if understood.kind in ("answer", "confirm"):
        assert q is not None
        assert check_value(q, understood.value) == (understood.value, None)
    if understood.kind in ("confirm", "unclear"):
        assert understood.message
    if understood.kind == "command":
        assert understood.command in ("skip", "back", "progress", "plan", "help", "explain", "why")
        assert understood.command != "explain" or understood.topic


@pytest.mark.parametrize(
    ("q", "text"),
    [(YES_NO, t) for t, _ in YES_NO_ANSWERS]
    + [(PEOPLE, "30-40"), (METHOD, "scurm"), (METHOD, "sprints"), (CERTIFICATES, "27001 and sco 2")]
    + [(LEADERSHIP, "now and then"), (LEVEL, "3/5"), (NOTES, "anything")],
)
def test_every_answer_and_guess_is_a_value_the_question_accepts(q, text):
    understood = understand(q, text)
    assert check_value(q, understood.value) == (understood.value, None)
