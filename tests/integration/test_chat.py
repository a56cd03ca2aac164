"""The interview through HTTP: htmx fragments, plain form posts, commands, edits, resuming, escaping."""

from __future__ import annotations

import html as markup
import re
import sys

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import Role
from app.services import answers, assessments

from .. import factories
from ..webclient import csrf_from, login


def page(client, assessment_id):
    return client.get(f"/workspace/assessments/{assessment_id}/chat").get_data(as_text=True)


def send(client, assessment_id, htmx=True, **data):
    token = csrf_from(client, f"/workspace/assessments/{assessment_id}/chat")
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post(
        f"/workspace/assessments/{assessment_id}/chat", data={"csrf_token": token, **data}, headers=headers
    )


def current_question(html: str) -> str:
    return re.search(r'name="question_id" value="([^"]+)"', html).group(1)


BUBBLE = re.compile(r'<li class="bubble (user|assistant) ([a-z]+)"[^>]*>(.*?)</li>', re.DOTALL)


def assistant_bubbles(html: str) -> list[tuple[str, str]]:
    """The assistant's bubbles in order, each as (kind, text as the user reads it)."""
    return [
        (kind, " ".join(markup.unescape(re.sub(r"<[^>]+>", " ", text)).split()))
        for role, kind, text in BUBBLE.findall(html)
        if role == "assistant"
    ]


def last_said(html: str) -> str:
    """What the assistant said last, as the user reads it: not what any other part of the page says."""
    bubbles = assistant_bubbles(html)
    assert bubbles, "the assistant said nothing"
    return bubbles[-1][1]


def last_reply(html: str) -> str:
    """The assistant's last answer to a command (what an aside says, before the pending question is asked again)."""
    replies = [text for kind, text in assistant_bubbles(html) if kind in ("reply", "plan")]
    assert replies, "the assistant answered nothing"
    return replies[-1]


def test_the_first_question_is_asked_and_a_quick_reply_moves_on(chat):
    client, assessment_id, app = chat
    html = page(client, assessment_id)
    first = current_question(html)
    assert first == "people_in_scope"
    response = send(client, assessment_id, text="about 40 people")
    fragment = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in fragment
    assert "about 40 people" in fragment  # the user's bubble
    assert 'hx-swap-oob="true"' in fragment  # composer and progress replaced out of band
    assert current_question(fragment) != first
    with app.app_context():
        answer = answers.answers_of(assessments.tenancy.assessment_for(_owner(app), assessment_id))
        assert answer["people_in_scope"].value == 40


def _owner(app):
    from app.extensions import db
    from app.models import User

    return db.session.scalars(db.select(User).order_by(User.id)).first()


def test_a_major_gap_is_announced_in_one_line(chat):
    client, assessment_id, _ = chat
    fragment = send(client, assessment_id, question_id="scope_documented", value="no").get_data(as_text=True)
    assert "Noted:" in fragment and "4.3 would be a major nonconformity" in fragment
    notices = [text for kind, text in assistant_bubbles(fragment) if kind == "notice"]
    assert len(notices) == 1 and notices[0].startswith("Noted: ") and notices[0].endswith("a major nonconformity.")
    cleared = send(client, assessment_id, question_id="scope_documented", value="yes").get_data(as_text=True)
    assert "clears a major gap on 4.3" in cleared
    assert [t for k, t in assistant_bubbles(cleared) if k == "notice"][-1].startswith("Good: that clears a major gap")


def test_an_assessment_saved_before_its_open_majors_were_kept_still_announces_what_an_answer_clears(chat):
    client, assessment_id, app = chat
    send(client, assessment_id, question_id="scope_documented", value="no")
    with app.app_context():  # as a row migrated from before the column: which majors are open is unknown
        db.session.execute(
            sa.update(assessments.Assessment)
            .where(assessments.Assessment.id == assessment_id)
            .values(open_major_ids=None)
        )
        db.session.commit()
    cleared = send(client, assessment_id, question_id="scope_documented", value="yes").get_data(as_text=True)
    assert "clears a major gap on 4.3" in cleared
    with app.app_context():
        assert db.session.get(assessments.Assessment, assessment_id).open_major_ids == []


def test_commands_skip_progress_why_and_glossary(chat, real_kb):
    client, assessment_id, _ = chat
    first = current_question(page(client, assessment_id))
    skipped = send(client, assessment_id, text="skip").get_data(as_text=True)
    assert "Skipped for now" in skipped and current_question(skipped) != first
    assert [kind for kind, _ in assistant_bubbles(skipped)][-2:] == ["reply", "question"]
    assert assistant_bubbles(skipped)[-2][1].startswith("Skipped for now")
    left = last_reply(send(client, assessment_id, text="what's left?").get_data(as_text=True))
    assert re.fullmatch(
        r"You have answered 0 of the (\d+) questions that matter so far \(\1 left\)\. .+ 0/\d+.*\.", left
    )
    asked = real_kb.questionnaire("quick-scan").question(current_question(skipped))
    why = last_reply(send(client, assessment_id, text="why do you ask?").get_data(as_text=True))
    assert why.startswith(" ".join(asked.why.split()))
    meaning = last_reply(send(client, assessment_id, text="what does corrective action mean?").get_data(as_text=True))
    assert meaning.startswith("Corrective action: ")


def test_why_names_the_clauses_a_question_is_about(chat, real_kb):
    client, assessment_id, _ = chat
    send(client, assessment_id, question_id="scope_documented", value="partly")  # leaves the profile questions
    question = real_kb.questionnaire("quick-scan").question("scope_documented")
    token = csrf_from(client, f"/workspace/assessments/{assessment_id}/chat")
    client.post(f"/workspace/assessments/{assessment_id}/chat/revisit/scope_documented", data={"csrf_token": token})
    why = last_reply(send(client, assessment_id, text="why do you ask?").get_data(as_text=True))
    assert why.startswith(" ".join(question.why.split()))
    for clause in question.clauses:
        assert f"Clause {clause} (" in why


def test_the_glossary_explains_a_clause_by_its_number_and_says_when_it_knows_nothing(chat):
    client, assessment_id, _ = chat
    page(client, assessment_id)
    clause = last_reply(send(client, assessment_id, text="what does clause 9.2 mean?").get_data(as_text=True))
    assert clause.startswith("Clause 9.2, ")
    unknown = last_reply(send(client, assessment_id, text="what does zyxwvut mean?").get_data(as_text=True))
    assert unknown.startswith("I have nothing on “zyxwvut” in the glossary.")


def test_back_asks_the_last_answered_question_again(chat):
    client, assessment_id, _ = chat
    page(client, assessment_id)
    nothing = send(client, assessment_id, text="back").get_data(as_text=True)
    assert last_said(nothing) == "There is no earlier answer to go back to."
    send(client, assessment_id, text="12")
    back = send(client, assessment_id, text="back").get_data(as_text=True)
    kind, said = assistant_bubbles(back)[-1]
    assert kind == "revisit" and said.startswith("Going back: you said “12")
    assert current_question(back) == "people_in_scope"


def test_help_and_words_that_are_no_answer_get_the_help_text(chat):
    from app.interview.replies import HELP

    client, assessment_id, _ = chat
    page(client, assessment_id)
    assert last_reply(send(client, assessment_id, text="help").get_data(as_text=True)) == HELP
    send(client, assessment_id, text="12")
    unclear = last_said(send(client, assessment_id, text="blorp").get_data(as_text=True))
    assert unclear != HELP and unclear.startswith("I couldn")  # understand says what it expected instead


def test_show_my_plan_answers_with_a_short_list_and_a_link_to_the_plan(chat):
    client, assessment_id, _ = chat
    for question_id in ("scope_documented", "context_and_parties", "quality_policy", "roles_defined", "risks_managed"):
        send(client, assessment_id, question_id=question_id, value="no")
    fragment = send(client, assessment_id, text="show my plan").get_data(as_text=True)
    bubble = re.findall(r'<li class="bubble assistant plan"[^>]*>(.*?)</li>\s*(?=<li class="bubble|$)', fragment, re.S)
    assert bubble, "no plan bubble"
    items = re.findall(r"<li>(.*?)</li>", bubble[-1], re.S)
    assert 1 <= len(items) <= 5 and all(re.fullmatch(r"\d+\. .+ \(.+\)", markup.unescape(i)) for i in items)
    assert "more." not in bubble[-1]  # no run-on "and 11 more": the plan page has the rest
    assert f'href="/workspace/assessments/{assessment_id}/plan"' in bubble[-1]
    assert assistant_bubbles(fragment)[-1][0] == "question"  # and the pending question asked again


def test_a_quick_reply_is_one_transaction_that_reads_the_answers_once(chat):
    client, assessment_id, app = chat
    token = csrf_from(client, f"/workspace/assessments/{assessment_id}/chat")
    statements, commits = [], []
    with app.app_context():
        engine = db.engine

    def statement(conn, cursor, sql, parameters, context, executemany):
        statements.append(sql)

    def committed(session):
        commits.append(session)

    sa.event.listen(engine, "before_cursor_execute", statement)
    sa.event.listen(db.session, "after_commit", committed)
    try:
        fragment = client.post(
            f"/workspace/assessments/{assessment_id}/chat",
            data={"csrf_token": token, "question_id": "scope_documented", "value": "no"},
            headers={"HX-Request": "true"},
        ).get_data(as_text=True)
    finally:
        sa.event.remove(engine, "before_cursor_execute", statement)
        sa.event.remove(db.session, "after_commit", committed)
    assert "Noted:" in fragment and current_question(fragment) != "scope_documented"
    assert len(commits) == 1  # the answer, its bubbles and the next question together
    assert sum(sql.lstrip().startswith("SELECT answers.question_id, answers.value") for sql in statements) == 1


def test_a_quick_reply_takes_one_connection_and_writes_its_bubbles_in_one_statement(chat):
    # Each check-out is a round trip more on PostgreSQL (the pool pings the server): the transcript is read in
    # the writing transaction, and a session that did not change is not saved.
    client, assessment_id, app = chat
    token = csrf_from(client, f"/workspace/assessments/{assessment_id}/chat")
    statements, checkouts = [], []
    with app.app_context():
        engine = db.engine

    def statement(conn, cursor, sql, parameters, context, executemany):
        statements.append(sql)

    def checkout(dbapi_connection, record, proxy):
        checkouts.append(record)

    sa.event.listen(engine, "before_cursor_execute", statement)
    sa.event.listen(engine, "checkout", checkout)
    try:
        fragment = client.post(
            f"/workspace/assessments/{assessment_id}/chat",
            data={"csrf_token": token, "question_id": "scope_documented", "value": "no", "after": "0"},
            headers={"HX-Request": "true"},
        ).get_data(as_text=True)
    finally:
        sa.event.remove(engine, "before_cursor_execute", statement)
        sa.event.remove(engine, "checkout", checkout)
    assert "Noted:" in fragment and current_question(fragment) != "scope_documented"
    assert len(re.findall(r'<li class="bubble', fragment)) >= 3  # the question, the answer, the next question
    assert len(checkouts) == 1
    assert sum(sql.lstrip().startswith("INSERT INTO chat_messages") for sql in statements) == 1


def test_a_quick_reply_works_out_what_to_ask_next_before_its_first_write(chat, monkeypatch):
    # With SQLite the first write locks the database for every worker until the commit: nothing but writes
    # should happen inside that window.
    from app.services import interview

    client, assessment_id, app = chat
    token = csrf_from(client, f"/workspace/assessments/{assessment_id}/chat")
    events = []
    with app.app_context():
        engine = db.engine

    def statement(conn, cursor, sql, parameters, context, executemany):
        if sql.lstrip().startswith(("INSERT", "UPDATE", "DELETE")):
            events.append("write")

    def next_question(*args, **kwargs):
        events.append("next question")
        return choose(*args, **kwargs)

    choose = interview.next_question
    monkeypatch.setattr(interview, "next_question", next_question)
    sa.event.listen(engine, "before_cursor_execute", statement)
    try:
        fragment = client.post(
            f"/workspace/assessments/{assessment_id}/chat",
            data={"csrf_token": token, "question_id": "scope_documented", "value": "no"},
            headers={"HX-Request": "true"},
        ).get_data(as_text=True)
    finally:
        sa.event.remove(engine, "before_cursor_execute", statement)
    assert "Noted:" in fragment and current_question(fragment) != "scope_documented"
    assert "write" in events and events.index("next question") < events.index("write")


def test_a_past_answer_can_be_changed(chat):
    client, assessment_id, app = chat
    send(client, assessment_id, question_id="scope_documented", value="no")
    token = csrf_from(client, f"/workspace/assessments/{assessment_id}/chat")
    revisit = client.post(
        f"/workspace/assessments/{assessment_id}/chat/revisit/scope_documented",
        data={"csrf_token": token},
        headers={"HX-Request": "true"},
    ).get_data(as_text=True)
    assert "revisit this one" in revisit and current_question(revisit) == "scope_documented"
    send(client, assessment_id, text="yes")
    with app.app_context():
        found = assessments.tenancy.assessment_for(_owner(app), assessment_id)
        answer = answers.answers_of(found)["scope_documented"]
        assert answer.value == "yes" and answer.version == 2


def test_without_javascript_a_post_redirects_back_to_the_page(chat):
    client, assessment_id, _ = chat
    response = send(client, assessment_id, htmx=False, question_id="scope_documented", value="partly")
    assert response.status_code == 302 and response.headers["Location"].endswith("/chat#composer")
    assert "Partly" in page(client, assessment_id)


def test_resuming_shows_the_same_conversation(chat):
    client, assessment_id, app = chat
    send(client, assessment_id, text="12")
    before = page(client, assessment_id)
    again = app.test_client()
    with app.app_context():
        email = _owner(app).email
    login(again, email)
    after = again.get(f"/workspace/assessments/{assessment_id}/chat").get_data(as_text=True)
    bubbles = lambda html: re.findall(r'<li class="bubble[^"]*" id="(m\d+)"', html)  # noqa: E731
    assert bubbles(before) == bubbles(after) and current_question(before) == current_question(after)


def test_typed_html_is_shown_as_text(chat):
    client, assessment_id, _ = chat
    fragment = send(client, assessment_id, text="<script>alert(1)</script>").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in fragment
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in fragment
    note = send(client, assessment_id, question_id="scope_documented", value="no", note="<img src=x onerror=alert(1)>")
    assert note.status_code == 200
    assert "<img src=x" not in page(client, assessment_id)


def test_viewers_read_but_cannot_answer(chat):
    client, assessment_id, app = chat
    with app.app_context():
        owner = _owner(app)
        found = assessments.tenancy.assessment_for(owner, assessment_id)
        viewer = factories.member(found.organisation_id, Role.VIEWER, owner)
        email = viewer.email
    other = app.test_client()
    login(other, email)
    html = other.get(f"/workspace/assessments/{assessment_id}/chat").get_data(as_text=True)
    assert "can read this interview but not answer" in html
    token = csrf_from(other, f"/workspace/assessments/{assessment_id}/chat")
    refused = other.post(f"/workspace/assessments/{assessment_id}/chat", data={"csrf_token": token, "text": "yes"})
    assert refused.status_code == 403


def test_section_form_saves_all_or_nothing(chat):
    client, assessment_id, app = chat
    url = f"/workspace/assessments/{assessment_id}/sections/profile"
    token = csrf_from(client, url)
    bad = client.post(url, data={"csrf_token": token, "q-people_in_scope": "lots", "q-outsourcing": "no"})
    assert bad.status_code == 422 and "expected a number" in bad.get_data(as_text=True)
    with app.app_context():
        found = assessments.tenancy.assessment_for(_owner(app), assessment_id)
        assert "outsourcing" not in answers.answers_of(found)
    good = client.post(url, data={"csrf_token": token, "q-people_in_scope": "15", "q-outsourcing": "no"})
    assert good.status_code == 302
    with app.app_context():
        found = assessments.tenancy.assessment_for(_owner(app), assessment_id)
        assert answers.answers_of(found)["people_in_scope"].value == 15


def test_a_repeat_assessment_walks_through_the_copied_answers_first(chat):
    client, assessment_id, app = chat
    send(client, assessment_id, question_id="scope_documented", value="partly")
    with app.app_context():
        owner = _owner(app)
        assessments.complete_assessment(owner, assessment_id)
        repeat_id = assessments.repeat_assessment(owner, assessment_id).id
    html = page(client, repeat_id)
    assert current_question(html) == "scope_documented"
    assert "Last time you said “Partly”" in html and "Is that still true?" in html
    confirmed = send(client, repeat_id, question_id="scope_documented", value="partly").get_data(as_text=True)
    assert current_question(confirmed) != "scope_documented"
    with app.app_context():
        found = assessments.tenancy.assessment_for(_owner(app), repeat_id)
        assert answers.answers_of(found)["scope_documented"].to_confirm is False


@pytest.fixture
def checks(monkeypatch):
    """The questions check_value is called for, wherever in the app it is called from."""
    from app.knowledge import answers as knowledge_answers

    original, calls = knowledge_answers.check_value, []

    def counted(question, value):
        calls.append(question.id)
        return original(question, value)

    for name, module in list(sys.modules.items()):
        if (name == "app" or name.startswith("app.")) and getattr(module, "check_value", None) is original:
            monkeypatch.setattr(module, "check_value", counted)
    return calls


def test_an_answer_is_checked_once_on_its_way_in_whether_clicked_or_typed(chat, checks):
    client, assessment_id, app = chat
    page(client, assessment_id)
    checks.clear()
    clicked = send(client, assessment_id, question_id="scope_documented", value="no").get_data(as_text=True)
    assert "Noted:" in clicked and checks.count("scope_documented") == 1
    checks.clear()
    send(client, assessment_id, text="about 40 people")  # the open question: understand reads and checks it
    assert checks.count("people_in_scope") == 1
    with app.app_context():
        found = answers.answers_of(assessments.tenancy.assessment_for(_owner(app), assessment_id))
        assert found["scope_documented"].value == "no" and found["people_in_scope"].value == 40


def test_a_refused_answer_keeps_its_reason_and_saves_nothing(chat):
    client, assessment_id, app = chat
    page(client, assessment_id)
    refused = send(client, assessment_id, question_id="scope_documented", value="maybe").get_data(as_text=True)
    assert "expected one of yes, partly, no, dont_know, not_applicable, got 'maybe'" in markup.unescape(refused)
    long_note = send(client, assessment_id, text="about 40 people", note="x" * 4001).get_data(as_text=True)
    assert "note and evidence must be text of at most 4000" in long_note
    with app.app_context():
        assert answers.answers_of(assessments.tenancy.assessment_for(_owner(app), assessment_id)) == {}
