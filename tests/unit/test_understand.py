"""What the chat understands from a typed message: answers, guesses to confirm, commands and "unclear"."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.interview.understand import Understood, understand
from app.knowledge.answers import check_value
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


# ---------------------------------------------------------------------------------------------- yes / no

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


@pytest.mark.parametrize(("text", "value"), YES_NO_ANSWERS)
def test_yes_no_everyday_words(text, value):
    assert answer(YES_NO, text) == value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("not sure", "dont_know"),  # not "no"
        ("not applicable", "not_applicable"),  # not "no"
        ("not always", "partly"),  # not "no", and not "yes" for "always"
        ("not everywhere", "partly"),
        ("not fully", "partly"),
        ("yes but only in one team", "partly"),
        ("Yes, except for the support team", "partly"),
        ("yes, but it's not written down", "partly"),
        ("we do, but not consistently", "partly"),
        ("no, not really", "no"),
        ("not really", "no"),
        ("no idea", "dont_know"),  # not "no"
    ],
)
def test_yes_no_reads_negations_and_qualifiers(text, value):
    assert answer(YES_NO, text) == value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("I think so", "yes"),
        ("I believe we do", "yes"),
        ("probably", "yes"),
        ("probably yes", "yes"),
        ("I guess", "yes"),
        ("pretty much", "yes"),
        ("mostly", "partly"),
        ("mostly yes", "partly"),
        ("Yes, in most teams", "partly"),
        ("usually", "partly"),
        ("probably not", "no"),
        ("I don't think so", "no"),
        ("I think we don't", "no"),
        ("not that I know of", "no"),
        ("maybe", "dont_know"),
        ("perhaps", "dont_know"),
        ("probably not applicable", "not_applicable"),
        ("not sure, probably yes", "yes"),
        ("I'm not sure, probably not", "no"),
        ("not sure, partly", "partly"),
    ],
)
def test_hedged_yes_no_answers_are_offered_for_confirmation(text, value):
    understood = confirm(YES_NO, text)
    assert understood.value == value
    assert understood.message.startswith("Shall I put that down as")


def test_the_confirmation_names_the_answer_in_words():
    assert confirm(YES_NO, "I think so").message == "Shall I put that down as “Yes”?"
    assert confirm(YES_NO, "maybe").message == "Shall I put that down as “Don't know”?"


@pytest.mark.parametrize("text", ["yes no", "yeah no", "yes, not applicable", "probably not, yes"])
def test_conflicting_yes_no_words_are_unclear(text):
    message = unclear(YES_NO, text)
    assert "Yes" in message or "yes" in message


@pytest.mark.parametrize("text", ["banana", "ok", "the thing with the stuff", "42"])
def test_yes_no_without_an_answer_word_lists_the_options(text):
    message = unclear(YES_NO, text)
    for label in ("“Yes”", "“Partly”", "“No”", "“Don't know”", "“Not applicable”"):
        assert label in message


@pytest.mark.parametrize(("text", "value"), [("yess", "yes"), ("yesss", "yes"), ("nooo", "no"), ("nopee", "no")])
def test_repeated_letters_are_emphasis_not_typos(text, value):
    assert answer(YES_NO, text) == value


@pytest.mark.parametrize(("text", "value"), [("yse", "yes"), ("yeh", "yes"), ("nop", "no"), ("partyl", "partly")])
def test_yes_no_typos_are_offered_for_confirmation(text, value):
    understood = confirm(YES_NO, text)
    assert understood.value == value
    assert understood.message.startswith("Did you mean")


# ---------------------------------------------------------------------------------------------- numbers


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("40", 40),
        ("about 40 people", 40),
        ("around 40", 40),
        ("we're 12", 12),
        ("We are 12 in total.", 12),
        ("1,200", 1200),
        ("about 1,200 people", 1200),
        ("2.5k", 2500),
        ("around 1.5k engineers", 1500),
        ("around 2 thousand", 2000),
        ("forty", 40),
        ("Forty people", 40),
        ("twenty-five", 25),
        ("twenty five", 25),
        ("a dozen", 12),
        ("half a dozen", 6),
        ("one hundred and twenty", 120),
        ("a hundred", 100),
        ("two thousand five hundred", 2500),
        ("fifteen hundred", 1500),
        ("ten thousand", 10000),
        ("40 people in 2 offices", 40),
        ("12.5", 12.5),
    ],
)
def test_numbers_inside_sentences(text, value):
    assert answer(PEOPLE, text) == value


@pytest.mark.parametrize(
    ("text", "value"),
    [("30-40", 35), ("30 - 40", 35), ("between 30 and 40", 35), ("thirty to forty", 35), ("from 30 to 40", 35)],
)
def test_a_range_offers_its_middle(text, value):
    understood = confirm(PEOPLE, text)
    assert understood.value == value
    assert understood.message == "Shall I put down 35, the middle of 30 to 40?"


def test_the_middle_of_a_whole_number_range_is_a_whole_number():
    assert confirm(PEOPLE, "30-45").value == 38


@pytest.mark.parametrize(("text", "value"), [("more than 40", 40), ("40+", 40), ("at least 1,000", 1000)])
def test_a_bound_is_offered_for_confirmation(text, value):
    assert confirm(PEOPLE, text).value == value


@pytest.mark.parametrize("text", ["0", "200000", "-3", "none", "a million", "nobody"])
def test_numbers_outside_min_and_max_are_unclear_and_the_range_is_named(text):
    message = unclear(PEOPLE, text)
    assert "from 1 to 100,000 people" in message


def test_a_range_whose_middle_is_out_of_range_is_unclear():
    assert "from 1 to 100,000" in unclear(PEOPLE, "150000-250000")


def test_without_min_and_max_any_number_is_taken():
    assert answer(UNBOUNDED, "0") == 0
    assert answer(UNBOUNDED, "-3") == -3
    assert answer(UNBOUNDED, "5 million") == 5_000_000


@pytest.mark.parametrize("text", ["12 devs and 3 testers", "we are 7, soon 9"])
def test_several_numbers_are_unclear_and_listed(text):
    assert "several numbers" in unclear(PEOPLE, text)


@pytest.mark.parametrize("text", ["yes", "a few", "quite a lot", "many"])
def test_no_number_is_unclear(text):
    assert "number" in unclear(PEOPLE, text)


@pytest.mark.parametrize("text", ["don't know", "no idea", "not sure", "I don't know."])
def test_dont_know_a_number(text):
    assert answer(PEOPLE, text) == "dont_know"


def test_dont_know_with_a_number_offers_the_number():
    understood = confirm(PEOPLE, "not sure, maybe 40")
    assert understood.value == 40
    assert "Don't know" in understood.message


# ---------------------------------------------------------------------------------------------- scale


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("3", 3),
        ("0", 0),
        ("5", 5),
        ("three", 3),
        ("zero", 0),
        ("3/5", 3),
        ("4 / 5", 4),
        ("three out of five", 3),
        ("2 of 5", 2),
        ("level 2", 2),
        ("I'd say a 4", 4),
    ],
)
def test_scale_numbers(text, value):
    assert answer(LEVEL, text) == value


@pytest.mark.parametrize("text", ["7", "2.5", "7/10", "meh", "3-4", "high"])
def test_scale_outside_0_to_5_or_without_a_level_is_unclear(text):
    unclear(LEVEL, text)


def test_scale_on_another_scale_says_so():
    assert "0 to 5" in unclear(LEVEL, "7/10")


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Leaders hear about it now and then", 2),
        ("leaders hear about it now and then", 2),
        ("now and then", 2),
        ("nobody pays attention", 0),
        ("it's left to an outside consultant", 1),
        ("leaders review quality results on a fixed rhythm", 4),
    ],
)
def test_scale_labels_are_matched(text, value):
    assert answer(LEADERSHIP, text) == value


def test_scale_labels_only_help_questions_that_have_them():
    unclear(LEVEL, "now and then")


def test_a_scale_label_named_by_one_shared_word_is_a_guess():
    # "leaders" appears in four labels: which one is meant needs asking.
    understood = confirm(LEADERSHIP, "leaders")
    assert understood.value in (2, 3, 4, 5)
    assert understood.message.startswith("Did you mean")


def test_dont_know_a_level():
    assert answer(LEADERSHIP, "no idea") == "dont_know"


# ---------------------------------------------------------------------------------------------- single choice


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Scrum", "scrum"),
        ("scrum", "scrum"),
        ("SCRUM!", "scrum"),
        ("we use scrum", "scrum"),
        ("We mostly do Kanban.", "kanban"),
        ("kanban mostly", "kanban"),
        ("phased", "waterfall"),
        ("waterfall", "waterfall"),  # the option's value
        ("a mix", "hybrid"),
        ("mix", "hybrid"),
        ("hybrid", "hybrid"),
        ("no particular method", "none"),
        ("none", "none"),
    ],
)
def test_single_choice_by_label_or_value(text, value):
    assert answer(METHOD, text) == value


@pytest.mark.parametrize(
    ("text", "value"),
    [("kanbna", "kanban"), ("scurm", "scrum"), ("srcum", "scrum"), ("hybird", "hybrid"), ("waterfal", "waterfall")],
)
def test_single_choice_typos(text, value):
    assert answer(METHOD, text) == value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("we don't use scrum, we use kanban", "kanban"),
        ("scrum, not kanban", "scrum"),
        ("we use scrum but not kanban", "scrum"),
    ],
)
def test_a_negated_option_is_not_chosen(text, value):
    assert answer(METHOD, text) == value


def test_an_option_only_negated_is_not_an_answer():
    assert understand(METHOD, "not scrum").kind == "unclear"


@pytest.mark.parametrize("text", ["scrum and kanban", "Scrum with some kanban"])
def test_two_close_options_are_a_question(text):
    understood = confirm(METHOD, text)
    assert understood.value == "scrum"
    assert understood.message == "Did you mean “Scrum” or “Kanban”?"


@pytest.mark.parametrize(("text", "value"), [("sprints", "scrum"), ("WIP limits", "kanban"), ("case by case", "none")])
def test_what_an_option_means_suggests_it(text, value):
    understood = confirm(METHOD, text)
    assert understood.value == value
    assert understood.message == f"Did you mean “{METHOD.option(value).label}”?"


@pytest.mark.parametrize("text", ["blah", "SAFe", "it depends on the team", "42"])
def test_no_matching_option_is_unclear_and_lists_the_options(text):
    message = unclear(METHOD, text)
    assert "“Scrum”, “Kanban”, “Phased projects”, “A mix” or “No particular method”" in message


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("complaints", "complaints_only"),
        ("We only react to complaints and support tickets", "complaints_only"),
        ("nps survey", "regular"),
        ("surveys", "regular"),
        ("no news is good news", "none"),
        ("we don't", "none"),
        ("nothing", "none"),
    ],
)
def test_single_choice_with_long_labels_matches_their_words(text, value):
    assert answer(SATISFACTION, text) == value


@pytest.mark.parametrize("text", ["don't know", "no idea", "not sure", "idk"])
def test_dont_know_a_choice(text):
    assert answer(METHOD, text) == "dont_know"


def test_dont_know_with_an_option_offers_the_option():
    understood = confirm(METHOD, "no idea, maybe kanban")
    assert understood.value == "kanban"
    assert "“Kanban”" in understood.message and "Don't know" in understood.message


# ---------------------------------------------------------------------------------------------- multiple choice


@pytest.mark.parametrize(
    ("text", "values"),
    [
        ("ISO 27001", ["iso27001"]),
        ("iso/iec 27001", ["iso27001"]),
        ("SOC 2 and ISO 27001", ["iso27001", "soc2"]),  # in the question's order, not the message's
        ("27001, soc2", ["iso27001", "soc2"]),
        ("soc 2 & another one", ["soc2", "other"]),
        ("iso27001 plus soc2", ["iso27001", "soc2"]),
        ("ISO 27001, SOC 2 and another one", ["iso27001", "soc2", "other"]),
        ("soc2, soc 2", ["soc2"]),
        ("other", ["other"]),
    ],
)
def test_multiple_choice_lists(text, values):
    assert answer(CERTIFICATES, text) == values


@pytest.mark.parametrize("text", ["none", "None.", "nothing", "none of them", "we have none", "no", "not yet"])
def test_none_maps_to_the_none_option(text):
    assert answer(CERTIFICATES, text) == ["none"]


def test_none_cannot_go_with_other_options():
    assert "“None yet” can't go with other options" in unclear(CERTIFICATES, "none and soc2")


def test_an_unknown_item_in_a_list_is_named():
    message = unclear(CERTIFICATES, "iso 27001 and bananas")
    assert "“bananas”" in message
    assert "“ISO/IEC 27001”" in message


def test_a_typo_in_one_item_makes_the_list_a_question():
    understood = confirm(CERTIFICATES, "27001 and sco 2")
    assert understood.value == ["iso27001", "soc2"]
    assert understood.message == "Did you mean “ISO/IEC 27001” and “SOC 2 report”?"


def test_a_label_containing_and_is_one_option():
    complaints = question("multiple_choice", options=SATISFACTION.options)
    assert answer(complaints, "we only react to complaints and support tickets") == ["complaints_only"]


def test_dont_know_which_options():
    assert answer(CERTIFICATES, "not sure") == "dont_know"


# ---------------------------------------------------------------------------------------------- text


@pytest.mark.parametrize(
    "text",
    ["We release weekly.", "define the scope better", "what is left is the audit", "no", "Explain our process"],
)
def test_text_is_the_answer_as_typed(text):
    assert answer(NOTES, text) == text


def test_text_is_stripped_but_otherwise_kept():
    assert answer(NOTES, "  Two  spaces\nand a line  ") == "Two  spaces\nand a line"


@pytest.mark.parametrize(("text", "expected"), [("skip", "skip"), ("go back please", "back"), ("why?", "why")])
def test_a_whole_command_phrase_is_a_command_even_for_text(text, expected):
    assert command(NOTES, text).command == expected


def test_a_question_on_its_own_is_asked_even_for_text():
    assert command(NOTES, "what is a nonconformity?").topic == "nonconformity"


def test_dont_know_beside_words_that_match_no_option_is_a_plain_dont_know():
    # Found by the property test below: the leftover words matched no option, and there was no guess to offer.
    assert understand(METHOD, "not sure, maybe zzzz") == Understood("answer", "dont_know")


def test_text_longer_than_allowed_is_unclear():
    assert unclear(NOTES, "x" * 41) == "I can't record that: text is 41 characters long; at most 40."


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
