"""The plan page's filters: by phase, owner and status, read from a query string and applied to the phases.

Plain Python (no Flask). Two values are not stored values but what a consultant looks for first: owner "nobody"
(actions nobody has taken on) and status "overdue" (open actions past their due date).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

from ..labels import STATUS_LABELS
from ..planning.plan import PHASES, TrackedItem
from .pages import Phase, PlanRow

NOBODY = "nobody"
OVERDUE = "overdue"


@dataclass(frozen=True)
class PlanFilters:
    phase: str = ""
    owner: str = ""
    status: str = ""

    @property
    def active(self) -> bool:
        return bool(self.phase or self.owner or self.status)

    def keeps(self, row: PlanRow, phase: str) -> bool:
        item = row.item
        if self.phase and phase != self.phase:
            return False
        if self.owner == NOBODY and item.owner.strip():
            return False
        if self.owner and self.owner != NOBODY and item.owner.strip() != self.owner:
            return False
        if self.status == OVERDUE:
            return row.overdue
        return not self.status or item.status == self.status


def owners_of(plan: list[TrackedItem]) -> list[str]:
    """The owners named in the plan, in alphabetical order (case aside), each once."""
    return sorted({i.owner.strip() for i in plan if i.owner.strip()}, key=str.casefold)


def plan_filters_from(args: Mapping[str, str], plan: list[TrackedItem]) -> PlanFilters:
    """A value that names nothing (an owner no longer in the plan, a misspelt status) is ignored, not refused."""
    phase = (args.get("phase") or "").strip()
    owner = (args.get("owner") or "").strip()
    status = (args.get("status") or "").strip()
    return PlanFilters(
        phase if phase in PHASES else "",
        owner if owner == NOBODY or owner in owners_of(plan) else "",
        status if status == OVERDUE or status in STATUS_LABELS else "",
    )


def filtered(phases: list[Phase], filters: PlanFilters) -> list[Phase]:
    """The phases with only the rows the filters keep; a phase filter leaves the other phases out altogether."""
    if not filters.active:
        return phases
    return [
        replace(phase, rows=[r for r in phase.rows if filters.keeps(r, phase.key)])
        for phase in phases
        if not filters.phase or phase.key == filters.phase
    ]
