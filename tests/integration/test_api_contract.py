"""The OpenAPI document as a contract: schemathesis sends generated requests, valid and invalid, to every operation
and checks every answer against the document, with all its checks (no 5xx, only documented status codes, content
types, headers and bodies, invalid data refused, valid data accepted, the token not ignored, ...).

The run is the one `st run --checks all --mode all` makes (examples, coverage, fuzzing and stateful phases), with a
fixed seed and bounded examples, against the app on SQLite behind a loopback HTTP server, as the owner of an
organisation with assessments, answers, a respondent and plan actions, so that ids in paths mostly name real rows."""

from __future__ import annotations

import json
import re
import sys
import time
from collections import Counter

import pytest
import schemathesis
from hypothesis import strategies as st
from schemathesis.engine import Status, events, from_schema

from app.config import PROJECT_ROOT
from app.extensions import knowledge_base
from app.models import Role
from app.schemas.common import LAST_WHITESPACE
from app.services import accounts, assessments, evidence, invitations
from app.services.evidence import Subject

from .. import factories
from ..conftest import dispose, make_app
from ..serving import serving

# Bounded for a 2-core machine shared with others: the run takes 1-2 minutes there (it prints a summary with -s).
MAX_EXAMPLES = 75
SEED = 14
POSITIVE_DATA_STATUSES = ["2xx", "401", "403", "404", "409"]
# schemathesis's own list, and 413: a body too large to read is refused before its content is looked at.
NEGATIVE_DATA_STATUSES = ["400", "401", "403", "404", "405", "406", "409", "413", "415", "422", "428", "429"]

# Where the server refuses, with a 422, a body the document cannot describe as invalid, because the rule depends on
# data: which values a question accepts, which sections a questionnaire has, which questionnaires the knowledge base
# holds, whether respondents disagree on a question, whether a YAML text is an answers file. Valid-looking data may
# be refused there with a 422 (it must still be a documented, well-formed error: the other checks hold).
CHECKED_AGAINST_DATA = [
    "POST /api/v1/organisations/{organisation_id}/assessments",  # the questionnaire id
    "POST /api/v1/organisations/{organisation_id}/import",  # the answers file's content
    "PUT /api/v1/assessments/{assessment_id}/answers",  # question ids and values
    "PUT /api/v1/assessments/{assessment_id}/answers/{question_id}",  # the value, by the question's kind
    "POST /api/v1/assessments/{assessment_id}/respondents",  # section ids
    "PUT /api/v1/assessments/{assessment_id}/consolidation/{question_id}",  # one of the answers given
    "GET /api/v1/assessments/compare",  # two different assessments
    "POST /api/v1/assessments/{assessment_id}/proposals",  # question ids and values, by the question's kind
    "PATCH /api/v1/organisations/{organisation_id}",  # the editions the knowledge base holds
    # A file's type is read from its content; a link's address must have a host.
    "POST /api/v1/assessments/{assessment_id}/answers/{question_id}/evidence",
    "POST /api/v1/assessments/{assessment_id}/plan/{action_id}/evidence",
]


def _real_rows(app) -> dict[str, list]:
    """An organisation with assessments (one imported with answers, one completed and repeated), a respondent and
    plan actions, owned by the caller; and the values path parameters may take to name them."""
    with app.app_context():
        organisation, owner = factories.organisation(name="Acme")
        text = (PROJECT_ROOT / "examples" / "company-near-ready.yaml").read_text()
        answered = assessments.import_answers(owner, organisation.id, text, "Answered")
        completed = assessments.import_answers(owner, organisation.id, text, "Completed")
        assessments.complete_assessment(owner, completed.id)
        repeated = assessments.repeat_assessment(owner, completed.id)
        _user, respondent = factories.respondent(owner, answered.id, name="Rita")
        questions = [q.id for q in knowledge_base().questionnaire(answered.questionnaire_id).questions]
        actions = [item.id for item in assessments.plan_of(answered)]
        pending, _link = invitations.invite(owner, organisation.id, "pending@example.com", Role.VIEWER)
        _row, token = accounts.create_api_token(owner, "contract")
        on_answer = evidence.add_file(owner, answered.id, Subject.answer(questions[0]), b"minutes", "minutes.txt")
        link = evidence.add_link(owner, answered.id, Subject.answer(questions[0]), "https://wiki.example.test/a")
        # Evidence shows a knowledge-base action done; a "collect evidence" action's records go on the answers.
        done = next(a for a in actions if a in knowledge_base().ruleset_for(answered.questionnaire_id).actions)
        on_action = evidence.add_file(owner, answered.id, Subject.action(done), b"%PDF-1.4\n%%EOF\n", "a.pdf")
        return {
            "token": token,
            "organisation_id": [organisation.id],
            "assessment_id": [answered.id, repeated.id, completed.id],
            "respondent_id": [respondent.id],
            "invitation_id": [pending.id, respondent.invitation_id],  # one to revoke, one accepted already
            "question_id": questions,
            "action_id": actions,
            "evidence_id": [on_answer.id, link.id, on_action.id],
        }


def contract_config(token: str, max_examples: int = MAX_EXAMPLES) -> schemathesis.Config:
    return schemathesis.Config.from_dict(
        {
            "seed": SEED,
            "headers": {"Authorization": f"Bearer {token}"},
            "cache": {"enabled": False},
            "checks": {"enabled": True, "negative_data_rejection": {"expected-statuses": NEGATIVE_DATA_STATUSES}},
            "generation": {"mode": "all", "max-examples": max_examples, "deterministic": True, "database": "none"},
            "operations": [
                {
                    "include-name": CHECKED_AGAINST_DATA,
                    "checks": {"positive_data_acceptance": {"expected-statuses": [*POSITIVE_DATA_STATUSES, "422"]}},
                }
            ],
        }
    )


def contract_schema(base_url: str, rows: dict, config: schemathesis.Config):
    schema = schemathesis.openapi.from_url(f"{base_url}/api/v1/openapi.json", config=config)

    @schema.hook
    def before_generate_path_parameters(context, strategy):
        # Mostly real rows; sometimes whatever the document allows (ids of nothing, odd question ids).
        names = [p.name for p in context.operation.path_parameters]
        known = {name: st.sampled_from(rows[name]) for name in names if name in rows}
        if not known:
            return strategy
        real = st.fixed_dictionaries(known)
        return st.one_of(real, real, real, strategy)

    return schema


class Outcome:
    """What a run did: operations and cases, checks by status, and each failure explained."""

    def __init__(self):
        self.operations: set[str] = set()
        self.cases = 0
        self.checks: Counter = Counter()
        self.phases: Counter = Counter()
        self.failures: list[str] = []
        self.seconds = 0.0

    def record(self, event) -> None:
        if isinstance(event, events.ScenarioFinished):
            if event.label:
                self.operations.add(event.label)
            self.cases += len(event.recorder.cases)
            self.phases[event.phase.value] += len(event.recorder.cases)
            for nodes in event.recorder.checks.values():
                for node in nodes:
                    self.checks[node.name, node.status.value] += 1
                    if node.status in (Status.FAILURE, Status.ERROR):
                        self.failures.append(f"{event.label} {node.name}: {_explained(node)}")
        elif isinstance(event, events.NonFatalError | events.FatalError):
            self.failures.append(f"schemathesis could not run: {event.info}")

    def summary(self) -> str:
        lines = [
            f"schemathesis: {len(self.operations)} operations, {self.cases} cases, "
            f"{len(self.failures)} failures in {self.seconds:.0f} s",
            "  cases by phase: " + ", ".join(f"{phase} {count}" for phase, count in sorted(self.phases.items())),
        ]
        lines += [f"  {name}: {count} {status}" for (name, status), count in sorted(self.checks.items())]
        return "\n".join(lines + self.failures)


def _explained(node) -> str:
    if node.failure_info is None:
        return node.status.value
    failure = node.failure_info.failure
    return f"{failure.title}: {failure.message}\n    {node.failure_info.code_sample}"


def run_contract(schema) -> Outcome:
    outcome = Outcome()
    started = time.monotonic()
    for event in from_schema(schema).execute():
        outcome.record(event)
    outcome.seconds = time.monotonic() - started
    return outcome


@pytest.fixture
def contract_app(tmp_path):
    app = make_app(f"sqlite:///{tmp_path / 'contract.sqlite3'}")
    yield app
    dispose(app)


@pytest.fixture
def served(contract_app):
    """The app behind an HTTP server on the loopback: every check can replay its requests there (schemathesis's
    WSGI transport fails ignored_auth), and each request is parsed as a real client's would be."""
    with serving(contract_app) as url:
        yield url


@pytest.mark.filterwarnings("ignore:Generating overly large repr:hypothesis.errors.HypothesisWarning")
def test_the_api_keeps_every_promise_of_its_openapi_document(contract_app, served):
    rows = _real_rows(contract_app)
    outcome = run_contract(contract_schema(served, rows, contract_config(rows["token"])))
    print("\n" + outcome.summary())
    assert len(outcome.operations) >= 32, outcome.summary()
    assert outcome.cases > 1000, outcome.summary()
    assert not outcome.failures, outcome.summary()


# ------------------------------------------------------------------------------------- what the run found, pinned


def document(world) -> dict:
    return world.owner.get("/openapi.json").get_json()


def plan_action(world) -> str:
    """An action of the plan, made by a gap in the answers."""
    answered = world.owner.put(f"/assessments/{world.assessment_id}/answers/quality_policy", json={"value": "no"})
    assert answered.status_code == 200
    return world.owner.get(f"/assessments/{world.assessment_id}/plan").get_json()[0]["id"]


def test_every_operation_documents_the_refusals_any_request_can_meet(world):
    for path, item in document(world)["paths"].items():
        for method, operation in item.items():
            if method == "parameters":
                continue
            codes = set(operation["responses"])
            assert "default" not in codes, f"{method} {path}: a catch-all would document every status"
            assert {"400", "401", "413", "422", "503"} <= codes, f"{method} {path}"
            if "{" in path:
                assert {"403", "404"} <= codes, f"{method} {path}"


def test_x_pagination_is_documented_as_the_json_text_it_is(world):
    header = document(world)["components"]["headers"]["PAGINATION"]["schema"]
    assert header["type"] == "string" and header["contentMediaType"] == "application/json"
    sent = world.owner.get("/organisations").headers["X-Pagination"]
    assert json.loads(sent)["total"] == 1


def test_the_evaluation_is_documented_key_by_key(world):
    with world.app.app_context():
        owner = accounts.user_for_api_token(world.owner.token)
        assessments.save_answers(owner, world.assessment_id, {"scope_documented": "no"})
    report = world.owner.get(f"/assessments/{world.assessment_id}/evaluation").get_json()
    schemas = document(world)["components"]["schemas"]
    assert set(report) == set(schemas["Report"]["properties"])
    assert report["asked"] is not None and report["unanswered"]
    open_question = schemas["Report"]["properties"]["unanswered"]["items"]["$ref"].rsplit("/", 1)[1]
    assert set(report["unanswered"][0]) == set(schemas[open_question]["properties"])


def test_at_least_one_answer_and_no_null_value_are_in_the_document(world):
    schemas = document(world)["components"]["schemas"]
    assert schemas["AnswersPut"]["properties"]["answers"]["minProperties"] == 1
    assert schemas["AnswerPut"]["properties"]["value"]["not"] == {"type": "null"}
    assert world.owner.put(f"/assessments/{world.assessment_id}/answers", json={"answers": {}}).status_code == 422


@pytest.mark.parametrize("body", [None, {}, {"version": 0}], ids=["no body", "empty", "only a version"])
def test_a_patch_that_changes_nothing_is_refused(world, body):
    path = f"/assessments/{world.assessment_id}/plan/{plan_action(world)}"
    response = world.owner.patch(path, json=body) if body is not None else world.owner.patch(path)
    assert response.status_code == 422
    assert "send at least one of status, owner, due_date, notes" in str(response.get_json())
    assert world.owner.patch(path, json={"owner": "Ann"}).status_code == 200


@pytest.mark.parametrize(("version", "status"), [(0.0, 200), (True, 422), ("0", 422), (0.5, 422)])
def test_a_version_is_an_integer_as_json_schema_means_it(world, version, status):
    path = f"/assessments/{world.assessment_id}/plan/{plan_action(world)}"
    assert world.owner.patch(path, json={"owner": "Ann", "version": version}).status_code == status


@pytest.mark.parametrize(("name", "status"), [(" \u3000\t", 422), ("\x1c", 422), ("\u00a0Acme", 201), ("a\x00b", 422)])
def test_a_name_is_refused_exactly_when_the_documented_pattern_refuses_it(world, name, status):
    pattern = document(world)["components"]["schemas"]["OrganisationCreate"]["properties"]["name"]["pattern"]
    assert (re.match(pattern, name) is not None) == (status == 201)
    assert world.owner.post("/organisations", json={"name": name}).status_code == status


def test_no_whitespace_lies_beyond_the_last_the_name_pattern_lists():
    beyond = [hex(c) for c in range(LAST_WHITESPACE + 1, sys.maxunicode + 1) if chr(c).isspace()]
    assert beyond == []


def test_an_invitation_offers_only_the_roles_it_can_give(world):
    roles = document(world)["components"]["schemas"]["InvitationCreate"]["properties"]["role"]["enum"]
    assert "respondent" not in roles and "viewer" in roles
    path = f"/organisations/{world.organisation_id}/invitations"
    assert world.owner.post(path, json={"email": "r@example.com", "role": "respondent"}).status_code == 422
