"""`make bench`: engine figures measured side by side in one run (the machines are shared and noisy).

evaluate: every question of the largest questionnaire answered, at least 200 random answer sets; the durable-rules
path (app.engine.evaluate, provenance included) and the independent reference evaluator (app.engine.reference),
interleaved; then resident memory growth over 10,000 evaluations. Then two page figures (bench/web.py): the results
page and the consultant's portfolio, each as a ratio to a baseline served by the same app in the same run. Then
the chat under gunicorn: its throughput against a floor endpoint with clients that always have a request open
(bench/chat.py), and its latency under a steady load of answers arriving at a fixed rate (bench/steady.py), on
SQLite and on the PostgreSQL server CLAUSEWISE_BENCH_POSTGRES (else CLAUSEWISE_TEST_POSTGRES) names.
"""

from __future__ import annotations

import gc
import random
import statistics
import sys
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.config import PROJECT_ROOT  # noqa: E402
from app.engine import evaluate, load_knowledge_base  # noqa: E402
from app.engine.reference import reference_evaluate  # noqa: E402
from app.knowledge import rekey  # noqa: E402
from app.knowledge.model import FactTest, Group  # noqa: E402
from app.planning.assess import assess  # noqa: E402

from .login import login_line  # noqa: E402
from .web import web_lines  # noqa: E402

SETS = 200
BLOCK = 50
MEMORY_RUNS = 10_000


def random_answers(questionnaire, rng: random.Random) -> dict:
    answers = {}
    for q in questionnaire.questions:
        if q.kind == "yes_no":
            answers[q.id] = rng.choice(["yes", "partly", "no", "dont_know", "not_applicable"])
        elif q.kind == "single_choice":
            answers[q.id] = rng.choice([o.value for o in q.options])
        elif q.kind == "multiple_choice":
            values = [o.value for o in q.options]
            chosen = set(rng.sample(values, rng.randint(1, len(values))))
            answers[q.id] = [v for v in values if v in chosen]
        elif q.kind == "scale":
            answers[q.id] = rng.randint(0, 5)
        elif q.kind == "number":
            answers[q.id] = rng.choice([3, 6, 25, 40, 200, 1000])
        else:
            answers[q.id] = "some free text"
    return answers


def scaled(kb, questionnaire_id: str, copies: int):
    """The same knowledge base with every rule written `copies` times (facts renamed per copy): a stand-in for a
    larger rule set with realistic conditions, until the full questionnaire ships."""
    ruleset = kb.ruleset_for(questionnaire_id)
    rules, facts = [], dict(ruleset.facts)

    def rename(fact: str, n: int) -> str:
        return fact if n == 0 else f"{fact}_c{n}"

    def retarget(condition, n):
        if isinstance(condition, FactTest):
            return FactTest(rename(condition.fact, n))
        if isinstance(condition, Group):
            return Group(
                *(tuple(retarget(c, n) for c in part) for part in (condition.all, condition.any, condition.none))
            )
        return condition

    for n in range(copies):
        for fact in ruleset.facts.values():
            facts[rename(fact.id, n)] = replace(fact, id=rename(fact.id, n))
        for rule in ruleset.rules:
            if rule.generated and n:
                continue
            rules.append(
                replace(
                    rule,
                    id=f"{rule.id}-{n}" if n else rule.id,
                    when=retarget(rule.when, n),
                    derive=tuple(rename(f, n) for f in rule.derive),
                )
            )
    bigger = replace(ruleset, rules=tuple(rules), facts=facts)
    return replace(kb, version=f"{kb.version}x{copies}", rulesets={**kb.rulesets, ruleset.id: bigger})


def edition_line(kb, questionnaire_id: str, sets: list[dict]) -> str:
    """The full report (planning.assess: rules, readiness, verdict, plan) of the same answers read in each edition
    the questionnaire can be read in, interleaved; the 2026 one re-keys every clause through the crosswalk."""
    editions = rekey.editions_of(kb, questionnaire_id)
    times: dict[str, list[float]] = {e: [] for e in editions}
    for answers in sets[:20]:
        for edition in editions:
            assess(kb, questionnaire_id, answers, edition=edition)
    for answers in sets:
        for edition in editions:
            start = time.perf_counter()
            assess(kb, questionnaire_id, answers, edition=edition)
            times[edition].append(time.perf_counter() - start)
    medians = ", ".join(f"{e} {statistics.median(t) * 1000:.3f} ms" for e, t in times.items())
    return f"assess (full report, shipped rules) by edition: median {medians}"


def rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        pages = int(statm.read().split()[1])
    return pages * 4096 / 2**20


def main() -> None:
    kb = shipped_kb = load_knowledge_base(PROJECT_ROOT)
    questionnaire = max(kb.questionnaires.values(), key=lambda q: len(q.questions))
    shipped = len([r for r in kb.ruleset_for(questionnaire.id).rules if not r.generated])
    if shipped < 150:  # measure at the size the target names
        kb = scaled(kb, questionnaire.id, -(-150 // shipped))
    rules = [r for r in kb.ruleset_for(questionnaire.id).rules if not r.generated]
    rng = random.Random(2026)
    sets = [random_answers(questionnaire, rng) for _ in range(SETS)]
    for answers in sets[:20]:  # warm-up: compile once, fill caches
        evaluate(kb, questionnaire.id, answers)
        reference_evaluate(kb, questionnaire.id, answers)

    # Side by side in blocks of BLOCK, so noise on the shared machine hits both alike, and each side runs warm.
    engine_times, reference_times, firings = [], [], []
    for block in range(0, SETS, BLOCK):
        for answers in sets[block : block + BLOCK]:
            start = time.perf_counter()
            result = evaluate(kb, questionnaire.id, answers)
            engine_times.append(time.perf_counter() - start)
            firings.append(len(result.firings) + len(result.facts))
        for answers in sets[block : block + BLOCK]:
            start = time.perf_counter()
            reference_evaluate(kb, questionnaire.id, answers)
            reference_times.append(time.perf_counter() - start)

    gc.collect()
    before = rss_mb()
    for i in range(MEMORY_RUNS):
        evaluate(kb, questionnaire.id, sets[i % SETS])
    gc.collect()
    growth = rss_mb() - before

    if len(rules) != shipped:
        print(f"(the shipped {shipped} rules written {len(rules) // shipped} times over, to measure at 150+ rules)")
    engine_ms = statistics.median(engine_times) * 1000
    reference_ms = statistics.median(reference_times) * 1000
    print(
        f"questionnaire {questionnaire.id}: {len(questionnaire.questions)} questions, {len(rules)} rules, "
        f"{SETS} answer sets, median {statistics.median(firings):.0f} firings and facts per evaluation"
    )
    print(
        f"engine p90 {sorted(engine_times)[int(SETS * 0.9)] * 1000:.3f} ms, "
        f"reference p90 {sorted(reference_times)[int(SETS * 0.9)] * 1000:.3f} ms"
    )
    print(
        f"evaluate: median {engine_ms:.3f} ms (reference {reference_ms:.3f} ms, ratio {engine_ms / reference_ms:.2f}), "
        f"rss +{growth:.1f} MB over {MEMORY_RUNS}"
    )
    print(edition_line(shipped_kb, questionnaire.id, sets))
    # The pages, after the engine figures: each against a baseline page of the same app, same run.
    for line in web_lines(random_answers):
        print(line)
    print(login_line())


if __name__ == "__main__":
    main()
    from bench import steady
    from bench.chat import run as chat_bench

    print(chat_bench(), flush=True)
    for line in steady.lines():
        print(line, flush=True)
