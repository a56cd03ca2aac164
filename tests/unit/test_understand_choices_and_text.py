"""What the chat understands from a typed answer to a choice or free-text question."""

from __future__ import annotations

import pytest

from app.interview.understand import Understood, understand

from .understanding import (
    CERTIFICATES,
    METHOD,
    NOTES,
    SATISFACTION,
    answer,
    command,
    confirm,
    question,
    unclear,
)

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
