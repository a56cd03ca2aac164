"""Reading an assessment in another edition of its standard: the questions and rules stay written once, against the
catalogue their questionnaire names, and their clause references are re-keyed through the crosswalk.

A clause that is the same, changed or renumbered is read as the one clause it became; a clause the newer edition
split lands in the part the crosswalk says (`lands`, or `lands_by` for the questions and rules whose requirement
went elsewhere), never in all of them: a finding on risks is not a finding on opportunities. The re-keyed values
are the knowledge base's own types (a Questionnaire, FindingSpecs, a Catalogue), so that readiness, the verdict and
the plan are worked out over the edition's leaves by the code that works them out for any catalogue.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, replace

from .model import Catalogue, FindingSpec, KnowledgeBase, Question, Questionnaire
from .relations import Crosswalk


@dataclass(frozen=True)
class EditionView:
    """A questionnaire and its rules' findings as they read in one edition (the questionnaire's own when
    `crosswalk` is None)."""

    edition: str  # catalogue id
    catalogue: Catalogue
    questionnaire: Questionnaire
    findings: dict[str, FindingSpec]  # by rule id, re-keyed
    crosswalk: Crosswalk | None = None

    def spec(self, finding_id: str, spec: FindingSpec) -> FindingSpec:
        """A finding's spec in this edition (one the rules do not have, such as a scope finding, re-keyed here)."""
        if self.crosswalk is None:
            return spec
        return self.findings.get(finding_id) or _spec(self.crosswalk, finding_id, spec)

    def clauses(self, clauses: tuple[str, ...], by: str | None = None) -> tuple[str, ...]:
        return rekey(self.crosswalk, clauses, by) if self.crosswalk else clauses


def rekey(crosswalk: Crosswalk, clauses: tuple[str, ...], by: str | None = None) -> tuple[str, ...]:
    """`clauses` of the crosswalk's older edition as the newer edition's, referred to by question or rule `by`;
    a clause the crosswalk does not know is kept as it is."""
    out: list[str] = []
    for clause in clauses:
        entry = next((c for c in crosswalk.clauses if c.source == clause), None)
        out += entry.landing(by) if entry else (clause,)
    return tuple(dict.fromkeys(out))


def editions_of(kb: KnowledgeBase, questionnaire_id: str) -> tuple[str, ...]:
    """The editions an assessment of this questionnaire can be read in, oldest first: the one it is written
    against, then each a crosswalk leads on to."""
    editions = [kb.questionnaire(questionnaire_id).standard]
    while (step := _crosswalk(kb, editions[-1])) is not None and step.target not in editions:
        editions.append(step.target)
    return tuple(editions)


def default_edition(kb: KnowledgeBase, questionnaire_id: str) -> str:
    """The newest published edition an assessment of this questionnaire can be read in (a draft catalogue is never
    the default: an organisation asks for it)."""
    editions = editions_of(kb, questionnaire_id)
    published = [e for e in editions if kb.catalogues[e].status == "published"]
    return (published or editions)[-1]


def edition_or_default(kb: KnowledgeBase, questionnaire_id: str, edition: str | None) -> str:
    """`edition` when assessments of the questionnaire can be read in it, else the default."""
    return edition if edition in editions_of(kb, questionnaire_id) else default_edition(kb, questionnaire_id)


_views: dict[tuple[int, str, str, str], EditionView] = {}
_lock = threading.Lock()


def view(kb: KnowledgeBase, questionnaire_id: str, edition: str | None = None) -> EditionView:
    """The questionnaire and its rules in `edition` (its own when None); ValueError for an edition the knowledge
    base cannot reach from it. Worked out once per loaded knowledge base."""
    questionnaire = kb.questionnaire(questionnaire_id)
    edition = edition or questionnaire.standard
    key = (id(kb), kb.version, questionnaire_id, edition)
    with _lock:
        if key in _views:
            return _views[key]
    ruleset = kb.ruleset_for(questionnaire_id)
    if edition == questionnaire.standard:
        found = EditionView(edition, kb.catalogues[edition], questionnaire, ruleset.findings)
    else:
        crosswalk = _crosswalk(kb, questionnaire.standard)
        if crosswalk is None or crosswalk.target != edition:
            raise ValueError(f"{questionnaire_id} cannot be read in {edition}")
        sections = tuple(
            replace(s, questions=tuple(_question(crosswalk, q) for q in s.questions)) for s in questionnaire.sections
        )
        found = EditionView(
            edition=edition,
            catalogue=kb.catalogues[edition],
            questionnaire=replace(questionnaire, standard=edition, sections=sections),
            findings={rule_id: _spec(crosswalk, rule_id, spec) for rule_id, spec in ruleset.findings.items()},
            crosswalk=crosswalk,
        )
    with _lock:
        if len(_views) > 32:  # a reloaded knowledge base leaves its views behind
            _views.clear()
        _views[key] = found
    return found


def _question(crosswalk: Crosswalk, question: Question) -> Question:
    return replace(question, clauses=rekey(crosswalk, question.clauses, question.id))


def _spec(crosswalk: Crosswalk, finding_id: str, spec: FindingSpec) -> FindingSpec:
    return replace(spec, clauses=rekey(crosswalk, spec.clauses, finding_id))


def _crosswalk(kb: KnowledgeBase, source: str) -> Crosswalk | None:
    return next((c for c in kb.crosswalks if c.source == source), None)
