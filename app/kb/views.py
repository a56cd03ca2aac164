from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for

from ..extensions import knowledge_base
from ..knowledge.describe import describe
from ..knowledge.questions import questions_for_ruleset
from ..web import fragment_wanted
from . import bp


def _catalogue():
    # One edition for now; a later edition is a second catalogue file and a selector here.
    return next(iter(knowledge_base().catalogues.values()))


def _clause_index():
    kb = knowledge_base()
    questions: dict[str, list] = {}
    rules: dict[str, list] = {}
    practices: dict[str, list] = {}
    for questionnaire in kb.questionnaires.values():
        for question in questionnaire.questions:
            for clause in question.clauses:
                questions.setdefault(clause, []).append((questionnaire, question))
    for ruleset in kb.rulesets.values():
        for rule in ruleset.rules:
            if rule.finding:
                for clause in rule.finding.clauses:
                    rules.setdefault(clause, []).append((ruleset, rule))
    for practice in kb.practices.values():
        for link in practice.clauses:
            practices.setdefault(link.clause, []).append((practice, link))
    return questions, rules, practices


@bp.get("/")
def index():
    query = (request.args.get("q") or "").strip()
    catalogue = _catalogue()
    questions, rules, practices = _clause_index()
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
    catalogue = _catalogue()
    if clause_id not in {c.id for c in catalogue.clauses}:
        # A clause of another edition (the plan of an assessment read in it links here): the clause it came from.
        sources = {s for c in knowledge_base().crosswalks if c.target != catalogue.id for s in c.sources_of(clause_id)}
        if len(sources) == 1 and sources <= {c.id for c in catalogue.clauses}:
            return redirect(url_for(".clause", clause_id=sources.pop()))
        abort(404, description=f"There is no clause {clause_id} in {catalogue.title}.")
    questions, rules, practices = _clause_index()
    kb = knowledge_base()
    return render_template(
        "kb/clause.html",
        kb=kb,
        catalogue=catalogue,
        clause=catalogue.clause(clause_id),
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
