"""Pipeline definitions of the four CI systems a clone can show: which files, whether they run on every proposed
change (a pull or merge request), and whether they run tests. Files are parsed as data (YAML) or, for a
Jenkinsfile, searched as text: nothing in them is evaluated."""

from __future__ import annotations

import re
from dataclasses import dataclass
from fnmatch import fnmatch
from typing import Any

import yaml

SYSTEMS = {
    "github": "GitHub Actions",
    "gitlab": "GitLab CI",
    "jenkins": "Jenkins",
    "azure": "Azure Pipelines",
}

# Commands and step names that run a test suite, in the ecosystems a software team is likely to use.
TEST_COMMAND = re.compile(
    r"(?<![\w-])("
    r"pytest|tox|nox|unittest|py\.test|"
    r"(npm|yarn|pnpm|bun)( run)? (test|ci-test)|jest|vitest|mocha|karma|playwright test|cypress run|"
    r"go test|cargo test|cargo nextest|"
    r"mvn[\w .-]* (test|verify)|gradlew?[\w .:-]* (test|check)|"
    r"dotnet test|rspec|rake test|phpunit|ctest|"
    r"make (test|check)|mix test|swift test|flutter test|"
    r"test|tests|unit-tests?|run tests?"
    r")(?![\w-])",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Pipeline:
    system: str
    path: str
    on_every_change: bool  # runs on pull / merge requests
    runs_tests: bool


def pipeline_paths(paths: list[str]) -> dict[str, str]:
    """The CI definition files among the tree's paths, with their system."""
    found = {}
    for path in paths:
        lower = path.lower()
        if fnmatch(lower, ".github/workflows/*.yml") or fnmatch(lower, ".github/workflows/*.yaml"):
            if "/" not in path[len(".github/workflows/") :]:
                found[path] = "github"
        elif lower == ".gitlab-ci.yml" or fnmatch(lower, ".gitlab/ci/*.yml"):
            found[path] = "gitlab"
        elif lower == "jenkinsfile" or fnmatch(lower, "*/jenkinsfile") or fnmatch(lower, "jenkinsfile.*"):
            found[path] = "jenkins"
        elif lower in ("azure-pipelines.yml", "azure-pipelines.yaml") or fnmatch(lower, ".azure-pipelines/*.yml"):
            found[path] = "azure"
    return found


def read_pipeline(system: str, path: str, text: str | None) -> Pipeline:
    if text is None:  # too large or past the budget: it exists, but what it does is not known
        return Pipeline(system, path, False, False)
    if system == "jenkins":
        return _jenkins(path, text)
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError:
        return Pipeline(system, path, False, False)
    if not isinstance(data, dict):
        return Pipeline(system, path, False, False)
    if system == "github":
        return Pipeline(system, path, _github_on_change(data), _runs_tests(data.get("jobs")))
    if system == "gitlab":
        return Pipeline(system, path, _gitlab_on_change(data), _runs_tests(data))
    return Pipeline(system, path, _azure_on_change(data), _runs_tests(data))


def _github_on_change(data: dict) -> bool:
    # YAML 1.1 reads a bare `on` key as the boolean True.
    trigger = data.get("on", data.get(True))
    if isinstance(trigger, str):
        trigger = [trigger]
    return any(event in ("pull_request", "pull_request_target", "merge_group") for event in (trigger or []))


def _gitlab_on_change(data: dict) -> bool:
    text = yaml.safe_dump(data)
    if "merge_request_event" in text or "CI_MERGE_REQUEST" in text or "merge_requests" in text:
        return True
    # Without workflow rules GitLab runs a pipeline on every push to every branch, so every merge request's
    # branch is tested before it is merged.
    return "workflow" not in data


def _azure_on_change(data: dict) -> bool:
    pr = data.get("pr")
    # Without a `pr:` key Azure Pipelines validates pull requests to every branch (for GitHub repositories; for
    # Azure Repos that is a branch policy, out of sight).
    return pr is None or (pr not in ("none", False, []))


def _jenkins(path: str, text: str) -> Pipeline:
    stages = re.findall(r"stage\s*\(\s*['\"]([^'\"]*)['\"]", text)
    commands = re.findall(r"\b(?:sh|bat|powershell)\s*\(?\s*['\"]{1,3}([^'\"]*)['\"]", text)
    # A multibranch pipeline builds each change request; the file shows it when it branches on one.
    on_change = "changeRequest" in text or "CHANGE_ID" in text
    return Pipeline("jenkins", path, on_change, _commands_test(stages + commands))


def _commands_test(commands: list[str]) -> bool:
    return any(TEST_COMMAND.search(c) for c in commands)


def _runs_tests(node: Any) -> bool:
    """Whether a job, step or script line anywhere in the definition runs tests (its name or its command)."""
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            for key, value in item.items():
                if key in ("run", "script", "before_script", "name", "bash", "pwsh", "powershell", "task", "uses"):
                    lines = value if isinstance(value, list) else [value]
                    if _commands_test([str(line) for line in lines if isinstance(line, (str, int))]):
                        return True
                if isinstance(key, str) and TEST_COMMAND.fullmatch(key):  # a job named "test"
                    return True
                stack.append(value)
        elif isinstance(item, list):
            stack.extend(item)
    return False
