"""The OpenAPI document as a contract: schemathesis sends generated requests, valid and invalid, to every operation
and checks every answer against the document, with all its checks (no 5xx, only documented status codes, content
types, headers and bodies, invalid data refused, valid data accepted, the token not ignored, ...).

The run is the one `st run --checks all --mode all` makes (examples, coverage, fuzzing and stateful phases), with a
fixed seed and bounded examples, against the app on SQLite behind a loopback HTTP server, as the owner of an
organisation with assessments, answers, a respondent and plan actions, so that ids in paths mostly name real rows."""

from __future__ import annotations

import threading
import time
from collections import Counter

import pytest
import schemathesis
from hypothesis import strategies as st
from schemathesis.engine import Status, events, from_schema
from werkzeug.serving import make_server

from app.config import PROJECT_ROOT
from app.extensions import knowledge_base
from app.services import accounts, assessments

from .. import factories
from ..conftest import dispose, make_app

# Bounded for a 2-core machine shared with others: the whole run takes about a minute (see the summary it prints).
MAX_EXAMPLES = 25
SEED = 14
POSITIVE_DATA_STATUSES = ["2xx", "401", "403", "404", "409"]

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
        _row, token = accounts.create_api_token(owner, "contract")
        return {
            "token": token,
            "organisation_id": [organisation.id],
            "assessment_id": [answered.id, repeated.id, completed.id],
            "respondent_id": [respondent.id],
            "question_id": questions,
            "action_id": actions,
        }


def contract_config(token: str, max_examples: int = MAX_EXAMPLES) -> schemathesis.Config:
    return schemathesis.Config.from_dict(
        {
            "seed": SEED,
            "headers": {"Authorization": f"Bearer {token}"},
            "cache": {"enabled": False},
            "checks": {"enabled": True},
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
        self.failures: list[str] = []
        self.seconds = 0.0

    def record(self, event) -> None:
        if isinstance(event, events.ScenarioFinished):
            if event.label:
                self.operations.add(event.label)
            self.cases += len(event.recorder.cases)
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
            f"{len(self.failures)} failures in {self.seconds:.0f} s"
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
    server = make_server("127.0.0.1", 0, contract_app)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join()


@pytest.mark.filterwarnings("ignore:Generating overly large repr:hypothesis.errors.HypothesisWarning")
def test_the_api_keeps_every_promise_of_its_openapi_document(contract_app, served):
    rows = _real_rows(contract_app)
    outcome = run_contract(contract_schema(served, rows, contract_config(rows["token"])))
    print("\n" + outcome.summary())
    assert len(outcome.operations) >= 26, outcome.summary()
    assert outcome.cases > 1000, outcome.summary()
    assert not outcome.failures, outcome.summary()
