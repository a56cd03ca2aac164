from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for

from ..extensions import knowledge_base
from ..knowledge import rekey
from ..knowledge.describe import describe
from ..knowledge.questions import questions_for_ruleset
from ..web import fragment_wanted
from . import bp


def _catalogue():
    """The edition the page is read in: `?edition=` when the knowledge base has it, else the newest published one
    (a draft edition is read only when asked for)."""
    kb = knowledge_base()
    asked = request.args.get("edition")
    if asked in kb.catalogues:
        return kb.catalogues[asked]
    published = [c for c in kb.catalogues.values() if c.status == "published"]
    return (published or list(kb.catalogues.values()))[-1]


def _editions(current):
    """Every edition the browser can be read in, for the selector: (catalogue, whether it is the one shown)."""
    return [(c, c.id == current.id) for c in knowledge_base().catalogues.values()]


def _clause_index(catalogue):
    """Questions, rules and practices by clause of `catalogue`. They are written once, against the edition their
    questionnaire names; in another edition their clauses are re-keyed through the crosswalk, as an assessment read
    in that edition re-keys them (knowledge.rekey), so the counts here are the ones its results would show."""
    kb = knowledge_base()
    questions: dict[str, list] = {}
    rules: dict[str, list] = {}
    practices: dict[str, list] = {}
    for questionnaire in kb.questionnaires.values():
        try:
            view = rekey.view(kb, questionnaire.id, catalogue.id)
        except ValueError:
            continue  # a questionnaire that cannot be read in this edition has nothing on its clauses
        ruleset = kb.ruleset_for(questionnaire.id)
        for question in view.questionnaire.questions:
            for clause in question.clauses:
                questions.setdefault(clause, []).append((questionnaire, question))
        for rule in ruleset.rules:
            if rule.finding:
                for clause in view.findings[rule.id].clauses:
                    entry = (ruleset, rule)
                    if entry not in rules.setdefault(clause, []):
                        rules[clause].append(entry)
    crosswalk = _crosswalk_to(catalogue)
    for practice in kb.practices.values():
        for link in practice.clauses:
            for clause in rekey.rekey(crosswalk, (link.clause,)) if crosswalk else (link.clause,):
                practices.setdefault(clause, []).append((practice, link))
    return questions, rules, practices


def _crosswalk_to(catalogue):
    return next((c for c in knowledge_base().crosswalks if c.target == catalogue.id), None)


def _changes_to(catalogue, clause_id: str):
    """The edition before `catalogue` and what its crosswalk says changed for this clause (nothing for a clause
    that stayed the same, or in the oldest edition)."""
    crosswalk = _crosswalk_to(catalogue)
    if crosswalk is None:
        return None, []
    changes = [c for c in crosswalk.clauses if clause_id in c.targets and c.relation != "same"]
    return knowledge_base().catalogues[crosswalk.source], changes


@bp.get("/")
def index():
    query = (request.args.get("q") or "").strip()
    catalogue = _catalogue()
    questions, rules, practices = _clause_index(catalogue)
    clauses = catalogue.clauses
    if query:
        needle = query.lower()
        clauses = tuple(
            c
            for c in clauses
            if needle in f"{c.id} {c.title} {c.summary}".lower()
            or any(needle in q.text.lower() for _, q in questions.get(c.id, ()))
            or any(needle in p.name.lower() for p, _ in practices.get(c.id, ()))
        )
    context = dict(
        kb=knowledge_base(),
        catalogue=catalogue,
        editions=_editions(catalogue),
        clauses=clauses,
        query=query,
        questions=questions,
        rules=rules,
        practices=practices,
    )
    if fragment_wanted():
        return render_template("kb/_clause_list.html", **context)
    return render_template("kb/index.html", **context)


@bp.get("/clauses/<clause_id>")
def clause(clause_id: str):
    kb = knowledge_base()
    catalogue = _catalogue()
    if clause_id not in {c.id for c in catalogue.clauses}:
        # A clause of another edition (the plan of an assessment read in 2026 links here): that edition's page,
        # unless the edition was asked for by name.
        others = [c for c in kb.catalogues.values() if clause_id in {x.id for x in c.clauses}]
        if others and request.args.get("edition") not in kb.catalogues:
            return redirect(url_for(".clause", clause_id=clause_id, edition=others[-1].id))
        abort(404, description=f"There is no clause {clause_id} in {catalogue.title}.")
    questions, rules, practices = _clause_index(catalogue)
    changed_from, changes = _changes_to(catalogue, clause_id)
    return render_template(
        "kb/clause.html",
        kb=kb,
        catalogue=catalogue,
        editions=[(c, here) for c, here in _editions(catalogue) if clause_id in {x.id for x in c.clauses}],
        clause=catalogue.clause(clause_id),
        changed_from=changed_from,
        changes=changes,
        questions=questions.get(clause_id, []),
        rules=rules.get(clause_id, []),
        practices=practices.get(clause_id, []),
        describe_rule=_describer(kb),
    )


@bp.get("/questionnaires/<questionnaire_id>")
def questionnaire(questionnaire_id: str):
    kb = knowledge_base()
    if questionnaire_id not in kb.questionnaires:
        abort(404, description=f"There is no questionnaire '{questionnaire_id}'.")
    return render_template(
        "kb/questionnaire.html",
        kb=kb,
        questionnaire=kb.questionnaire(questionnaire_id),
        describe_rule=_describer(kb),
    )


@bp.get("/practices")
def practices():
    kb = knowledge_base()
    return render_template("kb/practices.html", kb=kb, practices=sorted(kb.practices.values(), key=lambda p: p.name))


@bp.get("/glossary")
def glossary():
    kb = knowledge_base()
    return render_template("kb/glossary.html", kb=kb, terms=sorted(kb.terms, key=lambda t: t.term), myths=kb.myths)


def _describer(kb):
    def describe_condition(ruleset, condition):
        questions = questions_for_ruleset(kb, ruleset.id)
        return describe(condition, questions.get, lambda f: ruleset.facts[f].means if f in ruleset.facts else f)

    def for_rule(ruleset, rule):
        return describe_condition(ruleset, rule.when)

    for_rule.condition = describe_condition
    return for_rule
