"""What the results page shows before anything is unfolded: the actions that decide the audit with the findings
they close, counts by grade for each clause group, the documented information in one sentence, and how far an
interview still in progress is, and what the next edition changes (open for a certified organisation).

Plain Python (no Flask), like pages.py: it only counts and regroups what the report says.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from ..interview.flow import next_question, progress, relevant_questions
from ..knowledge.model import SEVERITIES, Catalogue, ClauseGroup, Question, Questionnaire
from ..planning.plan import PlanItem
from ..planning.report import BriefFinding, BriefReport, Finding, Report
from ..planning.transition import Transition, certified
from .pages import ChecklistItem, ClauseFindings

FIRST_ACTIONS = 5
# The summary's badges are read at a glance; the findings below say the grade in full.
BADGES = {"major": "Major", "minor": "Minor", "observation": "Observation", "improvement": "Improvement"}
PLURALS = {"major": "major", "minor": "minor", "observation": "observations", "improvement": "improvements"}


def grade_counts(findings: Iterable[BriefFinding]) -> list[tuple[str, int]]:
    """(severity, how many) for each severity present, gravest first."""
    counted = Counter(f.severity for f in findings)
    return [(s, counted[s]) for s in SEVERITIES if counted[s]]


def counts_text(counts: list[tuple[str, int]]) -> str:
    """Such as "2 major · 3 minor · 2 improvements": major and minor qualify nonconformities, the rest are nouns."""
    return " · ".join(f"{n} {s if n == 1 else PLURALS[s]}" for s, n in counts)


# ---------------------------------------------------------------------------------------------- the first actions


@dataclass(frozen=True)
class FirstAction:
    item: PlanItem
    closes: list[Finding]  # gravest first

    @property
    def grade(self) -> str:
        """The gravest grade it closes; an action that only gathers evidence closes none."""
        return self.closes[0].severity if self.closes else "evidence"


def first_actions(report: Report, limit: int = FIRST_ACTIONS) -> list[FirstAction]:
    findings = {f.id: f for f in report.findings}
    rank = {s: n for n, s in enumerate(SEVERITIES)}
    out = []
    for item in report.plan[:limit]:
        closes = sorted((findings[f] for f in item.closes if f in findings), key=lambda f: rank[f.severity])
        out.append(FirstAction(item, closes))
    return out


# ---------------------------------------------------------------------------------------------- findings by group


@dataclass(frozen=True)
class GroupFindings:
    group: ClauseGroup
    clauses: list[ClauseFindings]  # the clauses of this group that have findings shown here
    counts: list[tuple[str, int]]

    @property
    def shown(self) -> int:
        return sum(n for _, n in self.counts)

    @property
    def counts_text(self) -> str:
        return counts_text(self.counts)


def findings_by_group(clauses: list[ClauseFindings], catalogue: Catalogue) -> list[GroupFindings]:
    """The clauses with findings under their clause group, in catalogue order; a finding is counted in the group
    where it is shown (under the first of its clauses), not again where it is only mentioned."""
    out = []
    for group in catalogue.groups:
        mine = [c for c in clauses if c.clause.group == group.id]
        shown = [f for c in mine for f in c.findings]
        if shown:
            out.append(GroupFindings(group, mine, grade_counts(shown)))
    return out


# ---------------------------------------------------------------------------------------------- documented information


@dataclass(frozen=True)
class ChecklistSummary:
    known: list[ChecklistItem]  # missing or in place, or with answers that do not settle it
    not_known: list[ChecklistItem]  # no answer so far says anything about it
    in_place: int
    missing: int

    @property
    def total(self) -> int:
        return len(self.known) + len(self.not_known)


def checklist_summary(items: list[ChecklistItem]) -> ChecklistSummary:
    not_known = [i for i in items if i.status == "unknown" and not i.answers]
    known = [i for i in items if i not in not_known]
    return ChecklistSummary(
        known,
        not_known,
        sum(i.status == "in_place" for i in items),
        sum(i.status == "missing" for i in items),
    )


# ---------------------------------------------------------------------------------------------- interview progress


@dataclass(frozen=True)
class InterviewSoFar:
    answered: int  # relevant questions answered
    relevant: int  # questions that matter now, follow-ups included once asked
    next_question: Question | None

    @property
    def percent(self) -> int:
        return 100 if not self.relevant else round(100 * self.answered / self.relevant)


def interview_so_far(
    questionnaire: Questionnaire, follow_ups: Iterable[str], report: BriefReport, answers: Mapping[str, Any]
) -> InterviewSoFar:
    """How far the interview is, counted as the chat counts it (the follow-ups the rules ask are relevant)."""
    relevant = relevant_questions(questionnaire, set(follow_ups), set(report.asked))
    done = progress(questionnaire, relevant, answers)
    return InterviewSoFar(done.answered, done.relevant, next_question(relevant, answers))


# ---------------------------------------------------------------------------------------------- the next edition


@dataclass(frozen=True)
class TransitionFold:
    """The transition section: shown open for an organisation already certified (its next audits fall in the
    transition period), folded behind its one-sentence summary otherwise."""

    transition: Transition
    open: bool
    actions: Mapping[int, str]  # plan rank -> action id, for links into the plan

    @property
    def summary(self) -> str:
        counts = self.transition.counts()
        deadline = self.transition.deadline
        when = deadline.isoformat() if deadline else "not known yet"
        expected = "" if self.transition.deadline_fixed or deadline is None else " (expected, not fixed yet)"
        return (
            f"{counts['gap']} gap{'' if counts['gap'] == 1 else 's'} · {counts['not_asked']} not asked yet · "
            f"{counts['met']} met · the transition ends {when}{expected}"
        )


def transition_fold(transition: Transition | None, answers: Mapping[str, Any], report: Report) -> TransitionFold | None:
    if transition is None or not transition.items:
        return None
    return TransitionFold(transition, certified(answers), {item.rank: item.id for item in report.plan})
