"""Evidence from a team's own repository: read a local git repository (never running anything from it) and propose
answers, each with why and the files it was read from. Plain Python: the CLI, the API and the tests call scan()."""

from __future__ import annotations

from pathlib import Path

from .detectors import DETECTORS, Snapshot
from .history import HISTORY_DETECTORS
from .proposals import Evidence, ParsedScan, Proposal, ScanInvalid, ScanResult, parse_scan, valid_for
from .repository import Limits, Repository, RepositoryError

__all__ = [
    "Evidence",
    "Limits",
    "ParsedScan",
    "Proposal",
    "RepositoryError",
    "ScanInvalid",
    "ScanResult",
    "parse_scan",
    "scan",
]


def scan(path: str | Path, limits: Limits | None = None, questions=None) -> ScanResult:
    """The proposals for the repository at `path`, read at its HEAD commit. `questions` (id -> Question): when
    given, every proposal is checked against the question model, so a detector that drifts from the questionnaire
    fails loudly instead of proposing what cannot be saved. RepositoryError for a path that is not a readable
    repository or a scan past its deadline."""
    repository = Repository(path, limits)
    snap = Snapshot(repository, repository.tree())
    if snap.links:
        shown = ", ".join(snap.links[:10]) + (" ..." if len(snap.links) > 10 else "")
        snap.notes.append(f"{len(snap.links)} symbolic link(s) not followed, whatever they point to: {shown}")
    if repository.files_truncated:
        snap.notes.append(f"Only the first {len(snap.entries)} files of the tree were looked at (limit of the scan).")
    proposals = []
    for detector in (*DETECTORS, *HISTORY_DETECTORS):
        proposals.extend(detector(snap))
    if questions is not None:
        for proposal in proposals:
            problem = valid_for(questions.get(proposal.question), proposal.value)
            if problem:
                raise AssertionError(f"detector proposes {proposal.value!r} for {proposal.question}: {problem}")
    if repository.blobs_read >= repository.limits.max_blobs:
        snap.notes.append(f"Only {repository.limits.max_blobs} files were read in full (limit of the scan).")
    return ScanResult(repository.origin(), repository.commit, tuple(proposals), tuple(dict.fromkeys(snap.notes)))
