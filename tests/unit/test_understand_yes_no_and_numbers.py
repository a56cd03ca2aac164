"""What the chat understands from a typed answer to a yes/no, number or scale question."""

from __future__ import annotations

import pytest

from .understanding import (
    LEADERSHIP,
    LEVEL,
    PEOPLE,
    UNBOUNDED,
    YES_NO,
    YES_NO_ANSWERS,
    answer,
    confirm,
    unclear,
)

# ---------------------------------------------------------------------------------------------- yes / no


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
