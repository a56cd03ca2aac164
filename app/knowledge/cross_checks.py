"""Checks of the knowledge-base files that relate one part to another: crosswalks between editions, mappings from
another standard, ways of working. Each names clauses, questions or options defined elsewhere, so its check needs
the catalogues and questionnaires; kept apart from the files' own types so that the model can hold those types
without importing its own checks.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping as AnyMapping

from .errors import Problem
from .model import YES_NO_VALUES, Catalogue
from .relations import Crosswalk, Mapping
from .ways import CHOICE_KINDS, WAYS_FILE


def check_crosswalk(
    crosswalk: Crosswalk,
    catalogues: dict[str, Catalogue],
    questions: set[str],
    file: str,
    references: AnyMapping[str, tuple[str, ...]] | None = None,
) -> list[Problem]:
    """Every leaf of the older edition mapped once, every leaf of the newer one reached or marked new, every
    question named under `asks` one of the older edition's (`questions`), and every key of `lands_by` one of its
    questions or rules that refers to the split clause (`references`: their clauses, by question or rule id)."""
    references = references if references is not None else {q: () for q in questions}
    problems: list[Problem] = []

    def problem(item: str, field: str, message: str) -> None:
        problems.append(Problem(file, item, field, message))

    older, newer = catalogues.get(crosswalk.source), catalogues.get(crosswalk.target)
    for name, key, catalogue in (("from", crosswalk.source, older), ("to", crosswalk.target, newer)):
        if catalogue is None:
            problem(crosswalk.id, name, f"no catalogue '{key}' (known: {', '.join(sorted(catalogues)) or 'none'})")
    if older is None or newer is None:
        return problems
    old_leaves = {c.id for c in older.leaves}
    new_leaves = {c.id for c in newer.leaves}
    mapped = Counter(c.source for c in crosswalk.clauses if c.source)
    reached = Counter(t for c in crosswalk.clauses for t in c.targets)
    for i, entry in enumerate(crosswalk.clauses):
        where = f"clauses[{i}]"
        if entry.source and entry.source not in old_leaves:
            problem(entry.source, f"{where}.from", f"not a leaf clause of {older.id}")
        for target in entry.targets:
            if target not in new_leaves:
                problem(entry.source or target, f"{where}.to", f"{target} is not a leaf clause of {newer.id}")
        for question in entry.asks:
            if question not in questions:
                problem(entry.source or entry.targets[0], f"{where}.asks", f"no question '{question}' on {older.id}")
        for by, _landing in entry.lands_by:
            if by not in references:
                problem(entry.source, f"{where}.lands_by", f"no question or rule '{by}' on {older.id}")
            elif references[by] and entry.source not in references[by]:
                problem(entry.source, f"{where}.lands_by", f"'{by}' does not refer to {entry.source}")
        if entry.relation == "new" and reached[entry.targets[0]] > 1:
            problem(entry.targets[0], f"{where}.relation", "marked new but also reached from an older clause")
        if entry.relation == "merged" and sum(entry.targets[0] in c.targets for c in crosswalk.clauses) < 2:
            problem(entry.source, f"{where}.relation", "'merged' needs at least two clauses going into one")
    for clause_id in sorted(old_leaves - set(mapped)):
        problem(clause_id, "clauses", f"{older.id} clause {clause_id} is not mapped to {newer.id}")
    for clause_id in sorted(c for c, n in mapped.items() if n > 1):
        problem(clause_id, "clauses", f"{older.id} clause {clause_id} is mapped more than once")
    for clause_id in sorted(new_leaves - set(reached)):
        problem(clause_id, "clauses", f"{newer.id} clause {clause_id} is reached by nothing and not marked new")
    return problems


def check_mapping(mapping: Mapping, catalogues: dict[str, Catalogue], questions: set[str], file: str) -> list[Problem]:
    """Every ISO 9001 clause named is one of the target catalogue's, every question one its questionnaires ask."""
    problems: list[Problem] = []
    catalogue = catalogues.get(mapping.target)
    if catalogue is None:
        known = ", ".join(sorted(catalogues)) or "none"
        return [Problem(file, mapping.id, "to", f"no catalogue '{mapping.target}' (known: {known})")]
    clause_ids = {c.id for c in catalogue.clauses}
    for i, entry in enumerate(mapping.entries):
        where = f"entries[{i}]"
        for target in entry.targets:
            if target not in clause_ids:
                problems.append(
                    Problem(file, entry.source, f"{where}.to", f"{target} is not a clause of {catalogue.id}")
                )
        for question in entry.answers:
            if question not in questions:
                problems.append(Problem(file, entry.source, f"{where}.answers", f"no question '{question}'"))
    seen: set[str] = set()
    for entry in mapping.entries:
        if entry.source in seen:
            problems.append(Problem(file, entry.source, "entries", f"{entry.source} is mapped more than once"))
        seen.add(entry.source)
    return problems


def check_ways(kb) -> list[Problem]:
    """Each way tests choice questions some questionnaire asks, with values those questions have; each wording a
    rule gives is for a way the file names."""
    problems: list[Problem] = []
    seen: set[str] = set()
    questions = {q.id: q for qn in kb.questionnaires.values() for q in qn.questions}
    for way in kb.ways:
        if way.id in seen:
            problems.append(Problem(WAYS_FILE, way.id, "id", "duplicate way id"))
        seen.add(way.id)
        for question_id, values in way.when:
            question = questions.get(question_id)
            field = f"when.{question_id}"
            if question is None:
                problems.append(Problem(WAYS_FILE, way.id, field, f"no questionnaire asks '{question_id}'"))
            elif question.kind not in CHOICE_KINDS:
                problems.append(Problem(WAYS_FILE, way.id, field, f"'{question_id}' is not a choice question"))
            else:
                choice = question.kind == "single_choice"
                options = {o.value for o in question.options} if choice else set(YES_NO_VALUES)
                for value in sorted(values - options):
                    problems.append(Problem(WAYS_FILE, way.id, field, f"'{question_id}' has no option '{value}'"))
    for ruleset in kb.rulesets.values():
        for rule in ruleset.rules:
            for way_id, _ in rule.finding.recommendation_for if rule.finding else ():
                if way_id not in seen:
                    problems.append(
                        Problem(
                            rule.file,
                            rule.id,
                            "then.finding.recommendation_for",
                            f"unknown way of working '{way_id}' (known: {', '.join(sorted(seen)) or 'none'};"
                            f" see {WAYS_FILE})",
                        )
                    )
    return problems
