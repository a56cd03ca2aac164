"""Measures read from the history: how often versions are tagged and what share of commits revert another.
Both are proxies (a tag is not a delivery, a revert is not every failure), and the proposals say so."""

from __future__ import annotations

from statistics import median

from .detectors import VERSION_TAG, Snapshot, _count
from .proposals import Evidence, Proposal

DAY = 86_400
YEAR = 365 * DAY
RECENT_COMMITS = 200  # the window the revert share is taken over: recent practice, not the project's childhood
MIN_COMMITS = 20  # fewer and a share means little
MIN_RELEASES = 3


def cadence_of(gaps_in_days: float) -> str:
    """The release_cadence option a median gap between releases falls in."""
    if gaps_in_days <= 3:
        return "on_demand"
    if gaps_in_days <= 10:
        return "weekly"
    if gaps_in_days <= 45:
        return "monthly"
    return "quarterly_or_less"


def release_frequency(snap: Snapshot) -> list[Proposal]:
    tags, _ = snap.repository.tags()
    commits, _ = snap.repository.history()
    if not commits:
        return []
    # The year before the scanned commit, not before today: the same clone gives the same answer later.
    end = commits[0].timestamp
    recent = sorted({t.timestamp for t in tags if VERSION_TAG.match(t.name) and end - YEAR <= t.timestamp <= end})
    if len(recent) < MIN_RELEASES:
        return []
    gaps = [(b - a) / DAY for a, b in zip(recent, recent[1:], strict=False)]
    typical = median(gaps)
    names = [t.name for t in tags if VERSION_TAG.match(t.name)][:5]
    return [
        Proposal(
            "release_cadence",
            cadence_of(typical),
            f"{_count(len(recent), 'version tag')} in the year up to the scanned commit, typically {typical:.0f} "
            "days apart. A tag is when a version was cut; confirm if changes reach customers at that pace.",
            tuple(Evidence(f"refs/tags/{name}", snap.commit) for name in names),
        )
    ]


def reverts(snap: Snapshot) -> list[Proposal]:
    commits, more = snap.repository.history()
    if more:
        snap.notes.append(f"Only the latest {len(commits)} commits of the history were read (limit of the scan).")
    window = commits[:RECENT_COMMITS]
    if len(window) < MIN_COMMITS:
        return []
    reverted = [c for c in window if c.reverts]
    share = len(reverted) / len(window)
    if share < 1 / 7:
        value = "low_fast"
    elif share <= 1 / 3:
        value = "moderate"
    else:
        value = "high"
    snap.notes.append(
        "How long service took to recover after a failed deployment is not in the history; only reverts are."
    )
    return [
        Proposal(
            "delivery_stability",
            value,
            f"{_count(len(reverted), 'commit')} of the latest {len(window)} revert an earlier change "
            f"({share:.0%}). Reverts stand in for failed changes here; confirm against your deployment records.",
            (Evidence(f"git log (latest {len(window)} commits)", snap.commit),)
            + tuple(Evidence(f"commit {c.id}", c.id) for c in reverted[:20]),
        )
    ]


HISTORY_DETECTORS = (release_frequency, reverts)
