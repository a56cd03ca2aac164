"""Proposals from a repository scan on an assessment: the API (tenancy, refusal of a bad scan with nothing saved),
the upload on the assessment page, the CLI, and the interview offering them one by one until a person confirms."""

from __future__ import annotations

import io
import json

import pytest
from click.testing import CliRunner

from app.cli import main
from app.extensions import knowledge_base
from app.models import ProposalStatus, ScanProposal
from app.services import accounts, answers, assessments, evidence, tenancy

from .. import factories
from ..gitrepos import make_repo
from ..serving import serving
from ..webclient import csrf_from, login

COMMIT = "0123456789abcdef0123456789abcdef01234567"
WORKFLOW = "on: [pull_request]\njobs:\n  test:\n    steps:\n      - run: pytest\n"


def scan_document(**changes) -> dict:
    return {
        "repository": "shop",
        "commit": COMMIT,
        "proposals": [
            {
                "question": "continuous_integration",
                "value": "yes",
                "why": "I found 14 workflow files that run the tests on every pull request.",
                "evidence": [{"path": ".github/workflows/ci.yml", "commit": COMMIT}],
            },
            {
                "question": "pull_request_review",
                "value": "partly",
                "why": "A CODEOWNERS file names <b>who</b> reviews.",
                "evidence": [{"path": ".github/CODEOWNERS", "commit": COMMIT}],
            },
            {"question": "release_cadence", "value": "weekly", "why": "Tags a week apart.", "evidence": []},
        ],
        "not_visible": ["Branch protection is set on the hosting service."],
        **changes,
    }


def statuses(app, assessment_id) -> dict[str, str]:
    from app.extensions import db

    with app.app_context():
        rows = db.session.query(ScanProposal).filter_by(assessment_id=assessment_id).all()
        return {p.question_id: p.status.value for p in rows if p.status is not ProposalStatus.SUPERSEDED}


# ---------------------------------------------------------------------------------------------- the API


def test_a_scan_posted_to_an_assessment_waits_for_a_person(world):
    response = world.owner.post(f"/assessments/{world.assessment_id}/proposals", json=scan_document())
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    # The quick scan does not ask release_cadence: left out, and said so.
    assert [p["question"] for p in body["proposals"]] == ["pull_request_review", "continuous_integration"]
    assert body["not_asked"] == ["release_cadence"] and body["commit"] == COMMIT
    assert {p["status"] for p in body["proposals"]} == {"pending"}
    listed = world.owner.get(f"/assessments/{world.assessment_id}/proposals").get_json()
    assert [(p["question"], p["evidence"]) for p in listed][1] == (
        "continuous_integration",
        [{"path": ".github/workflows/ci.yml", "commit": COMMIT}],
    )
    with world.app.app_context():
        owner = accounts.user_for_api_token(world.owner.token)
        assert answers.answers_of(tenancy.assessment_for(owner, world.assessment_id)) == {}  # nothing counts yet


def test_another_organisations_assessment_is_404_and_a_viewer_cannot_send(world):
    assert world.outsider.post(f"/assessments/{world.assessment_id}/proposals", json=scan_document()).status_code == 404
    assert world.outsider.get(f"/assessments/{world.assessment_id}/proposals").status_code == 404
    assert world.owner.get(f"/assessments/{world.other_assessment_id}/proposals").status_code == 404
    assert world.viewer.post(f"/assessments/{world.assessment_id}/proposals", json=scan_document()).status_code == 403
    assert (
        world.contributor.post(f"/assessments/{world.assessment_id}/proposals", json=scan_document()).status_code == 201
    )


def test_a_scan_with_one_wrong_value_is_refused_whole(world):
    document = scan_document()
    document["proposals"][0]["value"] = "always"
    response = world.owner.post(f"/assessments/{world.assessment_id}/proposals", json=document)
    assert response.status_code == 422
    assert "proposals[0] (continuous_integration).value" in json.dumps(response.get_json())
    assert world.owner.get(f"/assessments/{world.assessment_id}/proposals").get_json() == []
    bad_commit = world.owner.post(f"/assessments/{world.assessment_id}/proposals", json=scan_document(commit="HEAD"))
    assert bad_commit.status_code == 422


def test_a_later_scan_replaces_the_proposals_nobody_decided_on(world):
    world.owner.post(f"/assessments/{world.assessment_id}/proposals", json=scan_document())
    later = scan_document(commit="f" * 40)
    later["proposals"] = later["proposals"][:1]
    world.owner.post(f"/assessments/{world.assessment_id}/proposals", json=later)
    listed = world.owner.get(f"/assessments/{world.assessment_id}/proposals").get_json()
    assert [(p["question"], p["status"], p["commit"][:1]) for p in listed] == [
        ("continuous_integration", "pending", "f"),
        ("pull_request_review", "superseded", "0"),
        ("continuous_integration", "superseded", "0"),
    ]


def test_a_completed_assessment_takes_no_scan(world):
    with world.app.app_context():
        owner = accounts.user_for_api_token(world.owner.token)
        assessments.complete_assessment(owner, world.assessment_id)
    assert world.owner.post(f"/assessments/{world.assessment_id}/proposals", json=scan_document()).status_code == 409


def test_the_proposals_endpoint_is_in_the_openapi_document(world):
    paths = world.app.test_client().get("/api/v1/openapi.json").get_json()["paths"]
    assert set(paths["/api/v1/assessments/{assessment_id}/proposals"]) >= {"get", "post"}


# ---------------------------------------------------------------------------------------------- the CLI


def test_the_cli_prints_json_and_yaml_and_refuses_a_non_repository(tmp_path):
    repo = make_repo(tmp_path / "shop", {".github/workflows/ci.yml": WORKFLOW})
    runner = CliRunner()
    printed = runner.invoke(main, ["evidence", "scan", str(repo), "--format", "json"], catch_exceptions=False)
    assert printed.exit_code == 0, printed.output
    document = json.loads(printed.stdout)
    assert set(document) == {"repository", "commit", "proposals", "not_visible"}
    assert document["proposals"][0]["question"] == "continuous_integration"
    assert document["proposals"][0]["evidence"] == [{"path": ".github/workflows/ci.yml", "commit": document["commit"]}]
    as_yaml = runner.invoke(main, ["evidence", "scan", str(repo), "--format", "yaml"], catch_exceptions=False)
    assert as_yaml.exit_code == 0 and "question: continuous_integration" in as_yaml.stdout
    (tmp_path / "plain").mkdir()
    refused = runner.invoke(main, ["evidence", "scan", str(tmp_path / "plain")])
    assert refused.exit_code == 2 and "not a git repository" in refused.stderr
    missing = runner.invoke(main, ["evidence", "scan", str(tmp_path / "nothing-here")])
    assert missing.exit_code == 2 and "no such directory" in missing.stderr


def test_the_cli_sends_the_proposals_to_an_assessment(world, tmp_path):
    repo = make_repo(tmp_path / "shop", {".github/workflows/ci.yml": WORKFLOW})
    with serving(world.app) as url:
        args = ["evidence", "scan", str(repo), "--assessment", str(world.assessment_id), "--url", url]
        sent = CliRunner(env={"CLAUSEWISE_TOKEN": world.owner.token}).invoke(main, args, catch_exceptions=False)
        assert sent.exit_code == 0, sent.output
        assert "Sent 1 proposal(s)" in sent.stderr
        other = CliRunner().invoke(
            main,
            [*args[:3], "--assessment", str(world.other_assessment_id), "--url", url, "--token", world.owner.token],
        )
        assert other.exit_code == 1 and "(404)" in other.stderr
    listed = world.owner.get(f"/assessments/{world.assessment_id}/proposals").get_json()
    assert [(p["question"], p["value"]) for p in listed] == [("continuous_integration", "yes")]


def test_the_cli_needs_a_url_and_a_token_to_send(tmp_path):
    repo = make_repo(tmp_path / "shop", {"README.md": "x"})
    result = CliRunner(env={"CLAUSEWISE_TOKEN": "", "CLAUSEWISE_URL": ""}).invoke(
        main, ["evidence", "scan", str(repo), "--assessment", "1"]
    )
    assert result.exit_code == 2 and "--assessment needs --url" in result.stderr


# ---------------------------------------------------------------------------------------------- the pages


@pytest.fixture
def at_the_review_questions(db_app):
    """A quick scan answered up to the pull-request review question, and a browser logged in as its owner."""
    with db_app.app_context():
        organisation, owner = factories.organisation()
        assessment = factories.assessment(owner, organisation.id, "quick-scan")
        questions = knowledge_base().questionnaire("quick-scan").questions
        entries = {}
        for question in questions:
            if question.id in ("pull_request_review", "continuous_integration"):
                continue
            entries[question.id] = {"value": "some words" if question.kind == "text" else "dont_know"}
        assessments.save_answers(owner, assessment.id, entries)
        ids = owner.email, assessment.id
    client = db_app.test_client()
    login(client, ids[0])
    return client, ids[1], db_app


def upload(client, assessment_id, data: bytes, name="scan.json"):
    page = f"/workspace/assessments/{assessment_id}"
    token = csrf_from(client, page)
    return client.post(
        f"{page}/proposals",
        data={"csrf_token": token, "scan": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
        follow_redirects=True,
    )


def test_an_uploaded_scan_is_offered_one_by_one_and_counts_only_when_confirmed(at_the_review_questions):
    client, assessment_id, app = at_the_review_questions
    page = upload(client, assessment_id, json.dumps(scan_document()).encode()).get_data(as_text=True)
    assert "2 proposal(s) from shop at 0123456789ab" in page and "2 proposal(s) waiting" in page
    chat = client.get(f"/workspace/assessments/{assessment_id}/chat").get_data(as_text=True)
    # Only the proposal for the question the interview is at, with its text escaped.
    assert "names &lt;b&gt;who&lt;/b&gt; reviews" in chat and "14 workflow files" not in chat
    assert "Confirm: Partly" in chat and ".github/CODEOWNERS" in chat
    proposal_ids = _ids(app, assessment_id)
    token = csrf_from(client, f"/workspace/assessments/{assessment_id}/chat")
    base = f"/workspace/assessments/{assessment_id}/proposals"
    decide = f"{base}/decision"
    confirmed = client.post(
        decide, data={"csrf_token": token, "proposal": proposal_ids["pull_request_review"], "decision": "confirm"}
    )
    assert confirmed.status_code == 303
    with app.app_context():
        saved = answers.current_answer(assessment_id, "pull_request_review")
        assert saved.value == "partly"
        assert saved.evidence == f"Repository scan of shop at commit {COMMIT}: .github/CODEOWNERS"
        assert answers.current_answer(assessment_id, "continuous_integration") is None
        # The file the scan read is attached to the answer as a record, at the commit it was read at.
        backing = evidence.backing(tenancy.assessment_for(answers_owner(app, assessment_id), assessment_id))
        assert [(e.kind.value, e.filename, e.title) for e in backing["pull_request_review"]] == [
            ("reference", ".github/CODEOWNERS", f".github/CODEOWNERS in shop at commit {COMMIT[:12]}")
        ]
    chat = client.get(f"/workspace/assessments/{assessment_id}/chat").get_data(as_text=True)
    assert "14 workflow files" in chat and "Confirm: Yes" in chat  # the next question's proposal, now
    ci = proposal_ids["continuous_integration"]
    client.post(decide, data={"csrf_token": token, "proposal": ci, "decision": "reject"})
    with app.app_context():
        assert answers.current_answer(assessment_id, "continuous_integration") is None
    chat = client.get(f"/workspace/assessments/{assessment_id}/chat").get_data(as_text=True)
    assert "From the repository scan" not in chat
    assert statuses(app, assessment_id) == {"pull_request_review": "confirmed", "continuous_integration": "rejected"}
    again = client.post(decide, data={"csrf_token": token, "proposal": ci, "decision": "confirm"})
    assert again.status_code == 303  # a decided proposal is not decided twice
    with app.app_context():
        assert answers.current_answer(assessment_id, "continuous_integration") is None


def answers_owner(app, assessment_id):
    from app.extensions import db
    from app.models import Assessment

    return db.session.get(Assessment, assessment_id).started_by


def _ids(app, assessment_id) -> dict[str, int]:
    from app.extensions import db

    with app.app_context():
        rows = db.session.query(ScanProposal).filter_by(assessment_id=assessment_id).all()
        return {p.question_id: p.id for p in rows}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"{not json", "not a JSON file"),
        (b"\xff\xfe", "not a JSON file"),
        (json.dumps([1]).encode(), "must be a JSON object"),
        (json.dumps(scan_document(commit="main")).encode(), "expected a full commit id"),
    ],
)
def test_a_malformed_scan_file_is_refused_with_nothing_saved(at_the_review_questions, data, message):
    client, assessment_id, app = at_the_review_questions
    page = upload(client, assessment_id, data).get_data(as_text=True)
    assert message in page and "Nothing was saved" in page
    assert _ids(app, assessment_id) == {}


def test_an_upload_without_the_csrf_token_is_refused(at_the_review_questions):
    client, assessment_id, app = at_the_review_questions
    response = client.post(
        f"/workspace/assessments/{assessment_id}/proposals",
        data={"scan": (io.BytesIO(json.dumps(scan_document()).encode()), "scan.json")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    assert _ids(app, assessment_id) == {}


def test_another_organisations_proposal_cannot_be_decided(at_the_review_questions, db_app):
    client, assessment_id, app = at_the_review_questions
    upload(client, assessment_id, json.dumps(scan_document()).encode())
    proposal_id = _ids(app, assessment_id)["pull_request_review"]
    with app.app_context():
        _org, stranger = factories.organisation(name="Elsewhere")
        email = stranger.email
    outsider = app.test_client()
    login(outsider, email)
    token = csrf_from(outsider, "/workspace/")
    response = outsider.post(
        f"/workspace/assessments/{assessment_id}/proposals/decision",
        data={"csrf_token": token, "proposal": proposal_id, "decision": "confirm"},
    )
    assert response.status_code == 404
    assert statuses(app, assessment_id)["pull_request_review"] == "pending"
