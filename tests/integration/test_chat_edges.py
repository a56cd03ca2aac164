"""The chat's rough edges, through HTTP: what an empty or unusual click gets, what an aside leaves behind, and the
chat's own state (the sidebar, skips, the total, the introduction) agreeing with what it says."""

from __future__ import annotations

import html as markup
import re

from app.services import answers, assessments

from .test_chat import _owner, assistant_bubbles, current_question, last_reply, page, send

URL = "/workspace/assessments/{}/chat"


def revisit(client, assessment_id, question_id):
    from ..webclient import csrf_from

    token = csrf_from(client, URL.format(assessment_id))
    return client.post(
        f"{URL.format(assessment_id)}/revisit/{question_id}", data={"csrf_token": token}, headers={"HX-Request": "true"}
    ).get_data(as_text=True)


def stored(app, assessment_id):
    with app.app_context():
        return {
            q: a.value
            for q, a in answers.answers_of(assessments.tenancy.assessment_for(_owner(app), assessment_id)).items()
        }


def bubbles(html):
    return re.findall(r'<li class="bubble', html)


def composer(html):
    return html[html.index('id="composer"') :]


def any_answer(question):
    """A valid answer of each kind, as a quick reply posts it."""
    if question.kind == "single_choice":
        return {"value": question.options[0].value}
    if question.kind == "multiple_choice":
        return {"values": question.options[-1].value}
    return {"yes_no": {"value": "partly"}, "scale": {"value": "3", "kind": "scale"}, "number": {"text": "12"}}[
        question.kind
    ]


def last_id(html):
    return re.findall(r'data-id="(\d+)"', html)[-1]


# ---------------------------------------------------------------------------------------------- 1, 2: choices


def test_saving_no_ticked_option_says_what_to_do_and_saves_nothing(chat, real_kb):
    client, assessment_id, app = chat
    question = next(q for q in real_kb.questionnaire("quick-scan").questions if q.kind == "multiple_choice")
    before = page(client, assessment_id)
    fragment = send(client, assessment_id, question_id=question.id, kind="multiple_choice", after="999999")
    said = markup.unescape(fragment.get_data(as_text=True))
    assert fragment.status_code == 200
    assert re.search(r'role="alert">Nothing was saved: tick at least one option, or choose “None yet” or “Don', said)
    assert not bubbles(said)  # no bubble: nothing was said or saved
    assert stored(app, assessment_id) == {} and page(client, assessment_id).count('<li class="bubble') == len(
        bubbles(before)
    )
    plain = send(client, assessment_id, htmx=False, question_id=question.id, kind="multiple_choice")
    assert plain.status_code == 422 and "tick at least one option" in plain.get_data(as_text=True)


def test_every_kind_of_question_offers_dont_know(chat, real_kb):
    client, assessment_id, app = chat
    page(client, assessment_id)
    questionnaire = real_kb.questionnaire("quick-scan")
    kinds = {}
    for question in questionnaire.questions:
        kinds.setdefault(question.kind, question)
    assert {"yes_no", "single_choice", "multiple_choice", "scale", "number"} <= set(kinds)
    for kind, question in kinds.items():
        shown = composer(revisit(client, assessment_id, question.id))
        assert current_question(shown) == question.id
        assert re.search(
            r'<button type="submit" name="value" value="dont_know"[^>]*>Don(\'|&#39;)t know</button>', shown
        ), kind
    choice = kinds["multiple_choice"]
    send(client, assessment_id, question_id=choice.id, kind="multiple_choice", value="dont_know")
    assert stored(app, assessment_id)[choice.id] == "dont_know"


# ---------------------------------------------------------------------------------------------- 3: number ranges


def test_a_number_question_offers_ranges_that_save_a_number_it_accepts(chat):
    client, assessment_id, app = chat
    first = composer(page(client, assessment_id))
    assert current_question(first) == "people_in_scope"
    offered = re.findall(r'<button type="submit" name="value" value="([\d.]+)">([^<]+)</button>', first)
    assert [label for _, label in offered] == [
        "Up to 10 people",
        "11–25 people",
        "26–100 people",
        "101–500 people",
        "More than 500 people",
    ]
    fragment = send(client, assessment_id, question_id="people_in_scope", kind="number", value="25")
    said = fragment.get_data(as_text=True)
    assert re.search(r'<span class="answer-text" id="a\d+">11–25 people</span>', said)  # the range, as clicked
    assert stored(app, assessment_id)["people_in_scope"] == 25
    assert current_question(said) != "people_in_scope"


# ---------------------------------------------------------------------------------------------- 4: asides


def test_after_any_aside_the_pending_question_is_asked_again_with_its_replies(chat, real_kb):
    client, assessment_id, _ = chat
    send(client, assessment_id, question_id="people_in_scope", kind="number", value="25")
    question = real_kb.questionnaire("quick-scan").question(current_question(page(client, assessment_id)))
    for aside in ("what does nonconformity mean?", "why do you ask?", "progress", "help", "show my plan"):
        fragment = send(client, assessment_id, text=aside, after="0").get_data(as_text=True)
        kinds = [kind for kind, _ in assistant_bubbles(fragment)]
        assert kinds[-2] in ("reply", "plan"), aside
        assert (
            kinds[-1] == "question" and assistant_bubbles(fragment)[-1][1] == f"Back to the question: {question.text}"
        )
        assert current_question(fragment) == question.id and 'name="value"' in composer(fragment)
    nonconformity = last_reply(send(client, assessment_id, text="what does nonconformity mean?").get_data(as_text=True))
    assert nonconformity.startswith("Nonconformity: ") and not nonconformity.endswith("too.")


def test_an_aside_during_a_revisit_keeps_the_revisit(chat):
    client, assessment_id, _ = chat
    send(client, assessment_id, question_id="scope_documented", value="no")
    revisit(client, assessment_id, "scope_documented")
    fragment = send(client, assessment_id, text="why do you ask?").get_data(as_text=True)
    kind, said = assistant_bubbles(fragment)[-1]
    assert kind == "revisit" and said.startswith("Back to the question (you said “No”):")
    assert current_question(fragment) == "scope_documented"


# ---------------------------------------------------------------------------------------------- 5, 6: links


def test_the_chat_links_to_the_results_and_the_plan_from_the_first_question(chat):
    client, assessment_id, _ = chat
    html = page(client, assessment_id)
    assert current_question(html) == "people_in_scope"  # nothing answered yet
    results, plan = f"/workspace/assessments/{assessment_id}/results", f"/workspace/assessments/{assessment_id}/plan"
    assert f'href="{results}">Results so far</a>' in html and f'href="{plan}">Plan so far</a>' in html
    assert client.get(results).status_code == 200 and client.get(plan).status_code == 200
    assert re.search(r"<h1[^>]*>Interview: ", html)


def test_an_answer_bubble_has_a_visible_change_button(chat):
    client, assessment_id, _ = chat
    fragment = send(client, assessment_id, question_id="scope_documented", value="partly").get_data(as_text=True)
    answer = re.search(r'<span class="answer-text" id="(a\d+)">Partly</span>', fragment)
    button = re.search(r'<button type="submit" class="answer-edit" aria-describedby="([^"]+)">(.*?)</button>', fragment)
    assert answer and button, "no change button in the answer bubble"
    assert re.sub(r"<[^>]+>", "", button.group(2)).strip() == "✎ Change"
    assert button.group(1) == answer.group(1)  # a screen reader hears which answer it changes


# ---------------------------------------------------------------------------------------------- 7, 8: state


def test_an_answer_that_adds_follow_ups_says_so(chat):
    client, assessment_id, _ = chat
    html = page(client, assessment_id)
    total = int(re.search(r'name="total" value="(\d+)"', html).group(1))
    fragment = send(client, assessment_id, question_id="quality_policy", value="partly", total=str(total))
    said = fragment.get_data(as_text=True)
    now = int(re.search(r"Answered \d+ of (\d+) questions", said).group(1))
    assert now == total + 3
    notice = [text for kind, text in assistant_bubbles(said) if kind == "notice" and "follow-up" in text]
    assert notice and notice[0].startswith("3 follow-up questions added because you answered “Partly” to “")
    again = send(client, assessment_id, question_id="quality_policy", value="no", total=str(now)).get_data(as_text=True)
    assert any(t.startswith("3 follow-up questions no longer apply") for k, t in assistant_bubbles(again))
    same = send(
        client, assessment_id, question_id="scope_documented", value="no", total=str(total), after=last_id(again)
    )
    assert not any("follow-up" in t for _, t in assistant_bubbles(same.get_data(as_text=True)))


def test_the_sections_sidebar_is_updated_with_the_total(chat):
    client, assessment_id, _ = chat
    page(client, assessment_id)
    fragment = send(client, assessment_id, question_id="scope_documented", value="yes").get_data(as_text=True)
    sidebar = re.search(r'<aside id="sections"[^>]*hx-swap-oob="true"[^>]*>(.*?)</aside>', fragment, re.S)
    assert sidebar, "the sidebar is not swapped with the answer"
    counts = [tuple(map(int, c)) for c in re.findall(r"<small>(\d+)/(\d+)</small>", sidebar.group(1))]
    top = re.search(r"Answered (\d+) of (\d+) questions", fragment)
    assert sum(a for a, _ in counts) == int(top.group(1)) == 1
    assert sum(r for _, r in counts) == int(top.group(2))


def test_a_skipped_question_comes_back_at_the_end_and_skipping_it_again_moves_on(chat, real_kb):
    client, assessment_id, _ = chat
    questionnaire = real_kb.questionnaire("quick-scan")
    html = page(client, assessment_id)
    skipped = [current_question(html)]
    said = send(client, assessment_id, text="skip").get_data(as_text=True)
    assert (
        assistant_bubbles(said)[-2][1] == "Skipped for now; I will ask it again once the other questions are answered."
    )
    skipped.append(current_question(said))
    said = send(client, assessment_id, text="skip").get_data(as_text=True)
    for _ in range(60):
        current = current_question(said)
        if current in skipped:
            break
        said = send(client, assessment_id, question_id=current, **any_answer(questionnaire.question(current)))
        said = said.get_data(as_text=True)
    assert current == skipped[0]  # the one skipped first comes back first, once everything else is answered
    assert assistant_bubbles(said)[-1][1] == f"You skipped this one earlier. {questionnaire.question(current).text}"
    again = send(client, assessment_id, text="skip").get_data(as_text=True)
    assert assistant_bubbles(again)[-2][1].startswith("Skipped again. It stays unanswered")
    assert current_question(again) == skipped[1]  # not the same one over and over


def test_skipping_an_answered_question_keeps_its_answer_and_says_so(chat):
    client, assessment_id, app = chat
    send(client, assessment_id, question_id="scope_documented", value="no")
    revisit(client, assessment_id, "scope_documented")
    said = send(client, assessment_id, text="skip").get_data(as_text=True)
    assert "Kept your answer “No”; moving on." in [text for _, text in assistant_bubbles(said)]
    assert current_question(said) != "scope_documented" and stored(app, assessment_id)["scope_documented"] == "no"


def test_a_new_chat_starts_with_an_introduction_and_a_time_estimate(chat):
    client, assessment_id, _ = chat
    html = page(client, assessment_id)
    total = int(re.search(r"Answered 0 of (\d+) questions", html).group(1))
    first, second = assistant_bubbles(html)[:2]
    assert first[0] == "reply" and re.match(
        rf"Hello! This interview has {total} questions, and takes about \d+ minutes", first[1]
    )
    assert second[0] == "question"
    assert page(client, assessment_id).count("Hello! This interview") == 1  # said once, not on every visit


def test_the_section_form_takes_dont_know_for_a_multiple_choice_question(chat, real_kb):
    from ..webclient import csrf_from

    client, assessment_id, app = chat
    question = next(q for q in real_kb.questionnaire("quick-scan").questions if q.kind == "multiple_choice")
    url = f"/workspace/assessments/{assessment_id}/sections/{question.section}"
    token = csrf_from(client, url)
    saved = client.post(url, data={"csrf_token": token, f"q-{question.id}": ["dont_know", question.options[1].value]})
    assert saved.status_code == 302 and stored(app, assessment_id)[question.id] == "dont_know"
    again = client.get(url).get_data(as_text=True)
    assert re.search(rf'name="q-{question.id}" value="dont_know" checked', again)
    assert not re.search(rf'name="q-{question.id}" value="{question.options[1].value}" checked', again)
