"""Cross-reference checks over a knowledge base whose files each passed their schema.

Each check returns Problems naming the file, the item and the field, so a writer can fix them without reading code.
"""

from __future__ import annotations

import re
from collections import Counter

from .cross_checks import check_ways
from .errors import Problem
from .grading import check_grading
from .grouping import check_grouping
from .model import (
    DISPUTABLE_KINDS,
    NOT_APPLICABLE,
    AnswerTest,
    Condition,
    FactTest,
    Group,
    KnowledgeBase,
    Question,
    Questionnaire,
    Rule,
    RuleSet,
    disputed_question,
    iter_leaves,
)
from .practice_credit import check_in_place_names, check_practice_credit
from .strata import NegationCycle, excluded_facts, fact_strata, required_facts

MAX_QUESTIONS = 240
PLACEHOLDER = re.compile(r"\{([a-z][a-z0-9_]*)\}")
RESERVED_OPTION_VALUES = {"dont_know", NOT_APPLICABLE}


def cross_check(kb: KnowledgeBase) -> list[Problem]:
    problems: list[Problem] = []
    # Practices and the glossary are written against the catalogues the questionnaires use; another edition's
    # clauses (6.1.3, say) are reached through a crosswalk.
    used = {q.standard for q in kb.questionnaires.values()}
    clause_ids = {c.id for cat in kb.catalogues.values() if cat.id in used for c in cat.clauses}
    for catalogue in kb.catalogues.values():
        problems += _check_catalogue(catalogue)
    for practice in kb.practices.values():
        for i, link in enumerate(practice.clauses):
            if link.clause not in clause_ids:
                problems.append(
                    Problem(
                        "rules/practices.yaml",
                        practice.id,
                        f"clauses[{i}].clause",
                        _unknown("clause", link.clause),
                    )
                )
    problems += check_in_place_names(kb)
    problems += check_ways(kb)
    for item in (*kb.terms, *kb.myths):
        for clause in item.clauses:
            if clause not in clause_ids:
                problems.append(Problem("rules/glossary.yaml", item.id, "clauses", _unknown("clause", clause)))
    for questionnaire in kb.questionnaires.values():
        problems += _check_questionnaire(kb, questionnaire)
    mapped: set[str] = set()  # a shared suggestion is in every rule set: report its problems once
    for ruleset in kb.rulesets.values():
        problems += _check_ruleset(kb, ruleset)
        for suggestion in ruleset.suggestions.values():
            if suggestion.id in mapped:
                continue
            mapped.add(suggestion.id)
            for i, product in enumerate(suggestion.work_products):
                for clause in product.clauses:
                    if clause not in clause_ids:
                        problems.append(
                            Problem(
                                f"rules/{ruleset.id}",
                                suggestion.id,
                                f"work_products[{i}].clauses",
                                _unknown("clause", clause),
                            )
                        )
    return problems


def _unknown(kind: str, value: object) -> str:
    return f"unknown {kind} '{value}'"


def _check_catalogue(catalogue) -> list[Problem]:
    file = f"rules/catalogue/{catalogue.id}.yaml"
    problems = []
    groups = {g.id for g in catalogue.groups}
    for clause_id, count in Counter(c.id for c in catalogue.clauses).items():
        if count > 1:
            problems.append(Problem(file, clause_id, "id", "duplicate clause id"))
    for clause in catalogue.clauses:
        if clause.group not in groups:
            problems.append(Problem(file, clause.id, "group", _unknown("clause group", clause.group)))
        elif clause.id.split(".")[0] != clause.group:
            problems.append(Problem(file, clause.id, "group", f"clause {clause.id} is not in group {clause.group}"))
    gates = {g.id for g in catalogue.gates}
    for clause in catalogue.clauses:
        if clause.gate and clause.gate not in gates:
            problems.append(
                Problem(file, clause.id, "gate", _unknown("gate", clause.gate) + " (declare it under gates:)")
            )
    known = {c.id for c in catalogue.clauses}
    for i, (before, after) in enumerate(catalogue.dependencies):
        for clause in (before, after):
            if clause not in known:
                problems.append(Problem(file, "", f"dependencies[{i}]", _unknown("clause", clause)))
    return problems


# ---------------------------------------------------------------------------------------------- questionnaires


def _check_questionnaire(kb: KnowledgeBase, questionnaire: Questionnaire) -> list[Problem]:
    file = questionnaire.sections[0].file or f"questionnaires/{questionnaire.id}.yaml"
    problems = []
    catalogue = kb.catalogues.get(questionnaire.standard)
    if catalogue is None:
        return [Problem(file, questionnaire.id, "standard", _unknown("clause catalogue", questionnaire.standard))]
    clause_ids = {c.id for c in catalogue.clauses}
    questions = questionnaire.questions
    if len(questions) > MAX_QUESTIONS:
        problems.append(
            Problem(
                file,
                questionnaire.id,
                "sections",
                f"{len(questions)} questions; the engine takes {MAX_QUESTIONS}",
            )
        )
    for section_id, count in Counter(s.id for s in questionnaire.sections).items():
        if count > 1:
            problems.append(Problem(file, section_id, "id", "duplicate section id"))
    for question_id, count in Counter(q.id for q in questions).items():
        if count > 1:
            problems.append(Problem(file, question_id, "id", "duplicate question id"))
    position = {q.id: i for i, q in enumerate(questions)}
    for question in questions:
        file = questionnaire.file_of(question.id) or file
        for clause in question.clauses:
            if clause not in clause_ids:
                problems.append(Problem(file, question.id, "clauses", _unknown("clause", clause)))
        if not question.profile and not question.clauses:
            problems.append(Problem(file, question.id, "clauses", "name the clauses this question informs"))
        for value, count in Counter(o.value for o in question.options).items():
            if count > 1:
                problems.append(Problem(file, question.id, "options", f"duplicate option value '{value}'"))
            if value in RESERVED_OPTION_VALUES:
                problems.append(Problem(file, question.id, "options", f"'{value}' is reserved; every question has it"))
        if question.when is not None:
            for leaf in iter_leaves(question.when):
                if isinstance(leaf, AnswerTest):
                    if leaf.question == question.id:
                        problems.append(Problem(file, question.id, "when", "a follow-up cannot depend on itself"))
                    elif leaf.question in position and position[leaf.question] > position[question.id]:
                        problems.append(
                            Problem(
                                file,
                                question.id,
                                "when",
                                f"depends on '{leaf.question}', which comes later; ask it first",
                            )
                        )
    return problems


# ---------------------------------------------------------------------------------------------- rules


def _questions_of(kb: KnowledgeBase, ruleset: RuleSet) -> tuple[dict[str, Question], list[Problem]]:
    questions: dict[str, Question] = {}
    problems = []
    for questionnaire in kb.questionnaires.values():
        if questionnaire.rules != ruleset.id:
            continue
        for question in questionnaire.questions:
            other = questions.get(question.id)
            if other is not None and (other.kind, other.allowed_values()) != (
                question.kind,
                question.allowed_values(),
            ):
                problems.append(
                    Problem(
                        questionnaire.file_of(question.id),
                        question.id,
                        "kind",
                        "questionnaires sharing rules must define a question id the same way",
                    )
                )
            questions[question.id] = question
    return questions, problems


def _check_ruleset(kb: KnowledgeBase, ruleset: RuleSet) -> list[Problem]:
    questions, problems = _questions_of(kb, ruleset)
    clause_ids = {
        c.id for q in kb.questionnaires.values() if q.rules == ruleset.id for c in kb.catalogue_for(q.id).clauses
    }
    derived = {fact for rule in ruleset.rules for fact in rule.derive}
    for rule_id, count in Counter(r.id for r in ruleset.rules).items():
        if count > 1:
            rule = ruleset.rule(rule_id)
            problems.append(Problem(rule.file, rule_id, "id", "duplicate rule id"))
    for rule in ruleset.rules:
        problems += _check_rule(rule, ruleset, questions, clause_ids, derived, kb)
    for action in ruleset.actions.values():
        for dep in action.depends_on:
            if dep not in ruleset.actions:
                problems.append(Problem(f"rules/{ruleset.id}", action.id, "depends_on", _unknown("action", dep)))
    cycle = _action_cycle(ruleset)
    if cycle:
        problems.append(
            Problem(
                f"rules/{ruleset.id}",
                cycle[0],
                "depends_on",
                "actions depend on each other: " + " -> ".join(cycle),
            )
        )
    try:
        fact_strata(ruleset.rules)
    except NegationCycle as error:
        problems.append(Problem(f"rules/{ruleset.id}", error.facts[0], "when", str(error)))
    if not problems:
        problems += _check_reachability(ruleset, questions)
    problems += check_grading(kb, ruleset, questions)
    problems += check_practice_credit(kb, ruleset, questions)
    problems += check_grouping(kb, ruleset)
    return problems


def _check_rule(rule: Rule, ruleset, questions, clause_ids, derived, kb) -> list[Problem]:
    problems = []

    def problem(field: str, message: str) -> None:
        problems.append(Problem(rule.file, rule.id if not rule.generated else rule.ask[0], field, message))

    field = "when"
    for leaf in iter_leaves(rule.when):
        if isinstance(leaf, FactTest) and disputed_question(leaf.fact) is not None:
            message = _disputed_problem(disputed_question(leaf.fact), questions)
            if message:
                problem(field, message)
        elif isinstance(leaf, FactTest):
            if leaf.fact not in ruleset.facts:
                problem(field, _unknown("fact", leaf.fact) + " (declare it under facts:)")
            elif leaf.fact not in derived:
                problem(field, f"fact '{leaf.fact}' is never derived by any rule")
        else:
            message = _answer_test_problem(leaf, questions)
            if message:
                problem(field, message)
    if _nested_fact_tests(rule.when):
        problem(field, "facts may only be tested directly under the top-level all or none")
    if set(required_facts(rule)) & set(excluded_facts(rule)):
        problem(field, "requires and excludes the same fact")
    for fact in rule.derive:
        if fact not in ruleset.facts:
            problem("then.derive", _unknown("fact", fact) + " (declare it under facts:)")
    for question_id in rule.ask:
        if question_id not in questions:
            problem("then.ask", _unknown("question", question_id))
    for suggestion in rule.suggest:
        if suggestion not in ruleset.suggestions:
            problem("then.suggest", _unknown("suggestion", suggestion))
    finding = rule.finding
    if finding is not None:
        for clause in finding.clauses:
            if clause not in clause_ids:
                problem("then.finding.clauses", _unknown("clause", clause))
        for practice in finding.practices:
            if practice not in kb.practices:
                problem("then.finding.practices", _unknown("practice", practice))
        if finding.action not in ruleset.actions:
            problem("then.finding.action", _unknown("action", finding.action))
        for name in ("explanation", "recommendation"):
            for placeholder in PLACEHOLDER.findall(getattr(finding, name)):
                if placeholder not in questions:
                    problem(f"then.finding.{name}", f"{{{placeholder}}} names no question")
    return problems


def _answer_test_problem(test: AnswerTest, questions: dict[str, Question]) -> str | None:
    question = questions.get(test.question)
    if question is None:
        return _unknown("question", test.question)
    kind, op = question.kind, test.op
    if op in ("answered", "unanswered"):
        return None
    if kind == "text":
        return f"'{test.question}' is free text: only answered / unanswered can be tested"
    if kind == "multiple_choice" and op != "contains":
        return f"'{test.question}' takes several options: test it with contains"
    if op == "contains" and kind != "multiple_choice":
        return f"contains is for multiple-choice questions; '{test.question}' is {kind}"
    if op in ("lt", "lte", "gt", "gte") and kind not in ("number", "scale"):
        return f"{op} compares numbers; '{test.question}' is {kind}"
    values = test.value if op == "in" else (test.value,)
    if kind in ("yes_no", "single_choice", "multiple_choice"):
        allowed = question.allowed_values() + (("dont_know",) if kind != "yes_no" else ())
        bad = [v for v in values if v not in allowed]
        if bad:
            return (
                f"{', '.join(map(str, bad))} is not a value of '{test.question}' (expected one of {', '.join(allowed)})"
            )
    elif kind in ("number", "scale"):
        bad = [v for v in values if isinstance(v, str) and v != "dont_know"]
        if bad:
            return f"'{test.question}' is a {kind}: compare it with numbers"
        if kind == "scale" and op in ("eq", "neq", "in") and any(v not in range(6) for v in values if v != "dont_know"):
            return f"'{test.question}' is a 0-5 scale"
    return None


def _disputed_problem(question_id: str, questions) -> str | None:
    if question_id not in questions:
        return _unknown("question", question_id)
    kind = questions[question_id].kind
    if kind not in DISPUTABLE_KINDS:
        return f"respondents' answers to a {kind} question are never counted as a disagreement"
    return None


def _nested_fact_tests(group: Group) -> bool:
    nested: list[Condition] = list(group.any)
    nested += [c for c in (*group.all, *group.none) if isinstance(c, Group)]
    return any(isinstance(leaf, FactTest) for c in nested for leaf in iter_leaves(c))


def _action_cycle(ruleset: RuleSet) -> list[str]:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(action_id: str) -> list[str]:
        state[action_id] = 1
        stack.append(action_id)
        for dep in ruleset.actions[action_id].depends_on:
            if dep not in ruleset.actions:
                continue
            if state.get(dep) == 1:
                return stack[stack.index(dep) :] + [dep]
            if dep not in state:
                found = visit(dep)
                if found:
                    return found
        stack.pop()
        state[action_id] = 2
        return []

    for action_id in sorted(ruleset.actions):
        if action_id not in state:
            found = visit(action_id)
            if found:
                return found
    return []


# ---------------------------------------------------------------------------------------------- reachability


def _check_reachability(ruleset: RuleSet, questions: dict[str, Question]) -> list[Problem]:
    """Rules that can never fire and follow-ups that can never be asked, found by a conservative test."""
    dead_facts: set[str] = set()
    dead_rules: set[str] = set()
    changed = True
    while changed:
        changed = False
        for rule in ruleset.rules:
            if rule.id not in dead_rules and not _satisfiable(rule.when, dead_facts):
                dead_rules.add(rule.id)
                changed = True
        for fact in {f for r in ruleset.rules for f in r.derive} - dead_facts:
            if all(r.id in dead_rules for r in ruleset.rules if fact in r.derive):
                dead_facts.add(fact)
                changed = True
    problems = []
    for rule in ruleset.rules:
        if rule.id in dead_rules:
            if rule.generated:
                problems.append(Problem(rule.file, rule.ask[0], "when", "this follow-up can never be asked"))
            else:
                problems.append(Problem(rule.file, rule.id, "when", "this rule can never fire"))
    return problems


def _satisfiable(condition: Condition, dead_facts: set[str]) -> bool:
    if isinstance(condition, FactTest):
        return condition.fact not in dead_facts
    if isinstance(condition, AnswerTest):
        return True
    if not all(_satisfiable(c, dead_facts) for c in condition.all):
        return False
    if condition.any and not any(_satisfiable(c, dead_facts) for c in condition.any):
        return False
    return _consistent([c for c in condition.all if isinstance(c, AnswerTest)])


def _consistent(tests: list[AnswerTest]) -> bool:
    """False when tests on one question contradict each other (eq a and eq b, answered and unanswered...)."""
    by_question: dict[str, list[AnswerTest]] = {}
    for test in tests:
        by_question.setdefault(test.question, []).append(test)
    for group in by_question.values():
        ops = {t.op for t in group}
        if "unanswered" in ops and len(ops) > 1:
            return False
        possible: set | None = None
        for test in group:
            values = set(test.value) if test.op == "in" else {test.value} if test.op == "eq" else None
            if values is not None:
                possible = values if possible is None else possible & values
        if possible is not None:
            possible -= {t.value for t in group if t.op == "neq"}
            if not possible:
                return False
    return True
