"""Detectors: each looks at the commit's tree for one kind of record and proposes an answer to the question it
serves, in plain words, with the files as evidence. A detector that finds nothing proposes nothing: an absent file
in one repository does not show that a practice is absent (it may live in another repository or tool)."""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from . import ci
from .proposals import Evidence, Proposal
from .repository import Repository, TreeEntry

MAX_EVIDENCE_PATHS = 50


@dataclass
class Snapshot:
    """The tree of the scanned commit, with the reads the detectors make counted against the limits."""

    repository: Repository
    entries: list[TreeEntry]
    notes: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.files = {e.path: e for e in self.entries if e.kind == "blob" and not e.is_symlink}
        self.links = [e.path for e in self.entries if e.is_symlink]
        self._texts: dict[str, str | None] = {}
        self._lowered = [(path.lower(), path) for path in self.files]

    @property
    def commit(self) -> str:
        return self.repository.commit

    def matching(self, *patterns: str) -> list[str]:
        """Regular files (never links) whose lower-cased path matches one of the glob patterns."""
        # One regular expression for all the patterns: a large tree is walked once per call, not once per pattern.
        combined = re.compile("|".join(fnmatch.translate(pattern) for pattern in patterns))
        return sorted(path for lower, path in self._lowered if combined.match(lower))

    def under(self, folders: Iterable[str]) -> dict[str, list[str]]:
        """The files under each of the folders that has any (case-insensitive), links left out."""
        found: dict[str, list[str]] = {}
        for folder in folders:
            prefix = folder.lower().rstrip("/") + "/"
            inside = sorted(p for p in self.files if p.lower().startswith(prefix))
            if inside:
                found[folder] = inside
        return found

    def text(self, path: str) -> str | None:
        """A file's text, read once however many detectors ask (each read counts against max_blobs)."""
        if path not in self._texts:
            self._texts[path] = self.repository.read(self.files[path])
        return self._texts[path]

    def evidence(self, paths: Iterable[str]) -> tuple[Evidence, ...]:
        return tuple(Evidence(p, self.commit) for p in list(paths)[:MAX_EVIDENCE_PATHS])


Detector = Callable[[Snapshot], list[Proposal]]


def _count(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def continuous_integration(snap: Snapshot) -> list[Proposal]:
    found = ci.pipeline_paths(list(snap.files))
    if not found:
        snap.notes.append(
            "No CI configuration (GitHub Actions, GitLab CI, Jenkinsfile, Azure Pipelines) in the repository; a "
            "pipeline configured only on a CI server cannot be seen from a clone."
        )
        return []
    pipelines = [ci.read_pipeline(system, path, snap.text(path)) for path, system in sorted(found.items())]
    gating = [p for p in pipelines if p.on_every_change and p.runs_tests]
    systems = sorted({ci.SYSTEMS[p.system] for p in pipelines})
    snap.notes.append(
        "Whether the pipeline must pass before a change can be merged (required status checks, branch "
        "protection) is set on the hosting service, not in the repository."
    )
    if gating:
        what = _count(len(gating), "pipeline file")
        return [
            Proposal(
                "continuous_integration",
                "yes",
                f"I found {what} ({', '.join(systems)}) that {'runs' if len(gating) == 1 else 'run'} the tests "
                "on every pull or merge request. "
                "Confirm only if every change goes through them and they must pass before merging.",
                snap.evidence(p.path for p in gating),
            )
        ]
    testing = [p for p in pipelines if p.runs_tests]
    why = f"I found {_count(len(pipelines), 'pipeline file')} ({', '.join(systems)}), but " + (
        "none of them is triggered by pull or merge requests, so a change may be merged before it is tested."
        if testing
        else "none of them visibly runs a test suite."
    )
    return [Proposal("continuous_integration", "partly", why, snap.evidence(p.path for p in pipelines))]


CODEOWNERS = ("codeowners", ".github/codeowners", "docs/codeowners", ".gitlab/codeowners")
REVIEW_TEMPLATES = (
    ".github/pull_request_template.md",
    "pull_request_template.md",
    "docs/pull_request_template.md",
    ".github/pull_request_template/*",
    ".gitlab/merge_request_templates/*",
    ".azuredevops/pull_request_template.md",
)


def review_rules(snap: Snapshot) -> list[Proposal]:
    owners = snap.matching(*CODEOWNERS)
    templates = snap.matching(*REVIEW_TEMPLATES)
    snap.notes.append(
        "Whether reviews are required before merging, and who approved each pull or merge request, is kept by "
        "the hosting service and cannot be read from a clone."
    )
    if not owners and not templates:
        return []
    parts = []
    if owners:
        parts.append("a CODEOWNERS file names who reviews which part of the code")
    if templates:
        parts.append(f"{_count(len(templates), 'pull/merge-request template')} ask for a checklist with each change")
    return [
        Proposal(
            "pull_request_review",
            "partly",
            "In the repository, " + " and ".join(parts) + ". That shows how review is meant to work; answer "
            "'yes' only if the hosting service requires an approval by someone other than the author on every change.",
            snap.evidence(owners + templates),
        )
    ]


VERSION_TAG = re.compile(r"^(v|release[-/_]?|rel[-/_]?)?\d+(\.\d+)+([-+.][\w.-]+)?$", re.IGNORECASE)
CHANGELOGS = ("changelog*", "changes*", "history.md", "releases.md", "release-notes*", "release_notes*", "news*")


def release_identification(snap: Snapshot) -> list[Proposal]:
    tags, _ = snap.repository.tags()
    versions = [t.name for t in tags if VERSION_TAG.match(t.name)]
    changelogs = snap.matching(*CHANGELOGS, "docs/changelog*", "docs/release-notes*")
    if not versions:
        return []
    why = f"{_count(len(versions), 'version tag')} (latest {versions[0]}) in the history"
    why += f" and a changelog ({changelogs[0]})" if changelogs else ", but no changelog file"
    why += (
        ". Each release has a version; whether each deployment records its commit and pipeline run, and "
        "commits carry ticket keys, cannot be told from the tags alone."
    )
    snap.notes.append("Which version runs where (a deployment history per environment or customer) is not in a clone.")
    evidence = snap.evidence([f"refs/tags/{versions[0]}", *changelogs])
    return [Proposal("release_identification", "versions_only", why, evidence)]


ADR_FOLDERS = (
    "docs/adr",
    "doc/adr",
    "docs/adrs",
    "adr",
    "adrs",
    "docs/decisions",
    "doc/decisions",
    "decisions",
    "docs/architecture/decisions",
    "doc/architecture/decisions",
    "architecture/decisions",
    "docs/design/decisions",
)


def decision_records(snap: Snapshot) -> list[Proposal]:
    found = snap.under(ADR_FOLDERS)
    records = sorted(
        {p for paths in found.values() for p in paths if p.lower().endswith((".md", ".rst", ".adoc", ".txt"))}
    )
    if not records:
        return []
    return [
        Proposal(
            "design_decisions_reviewed",
            "partly",
            f"{_count(len(records), 'architecture decision record')} in {', '.join(sorted(found))}: significant "
            "decisions are written down. Answer 'yes' if each one is also reviewed by someone other than its author "
            "before it is acted on (a reviewed pull request per record shows it).",
            snap.evidence(records),
        )
    ]


INCIDENT_FOLDERS = (
    "postmortems",
    "post-mortems",
    "docs/postmortems",
    "docs/post-mortems",
    "docs/incidents",
    "incidents",
    "doc/postmortems",
    "docs/retrospectives",
    "docs/rca",
)


def postmortems(snap: Snapshot) -> list[Proposal]:
    found = snap.under(INCIDENT_FOLDERS)
    records = sorted({p for paths in found.values() for p in paths})
    if not records:
        return []
    return [
        Proposal(
            "corrective_action",
            "partly",
            f"{_count(len(records), 'file')} in {', '.join(sorted(found))} record incidents and what was learnt. "
            "Answer 'yes' if every serious incident, escaped defect and complaint gets such an analysis and its "
            "actions are followed to the end.",
            snap.evidence(records),
        )
    ]


DEPENDENCY_UPDATES = (
    ".github/dependabot.yml",
    ".github/dependabot.yaml",
    "renovate.json",
    "renovate.json5",
    ".renovaterc",
    ".renovaterc.json",
    ".github/renovate.json",
    ".github/renovate.json5",
    ".gitlab/renovate.json",
)
SBOM = re.compile(r"\b(cyclonedx|spdx|syft|sbom|anchore/sbom-action|cdxgen)\b", re.IGNORECASE)


def external_components(snap: Snapshot) -> list[Proposal]:
    updates = snap.matching(*DEPENDENCY_UPDATES)
    sbom_files = snap.matching("*.cdx.json", "*.spdx", "*.spdx.json", "bom.json", "bom.xml", "sbom*", "*/sbom*")
    for path in ci.pipeline_paths(list(snap.files)):
        text = snap.text(path)
        if text and SBOM.search(text):
            sbom_files.append(path)
    if not updates and not sbom_files:
        return []
    parts = []
    if updates:
        parts.append(f"dependency updates are automated ({', '.join(updates)})")
    if sbom_files:
        parts.append("a software bill of materials is produced or kept")
    complete = bool(updates and sbom_files)
    why = "In the repository, " + " and ".join(parts) + ". "
    why += (
        "Confirm if a rule for taking in new libraries (licence, maintenance, known vulnerabilities) is also applied."
        if complete
        else "That covers part of the control of libraries: a rule for taking in new ones and the other half "
        "(" + ("an SBOM" if updates else "automated updates") + ") are not visible."
    )
    return [
        Proposal("open_source_controlled", "yes" if complete else "partly", why, snap.evidence(updates + sbom_files))
    ]


TEST_FOLDERS = ("tests", "test", "spec", "__tests__", "src/test", "e2e", "integration-tests")
COVERAGE = (
    ".coveragerc",
    "codecov.yml",
    ".codecov.yml",
    "jest.config.*",
    ".nycrc*",
    "coverage.*",
    "sonar-project.properties",
    "vitest.config.*",
)


def verification(snap: Snapshot) -> list[Proposal]:
    folders = {}
    for path in snap.files:
        parts = path.split("/")
        # The outermost test folder within two levels (tests/, src/test/), each file counted once.
        depth = next((d for d in (1, 2) if len(parts) > d and parts[d - 1].lower() in TEST_FOLDERS), None)
        if depth:
            folders.setdefault("/".join(parts[:depth]), []).append(path)
    coverage = snap.matching(*COVERAGE)
    for path in snap.matching("pyproject.toml", "setup.cfg", "tox.ini"):
        text = snap.text(path)
        if text and ("[tool.coverage" in text or "[coverage:" in text or "--cov" in text):
            coverage.append(path)
    if not folders:
        return []
    tests = sum(len(paths) for paths in folders.values())
    why = f"{_count(tests, 'file')} in test folders ({', '.join(sorted(folders)[:5])})"
    why += f" and coverage configured ({', '.join(coverage[:3])})" if coverage else ", no coverage configuration"
    why += (
        ". Tests are kept with the code; answer 'yes' if it is also decided which records every change must "
        "leave behind (a linked ticket, a passing pipeline, a reviewed pull request)."
    )
    evidence = snap.evidence(sorted(folders)[:10] + coverage)
    return [Proposal("verification_evidence_defined", "partly", why, evidence)]


DONE_DOCUMENTS = (
    "definition-of-done*",
    "definition_of_done*",
    "docs/definition-of-done*",
    "docs/definition_of_done*",
    "dod.md",
    "docs/dod.md",
    "*/definition-of-done*",
)
CONTRIBUTING = ("contributing*", ".github/contributing*", "docs/contributing*")


def definition_of_done(snap: Snapshot) -> list[Proposal]:
    done = snap.matching(*DONE_DOCUMENTS)
    contributing = snap.matching(*CONTRIBUTING)
    mentions = [p for p in contributing if re.search(r"definition of done|\bdone\b when", snap.text(p) or "", re.I)]
    proposals = []
    if done or mentions:
        proposals.append(
            Proposal(
                "definition_of_done_shared",
                "per_team",
                f"A written Definition of Done is versioned in the repository ({', '.join((done + mentions)[:3])}). "
                "Answer 'shared' if it is the minimum every team applies, 'shared_enforced' if pipeline gates "
                "enforce it.",
                snap.evidence(done + mentions),
            )
        )
    if contributing:
        proposals.append(
            Proposal(
                "design_process_defined",
                "partly",
                f"{contributing[0]} writes down how a change is made and checked in this repository. Answer 'yes' "
                "if a description of the whole path from idea to running software applies to every kind of change.",
                snap.evidence(contributing),
            )
        )
    return proposals


DETECTORS: tuple[Detector, ...] = (
    continuous_integration,
    review_rules,
    release_identification,
    decision_records,
    postmortems,
    external_components,
    verification,
    definition_of_done,
)
