"""What the chat's assistant says, from plain data: no app, no database."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from app.interview import replies
from app.interview.flow import Progress, SectionProgress
from app.interview.replies import Gap, PlanLine
from app.knowledge.model import Option, Question

SCOPE = Question(id="scope", kind="yes_no", text="Is the scope written down?", why="4.3 asks for it.", section="s")
METHOD = Question(
    id="method",
    kind="single_choice",
    text="How do your teams work?",
    why="Because.",
    section="s",
    options=(Option("scrum", "Scrum"), Option("kanban", "Kanban")),
)
PEOPLE = Question(id="people", kind="number", text="How many people?", why="Size.", section="s", unit="people")


def test_a_question_is_asked_as_written_and_a_copied_answer_is_asked_to_be_confirmed():
    assert replies.ask(SCOPE) == "Is the scope written down?"
    assert replies.ask(METHOD, "kanban") == (
        "Last time you said “Kanban” to: How do your teams work? Is that still true?"
    )


def test_a_revisit_says_what_the_answer_was_and_asks_again():
    assert replies.revisit(SCOPE, "partly") == "Let's revisit this one (you said “Partly”). Is the scope written down?"
    assert replies.revisit(SCOPE) == "Is the scope written down?"  # nothing answered yet: just the question
    assert replies.going_back(PEOPLE, 40) == "Going back: you said “40 people”. How many people?"


def test_the_users_answer_bubble_shows_their_own_words_or_the_label_they_clicked():
    assert replies.answered(METHOD, "scrum", typed="we do scrum mostly") == "we do scrum mostly"
    assert replies.answered(METHOD, "scrum") == "Scrum"
    assert replies.answered(SCOPE, "dont_know") == "Don't know"


def test_a_guess_is_confirmed_and_what_is_not_understood_gets_the_help_unless_understand_said_more():
    assert replies.did_you_mean(METHOD, "kanban") == "Did you mean “Kanban”?"
    assert replies.did_you_mean(METHOD, "kanban", "Kanban, or a mix?") == "Kanban, or a mix?"
    assert replies.not_understood() == "I did not understand that. " + replies.HELP
    assert replies.not_understood("Please pick one of “Scrum” or “Kanban”.").startswith("Please pick one")


def test_the_help_names_every_command():
    for command in ("skip", "back", "progress", "show my plan", "why do you ask?", "what does"):
        assert command in replies.HELP


def test_a_new_major_gap_is_noted_and_a_closed_one_cleared_in_order_of_their_ids():
    audit = Gap("Internal audits are not done", ("9.2",))
    context = Gap("Interested parties are not known", ("4.2",))
    scope = Gap("Scope is not documented", ("4.3", "4.4"))
    review = Gap("No management review", ("9.3",))
    before = {"scope": scope, "review": review}
    said = replies.notices(before, {"review": review, "context": context, "audit": audit})
    assert said == [
        "Noted: internal audits are not done: 9.2 would be a major nonconformity.",
        "Noted: interested parties are not known: 4.2 would be a major nonconformity.",
        "Good: that clears a major gap on 4.3, 4.4 (Scope is not documented).",
    ]
    assert replies.notices({"review": review}, {"review": review}) == []  # nothing changed, nothing said


def test_progress_counts_what_matters_and_lists_only_sections_with_relevant_questions():
    p = Progress(
        3,
        10,
        (
            SectionProgress("a", "Context", 2, 4),
            SectionProgress("b", "Empty", 0, 0),
            SectionProgress("c", "Audit", 1, 6),
        ),
    )
    assert replies.progress(p) == (
        "You have answered 3 of the 10 questions that matter so far (7 left). Context 2/4; Audit 1/6."
    )


@pytest.mark.parametrize("count", [1, 5, 6, 16])
def test_the_plan_is_a_short_list_of_the_first_five_actions_with_how_many_there_are(count):
    said = replies.plan(PlanLine(n, f"Action {n}", "now") for n in range(1, count + 1)).split("\n")
    heading, lines = said[0], said[1:]
    assert lines == [f"{n}. Action {n} (now)" for n in range(1, min(count, replies.PLAN_SHOWN) + 1)]
    if count > replies.PLAN_SHOWN:
        assert heading == f"Your plan so far has {count} actions; the first ones:"
    else:
        assert heading == "Your plan so far, first things first:"
    assert not any("more" in line for line in said)  # the page links to the plan for the rest


def test_a_changed_total_says_how_many_follow_ups_and_because_of_which_answer():
    question = Question("policy", "yes_no", "Do you have a policy?", "why", "main")
    assert replies.total_changed(27, 29, question, "partly") == (
        "2 follow-up questions added because you answered “Partly” to “Do you have a policy?”. "
        "You now have 29 questions in all."
    )
    assert replies.total_changed(28, 27, question, "no").startswith("1 follow-up question no longer applies because")


def test_the_introduction_gives_the_length_and_a_time_estimate():
    assert replies.introduction(27).startswith("Hello! This interview has 27 questions, and takes about 15 minutes")
    assert "about 5 minutes" in replies.introduction(3)  # never "about 0 minutes"
    assert "“Still true”" in replies.introduction(27, to_confirm=27) and "Still true" not in replies.introduction(27)
    assert "a click away" in replies.introduction(27) and "a click away" not in replies.introduction(27, links=False)


def test_an_empty_plan_says_no_action_is_needed_yet():
    assert replies.plan([]) == "No actions yet: nothing you have answered so far needs one."


def test_why_and_the_glossary_come_from_the_knowledge_base(real_kb):
    questionnaire = real_kb.questionnaire("quick-scan")
    question = questionnaire.question("scope_documented")
    why = replies.why(real_kb, questionnaire, question)
    assert why.startswith(question.why) and all(f"Clause {c} (" in why for c in question.clauses)
    assert replies.glossary(real_kb, "corrective action").startswith("Corrective action: ")
    assert replies.glossary(real_kb, "9.2").startswith("Clause 9.2, ")
    assert replies.glossary(real_kb, "").startswith("Ask about a term")
    assert "nothing on “zyxwvut”" in replies.glossary(real_kb, "zyxwvut")


def test_the_replies_module_imports_neither_flask_nor_the_database():
    tree = ast.parse(Path(replies.__file__).read_text())
    imported = {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    imported |= {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    assert imported, "no imports found: the test reads the wrong file"
    assert not {name for name in imported if name.split(".")[0] in ("flask", "flask_login", "sqlalchemy")}
    assert not {name for name in imported if name.lstrip(".").split(".")[0] in ("models", "services", "extensions")}


def test_skip_promises_only_what_happens():
    question = Question("policy", "yes_no", "Do you have a policy?", "why", "main")
    assert replies.skip_noted(question) == replies.SKIP_NOTED
    assert replies.skip_noted(question, again=True) == replies.SKIP_AGAIN
    assert replies.skip_noted(question, "partly") == "Kept your answer “Partly”; moving on."
