"""The repository scan on fixture repositories the tests build with git: one per CI system, one with nothing,
links pointing out of the repository, a huge history, and the limits."""

from __future__ import annotations

import subprocess
import time

import pytest

from app.evidence_scan import Limits, RepositoryError, ScanInvalid, parse_scan, scan
from app.evidence_scan.history import cadence_of

from ..gitrepos import add_symlink, git, huge_history, make_repo

PR_WORKFLOW = """
name: CI
on:
  pull_request:
  push:
    branches: [main]
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: pip install -e .[dev]
      - run: python -m pytest -q
"""
PUSH_ONLY_WORKFLOW = """
on: push
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - run: python -m pytest
"""


def by_question(result) -> dict:
    return {p.question: p for p in result.proposals}


@pytest.fixture
def questions(real_kb):
    return {q.id: q for q in real_kb.questionnaire("iso9001-software").questions}


def test_github_workflows_that_test_every_pull_request_propose_continuous_integration(tmp_path, questions):
    repo = make_repo(
        tmp_path / "gh",
        {
            ".github/workflows/ci.yml": PR_WORKFLOW,
            ".github/workflows/nightly.yml": PUSH_ONLY_WORKFLOW,
            "README.md": "x",
        },
    )
    result = scan(repo, questions=questions)
    head = git(repo, "rev-parse", "HEAD").strip()
    proposal = by_question(result)["continuous_integration"]
    assert result.commit == head and result.repository == "gh"
    assert proposal.value == "yes"
    assert "1 pipeline file (GitHub Actions)" in proposal.why
    assert [(e.path, e.commit) for e in proposal.evidence] == [(".github/workflows/ci.yml", head)]
    assert any("required status checks" in note for note in result.not_visible)


def test_a_workflow_only_on_push_is_partly(tmp_path, questions):
    repo = make_repo(tmp_path / "push", {".github/workflows/ci.yaml": PUSH_ONLY_WORKFLOW})
    proposal = by_question(scan(repo, questions=questions))["continuous_integration"]
    assert proposal.value == "partly" and "triggered by pull or merge requests" in proposal.why


def test_gitlab_ci_with_a_test_job_runs_on_every_branch(tmp_path, questions):
    repo = make_repo(
        tmp_path / "gl", {".gitlab-ci.yml": "unit-tests:\n  stage: test\n  script:\n    - go test ./...\n"}
    )
    proposal = by_question(scan(repo, questions=questions))["continuous_integration"]
    assert proposal.value == "yes" and "GitLab CI" in proposal.why
    assert proposal.evidence[0].path == ".gitlab-ci.yml"


def test_gitlab_workflow_rules_without_merge_requests_are_partly(tmp_path, questions):
    text = "workflow:\n  rules:\n    - if: $CI_COMMIT_TAG\nbuild:\n  script:\n    - make test\n"
    repo = make_repo(tmp_path / "gl", {".gitlab-ci.yml": text})
    assert by_question(scan(repo, questions=questions))["continuous_integration"].value == "partly"


def test_a_jenkinsfile_that_builds_change_requests(tmp_path, questions):
    text = (
        "pipeline {\n stages {\n  stage('Test') {\n   when { changeRequest() }\n"
        "   steps { sh 'mvn -B verify' }\n  }\n }\n}\n"
    )
    repo = make_repo(tmp_path / "jenkins", {"Jenkinsfile": text})
    proposal = by_question(scan(repo, questions=questions))["continuous_integration"]
    assert proposal.value == "yes" and "Jenkins" in proposal.why


def test_a_jenkinsfile_without_change_requests_is_partly(tmp_path, questions):
    text = "pipeline { stages { stage('Build') { steps { sh 'make test' } } } }\n"
    repo = make_repo(tmp_path / "jenkins", {"Jenkinsfile": text})
    assert by_question(scan(repo, questions=questions))["continuous_integration"].value == "partly"


def test_azure_pipelines_validate_pull_requests_unless_pr_is_none(tmp_path, questions):
    steps = "steps:\n  - script: dotnet test\n    displayName: Unit tests\n"
    repo = make_repo(tmp_path / "az", {"azure-pipelines.yml": "trigger: [main]\n" + steps})
    assert by_question(scan(repo, questions=questions))["continuous_integration"].value == "yes"
    off = make_repo(tmp_path / "az-off", {"azure-pipelines.yml": "trigger: [main]\npr: none\n" + steps})
    assert by_question(scan(off, questions=questions))["continuous_integration"].value == "partly"


def test_a_repository_with_nothing_proposes_nothing_and_says_what_it_cannot_see(tmp_path, questions):
    repo = make_repo(tmp_path / "bare-bones", {"README.md": "hello\n"})
    result = scan(repo, questions=questions)
    assert result.proposals == ()
    notes = " ".join(result.not_visible)
    assert "No CI configuration" in notes and "who approved" in notes


def test_everything_a_well_kept_repository_shows(tmp_path, questions):
    files = {
        ".github/workflows/ci.yml": PR_WORKFLOW + "      - uses: anchore/sbom-action@v0\n",
        ".github/CODEOWNERS": "* @team\n",
        ".github/pull_request_template.md": "- [ ] tests\n",
        ".github/dependabot.yml": "version: 2\n",
        "CHANGELOG.md": "# 1.4.0\n",
        "docs/adr/0001-record-decisions.md": "# Record decisions\n",
        "docs/adr/0002-postgres.md": "# PostgreSQL\n",
        "docs/postmortems/2024-01-outage.md": "# Outage\n",
        "tests/test_app.py": "def test(): pass\n",
        ".coveragerc": "[run]\n",
        "CONTRIBUTING.md": "Open a pull request. Definition of Done: reviewed, tested, documented.\n",
    }
    repo = make_repo(tmp_path / "kept", files, tags={"v1.0.0": 1, "v1.1.0": 8, "v1.2.0": 15, "v1.3.0": 22})
    result = scan(repo, questions=questions)  # every value is checked against the question model
    proposals = by_question(result)
    assert {q: p.value for q, p in proposals.items()} == {
        "continuous_integration": "yes",
        "pull_request_review": "partly",
        "release_identification": "versions_only",
        "design_decisions_reviewed": "partly",
        "corrective_action": "partly",
        "open_source_controlled": "yes",
        "verification_evidence_defined": "partly",
        "definition_of_done_shared": "per_team",
        "design_process_defined": "partly",
        "release_cadence": "weekly",
    }
    assert [e.path for e in proposals["design_decisions_reviewed"].evidence] == [
        "docs/adr/0001-record-decisions.md",
        "docs/adr/0002-postgres.md",
    ]
    assert "4 version tags (latest v1.3.0)" in proposals["release_identification"].why
    assert {e.commit for p in result.proposals for e in p.evidence} == {result.commit}


def test_links_pointing_out_of_the_repository_are_never_followed(tmp_path, questions):
    outside = tmp_path / "outside"
    (outside / "adr").mkdir(parents=True)
    (outside / "adr" / "0001.md").write_text("# A decision that is not in the repository\n")
    (outside / "ci.yml").write_text(PR_WORKFLOW)
    repo = make_repo(tmp_path / "links", {"README.md": "x"})
    (repo / ".github" / "workflows").mkdir(parents=True)
    add_symlink(repo, ".github/workflows/ci.yml", str(outside / "ci.yml"))
    add_symlink(repo, "docs/adr", str(outside / "adr"))
    add_symlink(repo, "CHANGELOG.md", "../../../../../../etc/passwd")
    result = scan(repo, questions=questions)
    assert result.proposals == ()
    note = next(n for n in result.not_visible if "symbolic link" in n)
    assert "3 symbolic link(s) not followed" in note and "docs/adr" in note and ".github/workflows/ci.yml" in note


def test_a_bare_repository_is_read_from_its_objects(tmp_path, questions):
    work = make_repo(tmp_path / "work", {".github/workflows/ci.yml": PR_WORKFLOW})
    subprocess.run(["git", "clone", "-q", "--bare", str(work), str(tmp_path / "served.git")], check=True)
    result = scan(tmp_path / "served.git", questions=questions)
    assert result.repository == "served"
    assert result.commit == git(work, "rev-parse", "HEAD").strip()
    assert by_question(result)["continuous_integration"].value == "yes"


def test_the_working_directory_is_not_read_only_the_commit(tmp_path, questions):
    repo = make_repo(tmp_path / "wd", {"README.md": "x"})
    (repo / ".github" / "workflows").mkdir(parents=True)
    (repo / ".github" / "workflows" / "ci.yml").write_text(PR_WORKFLOW)  # not committed
    assert "continuous_integration" not in by_question(scan(repo, questions=questions))


@pytest.mark.parametrize("where", ["missing", "plain", "inside"])
def test_a_path_that_is_not_a_repository_is_refused(tmp_path, where):
    repo = make_repo(tmp_path / "repo", {"docs/x.md": "x"})
    (tmp_path / "plain").mkdir()
    path = {"missing": tmp_path / "nope", "plain": tmp_path / "plain", "inside": repo / "docs"}[where]
    with pytest.raises(RepositoryError) as refused:
        scan(path)
    assert str(path.resolve() if where != "missing" else path) in str(refused.value)


def test_a_repository_without_commits_is_refused(tmp_path):
    (tmp_path / "empty").mkdir()
    git(tmp_path / "empty", "init", "-q")
    with pytest.raises(RepositoryError, match="has no commit"):
        scan(tmp_path / "empty")


def test_the_repository_configuration_runs_nothing(tmp_path):
    repo = make_repo(tmp_path / "hostile", {".github/workflows/ci.yml": PR_WORKFLOW})
    marker = tmp_path / "ran"
    for key in ("core.fsmonitor", "core.pager", "core.sshCommand"):
        git(repo, "config", key, f"touch {marker}")
    hook = repo / ".git" / "hooks" / "post-checkout"
    hook.write_text(f"#!/bin/sh\ntouch {marker}\n")
    hook.chmod(0o755)
    scan(repo)
    assert not marker.exists()


def test_a_huge_history_is_read_only_up_to_the_limit_and_quickly(tmp_path, questions):
    repo = huge_history(tmp_path / "huge", 20_000, revert_every=5)
    started = time.monotonic()
    result = scan(repo, Limits(max_commits=1_000), questions=questions)
    elapsed = time.monotonic() - started
    assert elapsed < 5, f"the scan took {elapsed:.1f} s"
    assert any("Only the latest 1000 commits" in n for n in result.not_visible)
    stability = by_question(result)["delivery_stability"]
    assert stability.value == "moderate" and "40 commits of the latest 200" in stability.why


def test_the_deadline_stops_a_scan_with_a_clear_error(tmp_path):
    repo = make_repo(tmp_path / "slow", {"README.md": "x"})
    with pytest.raises(RepositoryError, match="took longer than"):
        scan(repo, Limits(deadline_seconds=0.000001))


def test_a_pipeline_file_larger_than_the_limit_is_not_read(tmp_path):
    repo = make_repo(tmp_path / "big", {".github/workflows/ci.yml": PR_WORKFLOW})
    proposal = by_question(scan(repo, Limits(max_blob_bytes=10)))["continuous_integration"]
    assert proposal.value == "partly"


@pytest.mark.parametrize(
    ("days", "cadence"), [(1, "on_demand"), (7, "weekly"), (30, "monthly"), (90, "quarterly_or_less")]
)
def test_release_cadence_from_the_typical_gap(days, cadence):
    assert cadence_of(days) == cadence


def test_an_uploaded_scan_is_checked_against_the_questions(questions):
    commit = "a" * 40
    good = {
        "repository": "r",
        "commit": commit,
        "proposals": [
            {
                "question": "continuous_integration",
                "value": "yes",
                "why": "w",
                "evidence": [{"path": "p", "commit": commit}],
            },
            {"question": "not_a_question_here", "value": "yes", "why": "w", "evidence": []},
        ],
        "not_visible": ["branch protection"],
    }
    parsed = parse_scan(good, questions)
    assert [p.question for p in parsed.result.proposals] == ["continuous_integration"]
    assert parsed.not_asked == ("not_a_question_here",)
    bad = {**good, "commit": "HEAD", "proposals": [{"question": "release_cadence", "value": "daily", "why": ""}]}
    with pytest.raises(ScanInvalid) as refused:
        parse_scan(bad, questions)
    text = str(refused.value)
    assert "commit: expected a full commit id" in text
    assert "proposals[0] (release_cadence).value" in text and "proposals[0] (release_cadence).why" in text
    with pytest.raises(ScanInvalid):
        parse_scan([1, 2], questions)


@pytest.mark.parametrize("limits", [Limits(max_files=10), Limits(max_output_bytes=600)])
def test_a_tree_past_the_limits_is_read_in_part_and_said_so(tmp_path, limits):
    repo = make_repo(tmp_path / "wide", {f"src/module_{n:03}.py": "x\n" for n in range(60)})
    result = scan(repo, limits)
    assert any(note.startswith("Only the first") and "files of the tree" in note for note in result.not_visible)


def test_only_the_limit_of_files_is_read_in_full(tmp_path):
    workflows = {f".github/workflows/ci{n}.yml": PR_WORKFLOW for n in range(5)}
    result = scan(make_repo(tmp_path / "many", workflows), Limits(max_blobs=2))
    assert "2 pipeline files" in by_question(result)["continuous_integration"].why
    assert any("Only 2 files were read in full" in note for note in result.not_visible)
