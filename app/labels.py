"""Display wording of the report's codes, one source for the pages and every export (Markdown, CSV, XLSX, PDF).

Plain Python. Severities are named by the knowledge base's vocabulary (knowledge.model) and shown from here like
every other label, so that a page and a file never call one thing by two names.
"""

from __future__ import annotations

from .knowledge.model import SEVERITY_LABELS

__all__ = [
    "BLOCKS_LABELS",
    "DI_STATUS_LABELS",
    "DI_STATUS_MARKS",
    "DOCUMENTED_INFORMATION_LABELS",
    "EFFORT_LABELS",
    "PHASE_TITLES",
    "SEVERITY_LABELS",
    "STATUS_LABELS",
]

# A plan action's tracking status (models.ActionStatus).
STATUS_LABELS = {"todo": "To do", "doing": "In progress", "done": "Done", "wont_do": "Won't do"}
EFFORT_LABELS = {"S": "small", "M": "medium", "L": "large"}
# The certification step a finding stands in the way of; empty for one that blocks none.
BLOCKS_LABELS = {"stage1": "Stage 1", "stage2": "Stage 2", "none": ""}
PHASE_TITLES = {
    "before Stage 1": "Before Stage 1",
    "before Stage 2": "Before Stage 2",
    "continual improvement": "Continual improvement",
}
# What a clause asks for as documented information, and whether it is there.
DOCUMENTED_INFORMATION_LABELS = {
    "maintain": "A document, kept current",
    "retain": "Records, kept and protected",
    "both": "A document and records",
}
DI_STATUS_LABELS = {"missing": "Missing", "in_place": "In place", "unknown": "Unknown"}
DI_STATUS_MARKS = {"missing": "✗", "in_place": "✓", "unknown": "?"}
