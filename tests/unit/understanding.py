"""The questions and helpers the tests of the chat's understanding share (tests/unit/test_understand_*.py)."""

from __future__ import annotations

from app.interview.understand import Understood, understand
from app.knowledge.model import Option, Question


def question(kind: str, **fields) -> Question:
    return Question(id="q", kind=kind, text="A question?", why="Because.", section="s", **fields)


YES_NO = question("yes_no")
PEOPLE = question("number", min=1, max=100000, unit="people")
UNBOUNDED = question("number")
LEVEL = question("scale")
LEADERSHIP = question(
    "scale",
    labels=(
        "Nobody in leadership pays attention to it",
        "It is left to one person or an outside consultant",
        "Leaders hear about it now and then",
        "Leaders set quality goals, give it time and budget, and follow customer results",
        "Leaders review quality results on a fixed rhythm and act on them",
        "Leaders visibly drive improvement and can explain the policy and objectives to anyone",
    ),
)
METHOD = question(
    "single_choice",
    options=(
        Option("scrum", "Scrum", meaning="Sprints, a Product Owner, reviews and retrospectives."),
        Option("kanban", "Kanban", meaning="A continuous flow with a visible board and WIP limits."),
        Option("waterfall", "Phased projects", meaning="Requirements, design, build and test as separate phases."),
        Option("hybrid", "A mix", meaning="Different teams or projects work in different ways."),
        Option("none", "No particular method", meaning="Work is organised case by case."),
    ),
)
SATISFACTION = question(
    "single_choice",
    options=(
        Option("none", "We don't; no news is good news", level=0),
        Option("complaints_only", "We only react to complaints and support tickets", level=1),
        Option("informal", "Sprint reviews or account calls, but nothing is recorded or analysed", level=2),
        Option("regular", "A regular method (CSAT or NPS survey, quarterly business reviews) with results recorded"),
        Option("acted_on", "Results are trended, discussed by leadership and turned into backlog items", level=4),
    ),
)
CERTIFICATES = question(
    "multiple_choice",
    options=(
        Option("none", "None yet"),
        Option("iso27001", "ISO/IEC 27001"),
        Option("soc2", "SOC 2 report"),
        Option("other", "Another one"),
    ),
)
# Options whose labels are also command words: a click on the button sends exactly the label.
PDCA = question("single_choice", options=(Option("plan", "Plan"), Option("next", "Next"), Option("back", "Back")))
NOTES = question("text", max_length=40)

ALL_QUESTIONS = (YES_NO, PEOPLE, UNBOUNDED, LEVEL, LEADERSHIP, METHOD, SATISFACTION, CERTIFICATES, PDCA, NOTES)


def answer(q: Question | None, text: str) -> object:
    understood = understand(q, text)
    assert understood.kind == "answer", f"{text!r} -> {understood}"
    return understood.value


def confirm(q: Question | None, text: str) -> Understood:
    understood = understand(q, text)
    assert understood.kind == "confirm", f"{text!r} -> {understood}"
    assert understood.message
    return understood


def unclear(q: Question | None, text: str) -> str:
    understood = understand(q, text)
    assert understood.kind == "unclear", f"{text!r} -> {understood}"
    assert understood.message
    return understood.message


def command(q: Question | None, text: str) -> Understood:
    understood = understand(q, text)
    assert understood.kind == "command", f"{text!r} -> {understood}"
    return understood


# Everyday yes/no answers and what they mean; also fed to the check that every answer is a value the question takes.
YES_NO_ANSWERS = [
    # yes
    ("yes", "yes"),
    ("Yes!", "yes"),
    ("YES", "yes"),
    ("yeah", "yes"),
    ("Yep", "yes"),
    ("yup, we do", "yes"),
    ("sure", "yes"),
    ("of course", "yes"),
    ("we do", "yes"),
    ("absolutely", "yes"),
    ("Absolutely, every sprint", "yes"),
    ("definitely", "yes"),
    ("correct", "yes"),
    ("y", "yes"),
    ("yes, always", "yes"),
    ("we do code review in all teams", "yes"),
    # no
    ("no", "no"),
    ("No.", "no"),
    ("nope", "no"),
    ("Nope, never", "no"),
    ("nah", "no"),
    ("not really", "no"),
    ("no, not really", "no"),
    ("never", "no"),
    ("not yet", "no"),
    ("Nah, not yet", "no"),
    ("we don't", "no"),
    ("We don't.", "no"),
    ("we do not", "no"),
    ("n", "no"),
    ("absolutely not", "no"),
    ("not at the moment", "no"),
    ("we're not", "no"),
    ("there is no such thing here", "no"),
    # partly
    ("partly", "partly"),
    ("partially", "partly"),
    ("somewhat", "partly"),
    ("sort of", "partly"),
    ("kind of", "partly"),
    ("kinda", "partly"),
    ("some teams", "partly"),
    ("in some projects", "partly"),
    ("half", "partly"),
    ("half of the teams", "partly"),
    ("sometimes", "partly"),
    ("not always", "partly"),
    ("we're working on it", "partly"),
    ("only in the backend team", "partly"),
    ("yes and no", "partly"),
    # don't know
    ("don't know", "dont_know"),
    ("dont know", "dont_know"),
    ("I don't know", "dont_know"),
    ("not sure", "dont_know"),
    ("I'm not sure", "dont_know"),
    ("We're not sure.", "dont_know"),
    ("no idea", "dont_know"),
    ("unsure", "dont_know"),
    ("idk", "dont_know"),
    ("dunno", "dont_know"),
    ("no, I don't know", "dont_know"),
    # not applicable
    ("n/a", "not_applicable"),
    ("N/A", "not_applicable"),
    ("not applicable", "not_applicable"),
    ("does not apply", "not_applicable"),
    ("that doesn't apply to us", "not_applicable"),
    ("irrelevant for us", "not_applicable"),
    ("not relevant for us", "not_applicable"),
    ("No, that doesn't apply to us", "not_applicable"),
]
