"""A compound question split into a checklist (issue 12): the yes/no stays, and "partly" asks one multiple-choice
question naming the missing parts, like review_inputs_missed. The ids of the compound questions are kept, so
answers stored before the split still mean what they meant and need no migration; an assessment saved then
opens and asks the checklist next. Shown on defect_handling in the quick scan, through the chat, the section
form and a repeat assessment.
"""

from __future__ import annotations

import html as markup

from app.planning.assess import assess
from app.services import assessments

from ..webclient import csrf_from
from .test_chat import _owner, current_question, page, send
from .test_exclusions import stored

PARENT, CHECKLIST = "defect_handling", "defect_handling_missing"
RETEST_LABEL = "The fix is re-tested before the ticket is closed"


def _email(app):
    with app.app_context():
        return _owner(app).email


def results(client, assessment_id) -> str:
    return markup.unescape(client.get(f"/workspace/assessments/{assessment_id}/results").get_data(as_text=True))


def revisit(client, assessment_id, question_id) -> str:
    client.post(
        f"/workspace/assessments/{assessment_id}/chat/revisit/{question_id}",
        data={"csrf_token": csrf_from(client, f"/workspace/assessments/{assessment_id}/chat")},
    )
    return page(client, assessment_id)


def test_partly_in_the_chat_asks_which_parts_are_missing_and_the_finding_names_them(chat):
    client, assessment_id, app = chat
    send(client, assessment_id, question_id=PARENT, value="partly")
    html = revisit(client, assessment_id, CHECKLIST)
    assert current_question(html) == CHECKLIST
    assert 'type="checkbox" name="values" value="retested"' in html
    send(client, assessment_id, question_id=CHECKLIST, values=["retested", "known_issue_decision"])
    assert stored(app, _email(app), assessment_id)[CHECKLIST][0] == ["retested", "known_issue_decision"]
    shown = results(client, assessment_id)
    assert "Handling of defects and failed releases has gaps" in shown
    assert RETEST_LABEL in shown


def test_the_checklist_counts_only_after_partly(real_kb):
    given = {PARENT: "yes", CHECKLIST: ("retested",)}
    assert CHECKLIST in assess(real_kb, "quick-scan", given).to_dict()["ignored"]
    given[PARENT] = "partly"
    assert CHECKLIST not in assess(real_kb, "quick-scan", given).to_dict()["ignored"]


def test_the_section_form_shows_and_saves_the_checklist(chat):
    client, assessment_id, app = chat
    url = f"/workspace/assessments/{assessment_id}/sections/operation"
    token = csrf_from(client, url)
    assert f'name="q-{CHECKLIST}"' not in client.get(url).get_data(as_text=True)  # a follow-up of "partly" only
    client.post(url, data={"csrf_token": token, f"q-{PARENT}": "partly"})
    assert f'name="q-{CHECKLIST}" value="retested"' in client.get(url).get_data(as_text=True)
    saved = client.post(url, data={"csrf_token": token, f"q-{PARENT}": "partly", f"q-{CHECKLIST}": ["retested"]})
    assert saved.status_code == 302
    answers = stored(app, _email(app), assessment_id)
    assert answers[PARENT][0] == "partly" and answers[CHECKLIST][0] == ["retested"]
    assert RETEST_LABEL in results(client, assessment_id)


def test_an_assessment_answered_before_the_split_still_opens(chat):
    client, assessment_id, app = chat
    # As stored before the split: the compound question answered "partly", nothing else about it.
    with app.app_context():
        assessments.save_answers(_owner(app), assessment_id, {PARENT: {"value": "partly"}})
    for path in ("results", "chat", "sections/operation"):
        assert client.get(f"/workspace/assessments/{assessment_id}/{path}").status_code == 200, path
    assert "Handling of defects and failed releases has gaps" in results(client, assessment_id)
    assert current_question(revisit(client, assessment_id, CHECKLIST)) == CHECKLIST


def test_a_repeat_assessment_confirms_the_checklist_once_not_once_per_part(chat):
    client, assessment_id, app = chat
    send(client, assessment_id, question_id=PARENT, value="partly")
    send(client, assessment_id, question_id=CHECKLIST, values=["retested", "known_issue_decision"])
    with app.app_context():
        owner = _owner(app)
        assessments.complete_assessment(owner, assessment_id)
        repeat_id = assessments.repeat_assessment(owner, assessment_id).id
    html = page(client, repeat_id)
    assert current_question(html) == PARENT
    html = send(client, repeat_id, question_id=PARENT, value="partly").get_data(as_text=True)
    assert current_question(html) == CHECKLIST and "Is that still true?" in html
    html = send(client, repeat_id, question_id=CHECKLIST, values=["retested", "known_issue_decision"]).get_data(
        as_text=True
    )
    assert current_question(html) not in (PARENT, CHECKLIST)
    assert stored(app, _email(app), repeat_id)[CHECKLIST][0] == ["retested", "known_issue_decision"]
