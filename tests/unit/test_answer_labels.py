"""How an answer reads inside an explanation: a multiple-choice answer must show where each choice ends."""

from __future__ import annotations

import pytest

from app.config import PROJECT_ROOT
from app.engine import load_knowledge_base
from app.knowledge.answers import answer_label


@pytest.fixture(scope="module")
def kb():
    return load_knowledge_base(PROJECT_ROOT)


def test_choices_whose_labels_hold_commas_are_separated_by_semicolons(kb):
    question = kb.questionnaire("iso9001-software").question("objectives_measure_types")
    chosen = [o.value for o in question.options[:2]]
    labels = [o.label for o in question.options[:2]]
    assert all("," in label for label in labels)
    assert answer_label(question, chosen) == "; ".join(labels)


def test_plain_labels_keep_their_commas(kb):
    question = kb.questionnaire("iso9001-software").question("existing_certifications")
    chosen = [o.value for o in question.options if "," not in o.label][:2]
    assert len(chosen) == 2
    assert answer_label(question, chosen) == ", ".join(o.label for o in question.options if o.value in chosen)
