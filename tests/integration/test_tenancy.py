"""Tenant isolation, walked over every route of the app.

The list of routes comes from app.url_map at run time: every web page and every /api/v1 endpoint, every method but
HEAD and OPTIONS. A member of organisation A, in each role, asks for organisation B's organisation, assessments,
answers, plan actions, sections and API token, and must get 404 every time (never 200, 403, 409, 422 or 500, and
never any of B's data in the body); nothing anywhere in the database may change. Each write sends a body that is
valid (the same requests made by B's owner succeed, see the control test), so a 404 cannot be an accident of the
order in which a view validates things.

A route with a URL parameter the walker does not know, or a new route that is not classified below, fails the
walk: a new route cannot skip the check by accident.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field, replace

import pytest
import sqlalchemy as sa

from app.extensions import db, knowledge_base
from app.models import Role
from app.services import accounts, assessments, evidence, invitations, respondents
from app.services.evidence import Subject

from .. import factories
from ..webclient import csrf_from, login

API = "/api/v1"
SECRET = "b-tenant-secret-3f9a"  # in B's names, title, notes and evidence: it must never reach A's members
B_OWNER_EMAIL = "owner-of-b-3f9a@example.com"
QUESTION = "scope_documented"  # a yes/no question of quick-scan whose "no" puts an action in the plan
ROLES = [Role.OWNER, Role.CONSULTANT, Role.CONTRIBUTOR, Role.VIEWER]

# URL parameters that name tenant data. Question, action and section ids are only tenant data under an assessment.
TENANT_PARAMETERS = {
    "organisation_id",
    "assessment_id",
    "token_id",
    "question_id",
    "action_id",
    "section_id",
    "group_id",
    "respondent_id",
    "invitation_id",
    "evidence_id",
}
UNDER_AN_ASSESSMENT = {"question_id", "action_id", "section_id", "group_id", "respondent_id", "evidence_id"}

# Routes that take no id of tenant data: there is nothing of another tenant's to ask them for.
NO_TENANT_ID = {
    "static": "the app's CSS, JavaScript and fonts",
    "kb.index": "the knowledge-base browser is public and the same for everyone",
    "kb.clause": "a clause of the standard (public knowledge base)",
    "kb.questionnaire": "a questionnaire of the public knowledge base",
    "kb.practices": "the public practices list",
    "kb.glossary": "the public glossary",
    "auth.login": "logging in",
    "auth.logout": "logging out (the caller's own session)",
    "auth.account": "the caller's own account",
    "workspace.home": "the caller's own organisations",
    "progress.portfolio": "the caller's own organisations, side by side",
    "workspace.create_organisation": "makes a new organisation owned by the caller",
    "workspace.tokens": "the caller's own API tokens, and a new one",
    "organisations.Organisations": "lists the caller's own organisations; POST makes a new one",
    "api-docs.openapi_json": "the API's description",
    "favicon": "the app's icon, the same for everyone",
}
# A capability link by design: the one-time token is the key (for the invited e-mail only, unless the inviter
# chose "anyone with the link"), whatever else its holder belongs to.
CAPABILITY_LINKS = {"auth.invitation"}
# Public parameters the skipped routes may take.
PUBLIC_PARAMETERS = {"filename", "clause_id", "questionnaire_id", "token"}
# Writes that need the assessment completed first.
REOPEN = {"assessments.Reopen", "workspace.reopen"}
# Routes that take assessment ids in the query string instead of the path.
COMPARE = {"workspace.compare", "assessments.Comparison"}

IMPORT_FILE = 'questionnaire: quick-scan\norganisation: {name: Imported}\nanswers:\n  scope_documented: "yes"\n'


@dataclass(frozen=True)
class Ids:
    """The ids a route is filled with."""

    organisation_id: int
    assessment_id: int
    token_id: int
    question_id: str
    action_id: str
    section_id: str
    group_id: str  # a clause group of the assessment's catalogue
    respondent_id: int
    compare: tuple[tuple[int, int], ...]  # (a, b) pairs for the compare routes
    invitation_id: int = 0  # an invitation to the organisation, not used yet
    evidence_id: int = 0  # a file on the answer to question_id
    action_evidence_id: int = 0  # a file on the plan action action_id (evidence_id in a route that names an action)

    def value(self, parameter: str, rule_arguments) -> str:
        if parameter == "evidence_id" and "action_id" in rule_arguments:
            return str(self.action_evidence_id)
        return str(getattr(self, parameter))


def _bodies(ids: Ids) -> dict[tuple[str, str], dict]:
    """A valid body for every write, keyed by (endpoint, method): the keyword arguments of client.open."""
    return {
        # API
        ("answers.AnswerResource", "PUT"): {"json": {"value": "yes"}},
        ("answers.Answers", "PUT"): {"json": {"answers": {ids.question_id: {"value": "yes"}}}},
        ("plan.PlanAction", "PATCH"): {"json": {"status": "done"}},
        ("assessments.Completion", "POST"): {},
        ("assessments.Repetition", "POST"): {},
        ("assessments.Reopen", "POST"): {},
        ("assessments.OrganisationAssessments", "POST"): {"json": {"questionnaire": "quick-scan", "title": "New"}},
        ("answer_files.Import", "POST"): {"data": IMPORT_FILE, "content_type": "application/yaml"},
        ("organisations.Invitations", "POST"): {"json": {"email": "invited@example.com", "role": "viewer"}},
        ("organisations.InvitationRevocation", "POST"): {},
        ("organisations.Organisation", "PATCH"): {"json": {"default_edition": "iso9001-2026"}},
        ("respondents.Respondents", "POST"): {"json": {"email": "respondent@example.com", "name": "Tester"}},
        ("respondents.Resolution", "PUT"): {"json": {"value": "no", "note": "checked the records"}},
        ("respondents.Resolution", "DELETE"): {},
        ("evidence_api.AnswerEvidence", "POST"): {"json": {"url": "https://wiki.example.test/a", "title": "A"}},
        ("evidence_api.AnswerEvidenceItem", "DELETE"): {},
        ("evidence_api.ActionEvidence", "POST"): {"json": {"url": "https://wiki.example.test/b", "title": "B"}},
        ("evidence_api.ActionEvidenceItem", "DELETE"): {},
        ("proposals.Proposals", "POST"): {
            "json": {"repository": "r", "commit": "a" * 40, "proposals": [], "not_visible": []}
        },
        # Web forms (the CSRF token is added when sending)
        ("chat.message", "POST"): {"data": {"question_id": ids.question_id, "value": "yes", "after": "0"}},
        ("chat.revisit", "POST"): {"data": {"after": "0"}},
        ("chat.section", "POST"): {"data": {f"q-{ids.question_id}": "yes"}},
        ("chat.floor", "POST"): {"data": {"question_id": ids.question_id, "value": "yes"}},
        ("results.update_action", "POST"): {"data": {"status": "done"}},
        ("workspace.complete", "POST"): {"data": {"confirm": "yes"}},
        ("workspace.reopen", "POST"): {"data": {}},
        ("workspace.repeat", "POST"): {"data": {}},
        ("workspace.start", "POST"): {"data": {"questionnaire": "quick-scan", "title": "New"}},
        ("workspace.invite", "POST"): {"data": {"email": "invited@example.com", "role": "viewer"}},
        ("workspace.revoke_token", "POST"): {"data": {}},
        ("workspace.default_edition", "POST"): {"data": {"edition": "iso9001-2026"}},
        ("workspace.revoke_invitation", "POST"): {"data": {}},
        ("consolidation.revoke", "POST"): {"data": {}},
        ("scan_proposals.upload", "POST"): {"data": {}},  # no file: said on the page, nothing saved
        ("scan_proposals.decide", "POST"): {"data": {"proposal": "0", "decision": "reject"}},
        ("evidence.answer_attach", "POST"): {"data": {"url": "https://wiki.example.test/c", "title": "C"}},
        ("evidence.answer_delete", "POST"): {"data": {}},
        ("evidence.answer_confirm", "POST"): {"data": {}},
        ("evidence.action_attach", "POST"): {"data": {"url": "https://wiki.example.test/d", "title": "D"}},
        ("evidence.action_delete", "POST"): {"data": {}},
        ("evidence.action_confirm", "POST"): {"data": {}},
        ("consolidation.invite", "POST"): {"data": {"email": "respondent@example.com", "name": "Tester"}},
        ("consolidation.names", "POST"): {"data": {"show": "1"}},
        ("consolidation.resolve", "POST"): {"data": {"value": '"no"', "note": "checked the records"}},
    }


@dataclass(frozen=True)
class Probe:
    endpoint: str
    method: str
    path: str
    api: bool
    body: dict = field(default_factory=dict)

    def __str__(self) -> str:
        return f"{self.method} {self.path} ({self.endpoint})"


PARAMETER = re.compile(r"<(?:[^<>:]+:)?([^<>]+)>")


def probes(app, ids: Ids) -> list[Probe]:
    """Every (rule, method) of the app that takes tenant ids, filled with `ids`; fails on a rule it cannot fill."""
    bodies = _bodies(ids)
    problems, found = [], []
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: (r.rule, r.endpoint)):
        parameters = set(rule.arguments)
        if rule.endpoint in NO_TENANT_ID or rule.endpoint in CAPABILITY_LINKS:
            if parameters - PUBLIC_PARAMETERS:
                problems.append(f"{rule.rule}: skipped as taking no tenant id, yet has {sorted(parameters)}")
            continue
        if rule.endpoint in COMPARE:
            if parameters:
                problems.append(f"{rule.rule}: a compare route with URL parameters {sorted(parameters)}")
                continue
            paths = [f"{rule.rule}?a={a}&b={b}" for a, b in ids.compare]
        else:
            unknown = parameters - TENANT_PARAMETERS
            if unknown:
                problems.append(f"{rule.rule}: the walker does not know how to fill {sorted(unknown)}")
                continue
            if not parameters:
                problems.append(f"{rule.rule} ({rule.endpoint}): a new route; list it in NO_TENANT_ID or fill it")
                continue
            if parameters & UNDER_AN_ASSESSMENT and "assessment_id" not in parameters:
                problems.append(f"{rule.rule}: {sorted(parameters & UNDER_AN_ASSESSMENT)} outside an assessment")
                continue
            paths = [PARAMETER.sub(lambda m, named=parameters: ids.value(m.group(1), named), rule.rule)]
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            if method != "GET" and (rule.endpoint, method) not in bodies:
                problems.append(f"{method} {rule.rule}: no valid body known for this write; add one to _bodies")
                continue
            body = bodies.get((rule.endpoint, method), {})
            found += [Probe(rule.endpoint, method, p, rule.rule.startswith(API + "/"), body) for p in paths]
    assert not problems, "routes the tenancy walker cannot check:\n" + "\n".join(problems)
    assert any(p.api for p in found) and any(not p.api for p in found)
    return found


# ---------------------------------------------------------------------------------------------- the two tenants


@dataclass
class Member:
    email: str
    token: str


@dataclass
class Tenants:
    app: object
    a_members: dict[Role, Member]
    a_assessment_id: int
    b_owner: Member
    b_ids: Ids  # B's ids, as A's members try them

    def b_fresh_ids(self) -> Ids:
        """New data of B's (an answered assessment, a token) for a control request that changes things."""
        with self.app.app_context():
            owner = accounts.user_for_api_token(self.b_owner.token)
            return _b_data(owner, self.b_ids.organisation_id)


def _b_data(owner, organisation_id: int) -> Ids:
    assessment = factories.assessment(owner, organisation_id, title=f"Plans {SECRET}")
    assessments.save_answer(owner, assessment.id, QUESTION, "no", note=f"note {SECRET}", evidence=f"wiki/{SECRET}")
    # An evidence file, for the exports that list it and the evidence pack that holds it.
    evidence.add_file(owner, assessment.id, Subject.answer(QUESTION), SECRET.encode(), f"{SECRET}.txt", SECRET)
    # A second respondent who contradicts the owner, so the consolidation routes have something to resolve.
    other, _ = factories.respondent(owner, assessment.id, name=f"Rita {SECRET}")
    assessments.save_answer(other, assessment.id, QUESTION, "yes", note=f"hers {SECRET}")
    respondent = respondents.respondent_of(other, assessment.id)
    action = assessments.plan_of(assessment)[0].id
    token, _ = accounts.create_api_token(owner, f"token {SECRET}")
    kb = knowledge_base()
    questionnaire = kb.questionnaire(assessment.questionnaire_id)
    section = next(s.id for s in questionnaire.sections if any(q.id == QUESTION for q in s.questions))
    group = kb.catalogue_for(assessment.questionnaire_id).groups[0].id
    later = factories.assessment(owner, organisation_id, title=f"Later {SECRET}").id
    pending, _ = invitations.invite(owner, organisation_id, f"{SECRET}@example.com", Role.VIEWER)
    record = f"minutes {SECRET}".encode()
    on_answer = evidence.add_file(owner, assessment.id, Subject.answer(QUESTION), record, f"{SECRET}.txt")
    on_action = evidence.add_file(owner, assessment.id, Subject.action(action), record, f"{SECRET}.txt")
    return Ids(
        organisation_id,
        assessment.id,
        token.id,
        QUESTION,
        action,
        section,
        group,
        respondent.id,
        ((later, assessment.id),),
        invitation_id=pending.id,
        evidence_id=on_answer.id,
        action_evidence_id=on_action.id,
    )


@pytest.fixture
def tenants(db_app) -> Tenants:
    with db_app.app_context():
        organisation_a, owner_a = factories.organisation(name="Acme")
        users = {Role.OWNER: owner_a}
        for role in ROLES[1:]:
            users[role] = factories.member(organisation_a.id, role, owner_a)
        members = {role: Member(user.email, accounts.create_api_token(user, "a")[1]) for role, user in users.items()}
        a_assessment = factories.assessment(owner_a, organisation_a.id, title="Acme's own")
        assessments.save_answer(owner_a, a_assessment.id, QUESTION, "partly")

        owner_b = factories.user(B_OWNER_EMAIL, name=f"Bea {SECRET}")
        organisation_b, _ = factories.organisation(owner_b, name=f"Borealis {SECRET}")
        b_owner = Member(owner_b.email, accounts.create_api_token(owner_b, "b")[1])
        b = _b_data(owner_b, organisation_b.id)
        b_second = b.compare[0][0]
        compare = (
            (b_second, b.assessment_id),  # two of B's, of one organisation: only tenancy can refuse this
            (a_assessment.id, b.assessment_id),
            (b.assessment_id, a_assessment.id),
        )
    # A route switched off by configuration answers 404 to everyone; switched on, it is walked for real.
    db_app.config["BENCH_FLOOR"] = True
    return Tenants(db_app, members, a_assessment.id, b_owner, replace(b, compare=compare))


# ---------------------------------------------------------------------------------------------- sending


class Sender:
    """One user's two ways in: a logged-in browser session (with its CSRF token) and a bearer token."""

    def __init__(self, app, member: Member):
        self.web = app.test_client()
        response = login(self.web, member.email)
        assert response.status_code == 302 and "/login" not in response.headers["Location"], response.status_code
        self.csrf = csrf_from(self.web, "/workspace/")
        self.api = app.test_client()
        self.bearer = {"Authorization": f"Bearer {member.token}"}

    def send(self, probe: Probe):
        if probe.api:
            return self.api.open(probe.path, method=probe.method, headers=self.bearer, **probe.body)
        body = dict(probe.body)
        if probe.method != "GET":
            body["data"] = {**body.get("data", {}), "csrf_token": self.csrf}
        return self.web.open(probe.path, method=probe.method, **body)


def everything(app) -> dict[str, list]:
    """Every row of every table, but for the sessions (logging in makes one) and when a token was last used."""
    with app.app_context():
        state = {}
        for table in db.metadata.sorted_tables:
            if table.name == "web_sessions":
                continue
            columns = [c for c in table.columns if c.name != "last_used_at"]
            rows = db.session.execute(sa.select(*columns)).all()
            state[table.name] = sorted(json.dumps(list(row), default=str) for row in rows)
        db.session.remove()
        return state


def refusal(probe: Probe, response) -> str | None:
    """What is wrong with the answer to a request for another tenant's data, or None when it is a clean 404."""
    text = response.get_data().decode("utf-8", "replace")  # a download that got through is binary
    if response.status_code != 404:
        return f"{probe}: {response.status_code} {text[:200]!r}"
    if SECRET in text or B_OWNER_EMAIL in text:
        return f"{probe}: 404 but the body shows B's data"
    if probe.api and not (response.is_json and response.get_json().get("code") == 404):
        return f"{probe}: 404 without the API's JSON error body"
    return None


# ---------------------------------------------------------------------------------------------- the tests


@pytest.mark.parametrize("role", ROLES, ids=[r.value for r in ROLES])
def test_every_route_answers_404_to_another_tenants_ids(tenants, role):
    app = tenants.app
    member = Sender(app, tenants.a_members[role])
    walk = probes(app, tenants.b_ids)
    before = everything(app)
    failures = [problem for probe in walk if (problem := refusal(probe, member.send(probe)))]
    assert not failures, f"{len(failures)} of {len(walk)} requests as A's {role.value} were not a clean 404:\n" + (
        "\n".join(failures)
    )
    assert everything(app) == before, "a request for another tenant's data changed the database"


def test_the_same_requests_succeed_for_the_owner_of_the_data(tenants):
    """The control: B's owner sending the walker's requests gets 2xx (or the page's redirect), so the walker's
    URLs and bodies are right and the 404s above come from tenancy alone. Each write gets fresh data of B's, so that
    completing or revoking one thing does not spoil the next request."""
    app = tenants.app
    owner = Sender(app, tenants.b_owner)
    shown_secret = False
    failures = []
    for probe in probes(app, replace(tenants.b_ids, compare=tenants.b_ids.compare[:1])):
        if probe.method != "GET":
            fresh = tenants.b_fresh_ids()
            probe = next(p for p in probes(app, fresh) if (p.endpoint, p.method) == (probe.endpoint, probe.method))
            if probe.endpoint in REOPEN:  # only a completed assessment can be reopened
                completed = owner.send(
                    Probe("assessments.Completion", "POST", f"{API}/assessments/{fresh.assessment_id}/complete", True)
                )
                assert completed.status_code == 200, completed.get_data(as_text=True)
        response = owner.send(probe)
        ok = response.status_code in (200, 201, 204) or (
            not probe.api and response.status_code in (302, 303) and "/login" not in response.headers["Location"]
        )
        if not ok:
            failures.append(f"{probe}: {response.status_code} {response.get_data(as_text=True)[:300]!r}")
        shown_secret = shown_secret or SECRET in response.get_data(as_text=True)
    assert not failures, "the walker's requests fail for the data's owner too:\n" + "\n".join(failures)
    assert shown_secret  # the owner does see B's data, so its absence above means something


def test_the_walker_covers_every_tenant_route_of_the_api_and_the_pages(app):
    walk = probes(app, Ids(1, 2, 3, QUESTION, "determine-context-and-scope", "context", "4", 5, ((4, 2),)))
    api = {(p.method, p.endpoint) for p in walk if p.api}
    web = {(p.method, p.endpoint) for p in walk if not p.api}
    # Spot checks that the run-time list did not quietly shrink: reads and writes of each kind of id.
    assert {("GET", "answers.AnswerResource"), ("PUT", "answers.Answers"), ("PATCH", "plan.PlanAction")} <= api
    assert {("POST", "organisations.Invitations"), ("GET", "assessments.Comparison")} <= api
    assert {("POST", "chat.section"), ("POST", "workspace.revoke_token"), ("GET", "workspace.compare")} <= web
    assert {("POST", "workspace.invite"), ("GET", "workspace.organisation"), ("POST", "chat.revisit")} <= web
    assert {("GET", "respondents.OwnAnswers"), ("PUT", "respondents.Resolution")} <= api
    assert {("POST", "consolidation.resolve"), ("GET", "consolidation.page")} <= web
    assert {("GET", "exports.workbook"), ("GET", "exports.evidence_pack_zip")} <= web
    assert ("GET", "downloads.EvidencePack") in api
    assert {("GET", "evidence_api.AnswerEvidenceItem"), ("DELETE", "evidence_api.ActionEvidenceItem")} <= api
    assert {("GET", "evidence.answer_download"), ("POST", "evidence.action_attach")} <= web


def test_a_route_the_walker_cannot_fill_or_has_not_classified_fails_the_walk(app):
    app.add_url_rule("/workspace/widgets/<int:widget_id>", "workspace.widget", lambda widget_id: "")
    app.add_url_rule("/workspace/digest", "workspace.digest", lambda: "")
    app.add_url_rule(
        "/workspace/assessments/<int:assessment_id>/archive", "x.archive", lambda **_: "", methods=["POST"]
    )
    app.add_url_rule("/workspace/answers/<question_id>", "x.loose_answer", lambda question_id: "")
    with pytest.raises(AssertionError) as refused:
        probes(app, Ids(1, 2, 3, QUESTION, "determine-context-and-scope", "context", "4", 5, ((4, 2),)))
    message = str(refused.value)
    assert "does not know how to fill ['widget_id']" in message
    assert "workspace.digest): a new route" in message
    assert "POST /workspace/assessments/<int:assessment_id>/archive: no valid body" in message
    assert "['question_id'] outside an assessment" in message


# ---------------------------------------------------------------------------------------------- respondents
#
# A respondent joins an organisation only to answer one assessment (or some of its sections). Everything else of
# the organisation must be as closed to them as another tenant's data: its other assessments, its members, its
# organisation-level routes, and on their own assessment, while it is in progress, whatever is not their own.

# What a respondent does with their own answers: reading and writing them, in their chat, their sections and the API.
OWN_ROUTES = {
    ("chat.chat", "GET"),
    ("chat.message", "POST"),
    ("chat.revisit", "POST"),
    ("chat.section", "GET"),
    ("chat.section", "POST"),
    ("answers.AnswerResource", "PUT"),
    ("answers.Answers", "PUT"),
    ("respondents.OwnAnswers", "GET"),
}
COLLEAGUE_EMAIL = f"colleague-{SECRET}@example.com"  # a member of A the respondent must not learn about


@dataclass
class Answering:
    """Organisation A: assessment X, which Rhea answers as a respondent invited to one section, and beside it what
    she must not see: X's other answers (the owner's and Rita's), A's other assessment Y, A's members, A's token."""

    app: object
    rhea: Member
    own_ids: Ids  # X's ids, with Rhea's own respondent id: what she may use
    x_ids: Ids  # X's ids, with another respondent's id: the parts of X that are not hers
    y_ids: Ids  # A's other assessment, A's organisation and the owner's token


@pytest.fixture
def answering(db_app) -> Answering:
    with db_app.app_context():
        organisation, owner = factories.organisation(name="Acme")
        invited, token = invitations.invite(owner, organisation.id, COLLEAGUE_EMAIL, Role.CONTRIBUTOR)
        invitations.accept_invitation(token, accounts.create_user(invited.email, factories.PASSWORD, name=SECRET))
        x = factories.assessment(owner, organisation.id, title="Acme's workshop")
        assessments.save_answer(owner, x.id, QUESTION, "no", note=f"owner's {SECRET}", evidence=f"wiki/{SECRET}")
        kb = knowledge_base()
        section = next(
            s.id for s in kb.questionnaire(x.questionnaire_id).sections if any(q.id == QUESTION for q in s.questions)
        )
        rhea, _ = factories.respondent(owner, x.id, name="Rhea", sections=[section])
        rita, _ = factories.respondent(owner, x.id, name=f"Rita {SECRET}")
        assessments.save_answer(rita, x.id, QUESTION, "yes", note=f"hers {SECRET}")
        group = kb.catalogue_for(x.questionnaire_id).groups[0].id
        action = assessments.plan_of(x)[0].id
        rita_id = respondents.respondent_of(rita, x.id).id
        own = Ids(organisation.id, x.id, 0, QUESTION, action, section, group, 0, ((x.id, x.id),))
        own = replace(own, respondent_id=respondents.respondent_of(rhea, x.id).id)
        y = _b_data(owner, organisation.id)  # "Plans SECRET", answered with SECRET notes, a token, a later one
        y = replace(y, compare=((x.id, y.assessment_id), (y.assessment_id, x.id), (y.compare[0][0], y.assessment_id)))
        rhea_member = Member(rhea.email, accounts.create_api_token(rhea, "rhea")[1])
    db_app.config["BENCH_FLOOR"] = True
    return Answering(db_app, rhea_member, own, replace(own, respondent_id=rita_id), y)


def test_a_respondent_gets_404_for_everything_of_the_organisation_but_their_own_answers(answering):
    """Every route, filled with A's other assessment (and A's organisation and token), then with the respondent's
    own assessment X and its parts that are not hers (its results while in progress, plan, exports, consolidation,
    another respondent's answers): a clean 404 each time, none of the secret text, nothing changed."""
    app = answering.app
    rhea = Sender(app, answering.rhea)
    plain = replace(answering.y_ids, assessment_id=answering.y_ids.compare[2][0])  # nobody invited: the old way
    mine = [p for p in probes(app, answering.x_ids) if (p.endpoint, p.method) not in OWN_ROUTES - {OWN_ANSWERS}]
    walk = list({str(p): p for p in probes(app, answering.y_ids) + probes(app, plain) + mine}.values())
    before = everything(app)
    failures = [problem for probe in walk if (problem := refusal(probe, rhea.send(probe)))]
    assert not failures, f"{len(failures)} of {len(walk)} requests of a respondent were not a clean 404:\n" + (
        "\n".join(failures)
    )
    assert everything(app) == before, "a respondent's request for what is not theirs changed the database"


OWN_ANSWERS = ("respondents.OwnAnswers", "GET")  # with another respondent's id it is not one's own


def test_a_respondent_still_answers_in_their_own_chat_sections_and_api(answering):
    """The control: Rhea's own routes on X work, so the 404s above come from her role, not from broken requests;
    and what they show her is hers alone."""
    app = answering.app
    rhea = Sender(app, answering.rhea)
    own = [p for p in probes(app, answering.own_ids) if (p.endpoint, p.method) in OWN_ROUTES]
    assert {(p.endpoint, p.method) for p in own} == OWN_ROUTES
    failures, leaks = [], []
    for probe in own:
        response = rhea.send(probe)
        ok = response.status_code in (200, 201, 204) or (
            not probe.api and response.status_code == 302 and "/login" not in response.headers["Location"]
        )
        if not ok:
            failures.append(f"{probe}: {response.status_code} {response.get_data(as_text=True)[:300]!r}")
        if SECRET in response.get_data(as_text=True):
            leaks.append(str(probe))
    assert not failures, "a respondent's own routes fail:\n" + "\n".join(failures)
    assert not leaks, "a respondent's own routes show others' answers:\n" + "\n".join(leaks)
    with app.app_context():
        mine = respondents.respondent_of(
            accounts.user_for_api_token(answering.rhea.token), answering.own_ids.assessment_id
        )
        assert set(respondents.own_answers(mine)) == {QUESTION}
    home = rhea.web.get("/workspace/").get_data(as_text=True)
    assert f'href="/workspace/assessments/{answering.own_ids.assessment_id}/chat"' in home  # where to go
    listed = rhea.api.get(f"{API}/organisations", headers=rhea.bearer)
    assert listed.status_code == 200 and listed.get_json() == []  # no organisation is hers to open
