"""Several respondents per assessment: independent answers, consolidation, disagreement as a finding."""

from __future__ import annotations

import io
from dataclasses import dataclass

import openpyxl
import pytest
import sqlalchemy as sa

from app.extensions import db, knowledge_base
from app.models import Respondent, RespondentAnswer, Role, User
from app.planning.assess import assess
from app.schemas.assessments import ComparisonSchema
from app.services import (
    accounts,
    answers,
    assessments,
    comparison,
    consolidation,
    evaluation,
    interview,
    invitations,
    respondents,
    tenancy,
)
from app.services.errors import Conflict, Forbidden, Invalid, NotFound

from .. import factories
from ..apiclient import API
from ..webclient import csrf_from, login, post
from .test_tenancy import Ids, Member, Sender, probes

AUDIT = "internal_audit_held"  # quick-scan, section "evaluation", clause 9.2
SECRET = "ann-private-7c1e"  # in Ann's note: nobody answering beside her may ever see it
DISAGREEMENT = "respondents-disagree-internal-audit"


@dataclass
class Team:
    """The owner, Ann (a contributor invited to the whole interview) and Bob (invited to the evaluation section).
    The fixture's app context is closed before the test runs, as each request opens its own: users are read
    again by id in whatever context the test opens."""

    ids: dict[str, int]
    emails: dict[str, str]
    organisation_id: int
    assessment_id: int

    @property
    def owner(self) -> User:
        return db.session.get(User, self.ids["owner"])

    @property
    def ann(self) -> User:
        return db.session.get(User, self.ids["ann"])

    @property
    def bob(self) -> User:
        return db.session.get(User, self.ids["bob"])


@pytest.fixture
def team(db_app):
    with db_app.app_context():
        organisation, owner = factories.organisation(name="Acme")
        assessment = factories.assessment(owner, organisation.id, title="Workshop")
        assessments.save_answer(owner, assessment.id, AUDIT, "yes", note="owner's view")
        ann, _ = factories.respondent(owner, assessment.id, name="Ann")
        bob, _ = factories.respondent(owner, assessment.id, name="Bob", sections=["evaluation"])
        people = {"owner": owner, "ann": ann, "bob": bob}
        made = Team(
            {k: u.id for k, u in people.items()},
            {k: u.email for k, u in people.items()},
            organisation.id,
            assessment.id,
        )
    return made


def report_of(team: Team):
    return evaluation.evaluate(assessments.tenancy.assessment_for(team.owner, team.assessment_id))


def read(response) -> str:
    """The body as text, the response closed: a streamed one keeps its request context open until then."""
    try:
        return response.get_data().decode("utf-8", "replace")  # exports are binary: their text parts still show
    finally:
        response.close()


def finding(report, finding_id: str) -> dict | None:
    return next((f for f in report.to_dict()["findings"] if f["id"] == finding_id), None)


# ---------------------------------------------------------------------------------------------- one respondent


def test_an_assessment_without_invited_respondents_behaves_exactly_as_before(db_app):
    with db_app.app_context():
        organisation, owner = factories.organisation()
        assessment = factories.assessment(owner, organisation.id)
        assessments.save_answer(owner, assessment.id, AUDIT, "no", note="never done")
        assessments.save_answer(owner, assessment.id, "scope_documented", "partly")
        assert not assessment.has_respondents
        assert answers.answers_of(assessment)[AUDIT].note == "never done"
        assert consolidation.consensus_of(assessment) == {}
        # No evidence attached: the app's report counts none (an answers file leaves evidence out altogether).
        plain = assess(knowledge_base(), "quick-scan", {AUDIT: "no", "scope_documented": "partly"}, backed=())
        assert evaluation.evaluate(assessment) == plain
        assert db.session.query(Respondent).count() == 0 and db.session.query(RespondentAnswer).count() == 0


def test_the_first_invitation_keeps_earlier_answers_as_the_answers_of_whoever_gave_them(team, db_app):
    with db_app.app_context():
        assessment = assessments.tenancy.assessment_for(team.owner, team.assessment_id)
        assert assessment.has_respondents
        mine = respondents.respondent_of(team.owner, assessment.id)
        assert mine is not None and respondents.own_answers(mine)[AUDIT].value == "yes"
        assert answers.answers_of(assessment)[AUDIT].value == "yes"  # nothing changed for the report


# ---------------------------------------------------------------------------------------------- consolidation


def test_agreement_counts_as_is_and_contradiction_counts_the_conservative_answer(team, db_app):
    with db_app.app_context():
        assessments.save_answer(team.bob, team.assessment_id, AUDIT, "yes")
        assessment = assessments.tenancy.assessment_for(team.owner, team.assessment_id)
        assert consolidation.consensus_of(assessment)[AUDIT].status == "agreed"
        assert finding(evaluation.evaluate(assessment), DISAGREEMENT) is None

        assessments.save_answer(team.ann, team.assessment_id, AUDIT, "no", note=f"nobody audited us {SECRET}")
        found = consolidation.consensus_of(assessment)[AUDIT]
        assert (found.status, found.value, found.strength) == ("disputed", "no", 2)
        assert answers.answers_of(assessment)[AUDIT].value == "no"


def test_a_contradiction_is_a_finding_that_names_the_question_and_counts_not_people(team, db_app):
    with db_app.app_context():
        assessments.save_answer(team.bob, team.assessment_id, AUDIT, "yes")
        assessments.save_answer(team.ann, team.assessment_id, AUDIT, "no")
        report = report_of(team)
        raised = finding(report, DISAGREEMENT)
        assert raised is not None and raised["clauses"] == ["7.3", "9.2"]
        (reason,) = raised["because"]
        assert reason["kind"] == "disputed" and reason["id"] == AUDIT
        assert "internal audit" in reason["text"] and reason["split"] == "2 said “Yes”, 1 said “No”"
        assert "Ann" not in str(raised) and "Bob" not in str(raised)

        respondents.set_show_names(team.owner, team.assessment_id, True)
        named = finding(report_of(team), DISAGREEMENT)
        assert named["because"][0]["split"] == "“Yes”: " + team.owner.display_name + ", Bob; “No”: Ann"


def test_the_consultant_picks_an_answer_with_a_note_and_can_take_the_pick_back(team, db_app):
    with db_app.app_context():
        assessments.save_answer(team.ann, team.assessment_id, AUDIT, "no")
        with pytest.raises(Invalid) as refused:
            respondents.resolve(team.owner, team.assessment_id, AUDIT, "partly", "checked")
        assert "value" in refused.value.fields  # nobody answered "partly"
        with pytest.raises(Invalid) as refused:
            respondents.resolve(team.owner, team.assessment_id, AUDIT, "yes", "  ")
        assert "note" in refused.value.fields
        with pytest.raises(NotFound):  # a respondent sees nothing but their own answers
            respondents.resolve(team.ann, team.assessment_id, AUDIT, "yes", "I say so")

        picked = respondents.resolve(team.owner, team.assessment_id, AUDIT, "yes", "saw the audit report")
        assessment = assessments.tenancy.assessment_for(team.owner, team.assessment_id)
        assert picked.status == "resolved" and answers.answers_of(assessment)[AUDIT].value == "yes"
        # Picking an answer does not make the people agree: the contradiction stays a finding.
        assert finding(evaluation.evaluate(assessment), DISAGREEMENT) is not None

        respondents.unresolve(team.owner, team.assessment_id, AUDIT)
        assert answers.answers_of(assessment)[AUDIT].value == "no"


def test_a_respondent_answers_only_the_sections_they_were_invited_to(team, db_app):
    with db_app.app_context():
        with pytest.raises(Forbidden):
            assessments.save_answer(team.bob, team.assessment_id, "scope_documented", "yes")
        assessments.save_answer(team.bob, team.assessment_id, AUDIT, "partly")
        bob = respondents.respondent_of(team.bob, team.assessment_id)
        assert set(respondents.own_answers(bob)) == {AUDIT}


def test_a_member_who_was_not_invited_cannot_answer_but_owners_answer_as_themselves(team, db_app):
    with db_app.app_context():
        viewer_turned = factories.member(team.organisation_id, Role.CONTRIBUTOR, team.owner)
        with pytest.raises(Forbidden):
            assessments.save_answer(viewer_turned, team.assessment_id, AUDIT, "no")
        consultant = factories.member(team.organisation_id, Role.CONSULTANT, team.owner)
        assessments.save_answer(consultant, team.assessment_id, AUDIT, "no")
        assert respondents.respondent_of(consultant, team.assessment_id) is not None


def test_an_invitation_link_works_once_and_not_for_someone_already_answering(team, db_app):
    with db_app.app_context():
        _respondent, token = respondents.invite(
            team.owner, team.assessment_id, "again@example.com", "Again", anyone_with_link=True
        )
        with pytest.raises(Conflict):
            invitations.accept_invitation(token, team.ann)  # Ann answers already: her first answers stay hers
        newcomer = factories.user("again@example.com")
        invitations.accept_invitation(token, newcomer)
        with pytest.raises(NotFound):
            invitations.accept_invitation(token, newcomer)


def test_invitations_are_checked(team, db_app):
    with db_app.app_context():
        with pytest.raises(Invalid) as refused:
            respondents.invite(team.owner, team.assessment_id, "x@example.com", sections=["nope"])
        assert "sections" in refused.value.fields
        with pytest.raises(Invalid):
            respondents.invite(team.owner, team.assessment_id, "not an email")
        with pytest.raises(NotFound):
            respondents.invite(team.ann, team.assessment_id, "friend@example.com")


# ---------------------------------------------------------------------------------------------- independence


def test_a_respondent_cannot_read_another_respondents_answers_through_any_page_or_endpoint(team, db_app):
    """Bob walks every page and endpoint that takes an assessment, with this assessment's ids, by browser session
    and by API token. Ann's note must never appear, and the only respondent data he gets is his own."""
    with db_app.app_context():
        assessments.save_answer(team.ann, team.assessment_id, AUDIT, "no", note=f"nobody audited us {SECRET}")
        assessments.save_answer(team.bob, team.assessment_id, AUDIT, "partly", note="bob's own words")
        ann = respondents.respondent_of(team.ann, team.assessment_id).id
        bob = respondents.respondent_of(team.bob, team.assessment_id).id
        _row, bob_token = accounts.create_api_token(team.bob, "bob")
        _row, owner_token = accounts.create_api_token(team.owner, "owner")
        section = "evaluation"
        group = knowledge_base().catalogue_for("quick-scan").groups[0].id
        action = "run-internal-audit"
        ids = Ids(team.organisation_id, team.assessment_id, 0, AUDIT, action, section, group, ann, ())
        bob_email, owner_email = team.bob.email, team.owner.email

    walk = [p for p in probes(db_app, ids) if p.method == "GET" and "{" not in p.path]
    assert len(walk) > 20
    bob_sender = Sender(db_app, Member(bob_email, bob_token))
    leaks = []
    for probe in walk:
        if SECRET in read(bob_sender.send(probe)):
            leaks.append(str(probe))
    assert not leaks, "Ann's answers reached Bob:\n" + "\n".join(leaks)

    own = bob_sender.api.get(
        f"{API}/assessments/{team.assessment_id}/respondents/{bob}/answers", headers=bob_sender.bearer
    )
    assert own.status_code == 200 and [a["note"] for a in own.get_json()] == ["bob's own words"]
    theirs = bob_sender.api.get(
        f"{API}/assessments/{team.assessment_id}/respondents/{ann}/answers", headers=bob_sender.bearer
    )
    assert theirs.status_code == 404

    # The control: the owner, walking the same routes, does see Ann's answer, so its absence above means something.
    owner_sender = Sender(db_app, Member(owner_email, owner_token))
    seen = [p for p in walk if SECRET in read(owner_sender.send(p))]
    assert seen


def test_once_the_assessment_is_completed_respondents_may_read_the_report(team, db_app):
    with db_app.app_context():
        assessments.save_answer(team.ann, team.assessment_id, AUDIT, "no", note=f"{SECRET}")
        with pytest.raises(NotFound):
            assessments.tenancy.assessment_for(team.bob, team.assessment_id)
        assessments.complete_assessment(team.owner, team.assessment_id)
        assert assessments.tenancy.assessment_for(team.bob, team.assessment_id).id == team.assessment_id
    client = db_app.test_client()
    login(client, team.emails["bob"])
    for path in ("", "/results", "/plan", "/export/report.md"):
        response = client.get(f"/workspace/assessments/{team.assessment_id}{path}")
        assert response.status_code == 200, (path, response.status_code)
    for path in ("", "/results", "/plan"):
        page = client.get(f"/workspace/assessments/{team.assessment_id}{path}").get_data(as_text=True)
        assert f'href="/workspace/organisations/{team.organisation_id}' not in page, path  # none of it is his


# ---------------------------------------------------------------------------------------------- alignment


def test_alignment_per_clause_and_whether_it_improved_between_assessments(team, db_app):
    with db_app.app_context():
        assessments.save_answer(team.ann, team.assessment_id, AUDIT, "no")
        assessments.save_answer(team.ann, team.assessment_id, "scope_documented", "no")  # only Ann: not compared
        first = assessments.tenancy.assessment_for(team.owner, team.assessment_id)
        alignment = consolidation.alignment_of(first)
        assert alignment["clauses"]["9.2"] == {"compared": 1, "agreed": 0, "contradicted": 1, "score": 0}
        assert alignment["overall"]["compared"] == 1

        assessments.complete_assessment(team.owner, first.id)
        second = assessments.repeat_assessment(team.owner, first.id)
        assert not second.has_respondents  # a repeat starts from the consolidated answers, to be confirmed
        again, _ = factories.respondent(team.owner, second.id, name="Ann again")
        assessments.save_answer(again, second.id, AUDIT, "no")
        assessments.save_answer(team.owner, second.id, AUDIT, "no")
        change = ComparisonSchema().dump(comparison.compare(team.owner, first.id, second.id).result)["alignment"]
        assert change["overall"] == {"before": 0, "after": 100}
        assert change["clauses"]["9.2"] == {"before": 0, "after": 100}
        first_id, second_id = first.id, second.id
    client = db_app.test_client()
    login(client, team.emails["owner"])
    page = client.get(f"/workspace/compare?a={first_id}&b={second_id}").get_data(as_text=True)
    section = page[page.index('id="alignment"') :]
    assert "<strong>improved</strong>" in section and "0%" in section and "100%" in section


def test_without_several_respondents_the_comparison_has_no_alignment(db_app):
    with db_app.app_context():
        organisation, owner = factories.organisation()
        one, two = (factories.assessment(owner, organisation.id) for _ in range(2))
        assert comparison.compare(owner, one.id, two.id).result.alignment is None


# ---------------------------------------------------------------------------------------------- exports, API, pages


def test_every_respondents_own_answers_are_exported(team, db_app):
    with db_app.app_context():
        assessments.save_answer(team.ann, team.assessment_id, AUDIT, "no", note="ann's note")
    client = db_app.test_client()
    login(client, team.emails["owner"])
    response = client.get(f"/workspace/assessments/{team.assessment_id}/export/workbook.xlsx")
    assert response.status_code == 200, response.status_code
    sheet = openpyxl.load_workbook(io.BytesIO(response.data))["Respondents"]
    rows = [tuple(c.value for c in row) for row in sheet.iter_rows(min_row=2)]
    assert {(r[0], r[2], r[4], r[5]) for r in rows} == {
        (team.emails["owner"], AUDIT, "Yes", "owner's view"),
        ("Ann", AUDIT, "No", "ann's note"),
    }


def test_the_api_lists_respondents_and_the_consolidation_and_takes_a_pick(team, db_app):
    with db_app.app_context():
        assessments.save_answer(team.ann, team.assessment_id, AUDIT, "no")
        _row, owner_token = accounts.create_api_token(team.owner, "o")
        _row, ann_token = accounts.create_api_token(team.ann, "a")
    client = db_app.test_client()
    owner = {"Authorization": f"Bearer {owner_token}"}
    base = f"{API}/assessments/{team.assessment_id}"

    listed = client.get(f"{base}/respondents", headers=owner).get_json()
    assert [(r["name"], r["answering"], r["answers"], r["sections"]) for r in listed] == [
        (team.emails["owner"], True, 1, []),
        ("Ann", True, 1, []),
        ("Bob", True, 0, ["evaluation"]),
    ]
    consolidation = client.get(f"{base}/consolidation", headers=owner).get_json()
    (row,) = [q for q in consolidation["questions"] if q["question"] == AUDIT]
    assert row["status"] == "disputed" and row["value"] == "no" and row["strength"] == 2
    assert {(s["answer"], s["count"]) for s in row["split"]} == {("Yes", 1), ("No", 1)}
    assert "respondents" not in row["split"][0]  # counts, not who
    assert consolidation["clauses"]["9.2"]["contradicted"] == 1

    refused = client.put(f"{base}/consolidation/{AUDIT}", headers=owner, json={"value": "partly", "note": "n"})
    assert refused.status_code == 422 and "value" in refused.get_json()["errors"]
    picked = client.put(f"{base}/consolidation/{AUDIT}", headers=owner, json={"value": "yes", "note": "the report"})
    assert picked.status_code == 200 and picked.get_json()["status"] == "resolved"
    assert picked.get_json()["resolution"]["note"] == "the report"

    ann = {"Authorization": f"Bearer {ann_token}"}
    assert client.get(f"{base}/respondents", headers=ann).status_code == 404
    assert client.get(f"{base}/consolidation", headers=ann).status_code == 404
    invited = client.post(f"{base}/respondents", headers=owner, json={"email": "tess@example.com", "name": "Tess"})
    assert invited.status_code == 201 and "/invitations/" in invited.get_json()["invitation_url"]
    assert invited.get_json()["respondent"]["answering"] is False


def test_the_respondents_page_invites_shows_the_split_and_resolves_in_place(team, db_app):
    with db_app.app_context():
        assessments.save_answer(team.ann, team.assessment_id, AUDIT, "no")
    client = db_app.test_client()
    login(client, team.emails["owner"])
    page_url = f"/workspace/assessments/{team.assessment_id}/respondents"
    page = client.get(page_url).get_data(as_text=True)
    assert "Disagreement" in page and "Contradiction" in page and "1 × “No”" in page

    invited = post(
        client,
        page_url,
        {"email": "x@example.com", "name": "<script>alert(1)</script>"},
        token_page=page_url,
        follow_redirects=True,
    )
    body = invited.get_data(as_text=True)
    assert invited.status_code == 200 and "/invitations/" in body
    assert "<script>alert(1)</script>" not in body and "&lt;script&gt;" in body

    token = csrf_from(client, page_url)
    resolved = client.post(
        f"/workspace/assessments/{team.assessment_id}/consolidation/{AUDIT}",
        data={"value": '"yes"', "note": "we read the report", "csrf_token": token},
        headers={"HX-Request": "true"},
    )
    fragment = resolved.get_data(as_text=True)
    assert resolved.status_code == 200 and "Resolved" in fragment and "we read the report" in fragment
    assert "<html" not in fragment
    missing_note = client.post(
        f"/workspace/assessments/{team.assessment_id}/consolidation/{AUDIT}",
        data={"value": '"no"', "note": "", "csrf_token": token},
        headers={"HX-Request": "true"},
    )
    assert missing_note.status_code == 422 and "say why" in missing_note.get_data(as_text=True)
    no_csrf = client.post(
        f"/workspace/assessments/{team.assessment_id}/consolidation/{AUDIT}", data={"value": '"no"', "note": "x"}
    )
    assert no_csrf.status_code == 400


def test_the_results_show_how_aligned_respondents_were_per_clause(team, db_app):
    with db_app.app_context():
        assessments.save_answer(team.ann, team.assessment_id, AUDIT, "no")
    client = db_app.test_client()
    login(client, team.emails["owner"])
    page = client.get(f"/workspace/assessments/{team.assessment_id}/results").get_data(as_text=True)
    assert "How aligned the respondents were" in page
    table = page[page.index('class="striped alignment-table"') :]
    table = table[: table.index("</table>")]
    assert "9.2</a> Internal audit" in table and "<strong>0%</strong>" in table
    assert "respondents contradict each other on" in page  # the finding's explanation, with the split
    assert "1 said “Yes”, 1 said “No”" in page


def test_an_assessment_with_one_respondent_shows_no_alignment(db_app):
    with db_app.app_context():
        organisation, owner = factories.organisation()
        assessment = factories.assessment(owner, organisation.id)
        assessments.save_answer(owner, assessment.id, AUDIT, "no")
        email, assessment_id = owner.email, assessment.id
    client = db_app.test_client()
    login(client, email)
    page = client.get(f"/workspace/assessments/{assessment_id}/results").get_data(as_text=True)
    assert "How aligned" not in page and "Internal audit" in page


def test_the_consolidation_page_can_show_only_the_disagreements(team, db_app):
    with db_app.app_context():
        assessments.save_answer(team.ann, team.assessment_id, AUDIT, "no")
        assessments.save_answer(team.ann, team.assessment_id, "scope_documented", "yes")
        assessments.save_answer(team.owner, team.assessment_id, "scope_documented", "yes")
    client = db_app.test_client()
    login(client, team.emails["owner"])
    url = f"/workspace/assessments/{team.assessment_id}/respondents"
    everything = client.get(url).get_data(as_text=True)
    assert f'id="q-{AUDIT}"' in everything and 'id="q-scope_documented"' in everything
    disputed = client.get(url + "?only=disagreements").get_data(as_text=True)
    assert f'id="q-{AUDIT}"' in disputed and 'id="q-scope_documented"' not in disputed


# ---------------------------------------------------------------------------------------------- chats


def chat_text(client, assessment_id: int) -> str:
    return client.get(f"/workspace/assessments/{assessment_id}/chat").get_data(as_text=True)


def test_each_respondent_has_a_conversation_of_their_own_limited_to_their_sections(team, db_app):
    ann, bob = db_app.test_client(), db_app.test_client()
    login(ann, team.emails["ann"])
    login(bob, team.emails["bob"])
    bob_page = chat_text(bob, team.assessment_id)
    # Bob was invited to the evaluation section: his first question is from it, his progress counts only it.
    assert 'name="question_id" value="customer_feedback"' in bob_page
    token = csrf_from(ann, f"/workspace/assessments/{team.assessment_id}/chat")
    typed = ann.post(
        f"/workspace/assessments/{team.assessment_id}/chat",
        data={"text": f"we are about 35 people {SECRET}", "csrf_token": token},
    )
    assert typed.status_code in (200, 302, 303)
    assert SECRET in chat_text(ann, team.assessment_id)
    assert SECRET not in chat_text(bob, team.assessment_id)
    with db_app.app_context():
        ann_rows = respondents.own_answers(respondents.respondent_of(team.ann, team.assessment_id))
        assert ann_rows["people_in_scope"].value == 35
        bob_rows = respondents.own_answers(respondents.respondent_of(team.bob, team.assessment_id))
        assert bob_rows == {}


def test_a_respondents_chat_announces_findings_from_their_own_answers_only(team, db_app):
    """The owner said yes to the internal audit; Ann's "no" is announced to her as her own major finding, and
    the owner's answer does not leak into her chat either way."""
    ann = db_app.test_client()
    login(ann, team.emails["ann"])
    token = csrf_from(ann, f"/workspace/assessments/{team.assessment_id}/chat")
    ann.post(
        f"/workspace/assessments/{team.assessment_id}/chat",
        data={"question_id": AUDIT, "value": "no", "csrf_token": token},
    )
    page = chat_text(ann, team.assessment_id)
    assert "9.2 would be a major nonconformity" in page
    assert "owner's view" not in page


def test_the_inviters_conversation_goes_on_as_their_own_once_respondents_are_invited(db_app):
    with db_app.app_context():
        organisation, owner = factories.organisation()
        assessment = factories.assessment(owner, organisation.id)
        email, assessment_id = owner.email, assessment.id
    client = db_app.test_client()
    login(client, email)
    token = csrf_from(client, f"/workspace/assessments/{assessment_id}/chat")
    client.post(f"/workspace/assessments/{assessment_id}/chat", data={"text": "about 12 of us", "csrf_token": token})
    before = chat_text(client, assessment_id)
    assert "about 12 of us" in before
    with db_app.app_context():
        owner = db.session.get(User, owner.id)
        factories.respondent(owner, assessment_id, name="Ann")
    after = chat_text(client, assessment_id)
    assert "about 12 of us" in after and "These are your own answers" in after


@pytest.mark.parametrize(("outsourcing", "asked"), [("yes", True), ("no", False)])
def test_follow_ups_of_a_section_limited_respondent_follow_the_others_answers_elsewhere(db_app, outsourcing, asked):
    """Supplier control (operation) is asked only when work is outsourced (profile). A respondent invited to the
    operation section never answers the profile: the consolidated answer there decides."""
    with db_app.app_context():
        organisation, owner = factories.organisation()
        assessment = factories.assessment(owner, organisation.id)
        assessments.save_answer(owner, assessment.id, "outsourcing", outsourcing)
        _dev, _ = factories.respondent(owner, assessment.id, name="Dev", sections=["operation"], email="dev@x.example")
        assessment_id = assessment.id
    with db_app.app_context():
        dev = db.session.scalar(sa.select(User).where(User.email == "dev@x.example"))
        state = interview.load(dev, assessment_id)
        assert {q.section for q in state.relevant} == {"operation"}
        assert ("supplier_control" in {q.id for q in state.relevant}) is asked


def test_the_workspace_sends_a_respondent_to_their_own_chat_and_shows_them_no_organisation(team, db_app):
    client = db_app.test_client()
    login(client, team.emails["ann"])
    home = client.get("/workspace/").get_data(as_text=True)
    assert f'href="/workspace/assessments/{team.assessment_id}/chat"' in home and "Workshop" in home
    assert f'href="/workspace/organisations/{team.organisation_id}"' not in home
    assert home.count("<h1") == 1
    assert client.get(f"/workspace/organisations/{team.organisation_id}").status_code == 404
    owner = db_app.test_client()
    login(owner, team.emails["owner"])  # who answers as themselves: nobody asked them to
    assert "Asked for your answers" not in owner.get("/workspace/").get_data(as_text=True)


def test_the_organisation_page_sends_a_member_answering_as_a_respondent_to_their_own_chat(team, db_app):
    with db_app.app_context():
        member = factories.member(team.organisation_id, Role.CONTRIBUTOR, team.owner)
        _respondent, token = respondents.invite(team.owner, team.assessment_id, member.email, "Cora")
        invitations.accept_invitation(token, member)
        email = member.email
    client = db_app.test_client()
    login(client, email)
    page = client.get(f"/workspace/organisations/{team.organisation_id}").get_data(as_text=True)
    assert f'href="/workspace/assessments/{team.assessment_id}/chat"' in page and "your interview" in page
    assert f'href="/workspace/assessments/{team.assessment_id}"' not in page
    owner = db_app.test_client()
    login(owner, team.emails["owner"])
    page = owner.get(f"/workspace/organisations/{team.organisation_id}").get_data(as_text=True)
    assert f'href="/workspace/assessments/{team.assessment_id}"' in page


def test_a_respondent_link_gives_the_respondent_role_and_only_an_organisation_invitation_gives_more(team, db_app):
    with db_app.app_context():
        assert tenancy.role_in(team.ann, team.organisation_id) is Role.RESPONDENT
        with pytest.raises(Invalid) as refused:
            invitations.invite(team.owner, team.organisation_id, "someone@example.com", "respondent")
        assert "role" in refused.value.fields
        _invitation, token = invitations.invite(team.owner, team.organisation_id, team.ann.email, Role.VIEWER)
        invitations.accept_invitation(token, team.ann)
        assert tenancy.role_in(team.ann, team.organisation_id) is Role.VIEWER  # now she reads the organisation
        consultant = factories.member(team.organisation_id, Role.CONSULTANT, team.owner)
        _respondent, token = respondents.invite(team.owner, team.assessment_id, consultant.email, "Con")
        invitations.accept_invitation(token, consultant)
        assert tenancy.role_in(consultant, team.organisation_id) is Role.CONSULTANT  # a link takes nothing away
    client = db_app.test_client()
    login(client, team.emails["owner"])
    page = client.get(f"/workspace/organisations/{team.organisation_id}").get_data(as_text=True)
    assert 'value="viewer"' in page and 'value="respondent"' not in page
