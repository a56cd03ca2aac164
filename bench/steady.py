"""The chat's latency under a steady load: answers arrive at a fixed rate whatever the server does (open loop,
bench/openloop.py), from many logged-in people each with their own assessment, through the real chat form (the
quick reply the last answer's fragment offered, its CSRF token, the id of the last bubble they have).

60 requests/s is about 300 people each answering every five seconds. The floor endpoint of the closed-loop
figure (bench/chat.py: same login, same tenancy check, same durable write of one answer) gets the same schedule in
alternating phases (chat, floor, chat, floor), so noise on the shared machine hits both alike. gunicorn, 4 workers,
on SQLite and (when a server is named) on PostgreSQL.
"""

from __future__ import annotations

import os
import random
import re
import tempfile
import threading
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from .chat import Client
from .openloop import Run, percentile, poisson_schedule, run_open_loop
from .servers import Server

PEOPLE = 300
RATE = 60.0  # requests per second
PHASE_SECONDS = 10.0
PHASES = 4  # chat, floor, chat, floor
WORKERS = 4
PASSWORD = "bench password 123"

_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')
_QUESTION = re.compile(r'name="question_id" value="([^"]+)"')
_KIND = re.compile(r'name="kind" value="([^"]+)"')
_VALUE = re.compile(r'name="value" value="([^"]+)"')
_OPTION = re.compile(r'name="values" value="([^"]+)"')
_BUBBLE = re.compile(r'data-id="(\d+)"')


@dataclass
class Person:
    """One logged-in user in the middle of their interview, as their browser holds it."""

    client: Client
    token: str
    assessment_id: int
    after: int = 0  # the last bubble they have: htmx sends it so only the new ones come back
    question: str | None = None
    kind: str = ""
    values: tuple[str, ...] = ()  # the quick-reply buttons offered
    options: tuple[str, ...] = ()  # the ticked options of a multiple-choice question

    def read(self, html: str) -> None:
        """Take in a page or a fragment: the question it asks now and the bubbles it adds."""
        bubbles = [int(b) for b in _BUBBLE.findall(html)]
        self.after = max([self.after, *bubbles])
        question, kind = _QUESTION.search(html), _KIND.search(html)
        self.question = question.group(1) if question else None
        self.kind = kind.group(1) if kind else ""
        self.values = tuple(_VALUE.findall(html))
        self.options = tuple(_OPTION.findall(html))

    def answer(self, rng: random.Random) -> dict:
        """What pressing one of the offered buttons (or typing a number or a sentence) posts."""
        form = {"csrf_token": self.token, "after": str(self.after)}
        if self.question is None:  # interview over: they ask for their progress
            return {**form, "text": "progress"}
        form.update(question_id=self.question, kind=self.kind)
        if self.values:
            form["value"] = rng.choice(self.values)
        elif self.options:
            form["values"] = rng.choice(self.options)
        else:
            form["text"] = "25" if self.kind == "number" else "We review it at every monthly management meeting."
        return form


# ---------------------------------------------------------------------------------------------- set-up


@contextmanager
def database(kind: str):
    """A fresh database URL for one run: a temporary SQLite file, or the PostgreSQL server that
    CLAUSEWISE_BENCH_POSTGRES (else CLAUSEWISE_TEST_POSTGRES) names, emptied first (a test database)."""
    if kind == "sqlite":
        with tempfile.TemporaryDirectory(prefix="clausewise-bench-") as folder:
            yield f"sqlite:///{Path(folder) / 'steady.sqlite3'}"
        return
    yield postgres_url()


def postgres_url() -> str | None:
    return os.environ.get("CLAUSEWISE_BENCH_POSTGRES") or os.environ.get("CLAUSEWISE_TEST_POSTGRES") or None


def _prepare(database_url: str) -> tuple[list[tuple[str, int]], list[str]]:
    """PEOPLE users, each owning an organisation with one assessment; their e-mails and assessment ids, and the
    yes/no questions the floor writes."""
    import sqlalchemy as sa
    from flask_migrate import upgrade
    from werkzeug.security import generate_password_hash

    from app.extensions import db, knowledge_base
    from app.factory import create_app
    from app.models import Role, User
    from app.services import accounts, assessments

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url})
    with app.app_context():
        db.drop_all()  # a PostgreSQL bench database keeps what the last run left
        db.session.execute(sa.text("DROP TABLE IF EXISTS alembic_version"))
        db.session.commit()
        upgrade()
        # A cheap hash: 300 logins with the default one would take the server longer than the measurement.
        password_hash = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")
        people = []
        for n in range(PEOPLE):
            email = f"steady-{n:03d}@example.com"
            user = User(email=email, name=f"Person {n}", password_hash=password_hash)
            db.session.add(user)
            db.session.commit()
            organisation = accounts.create_organisation(user, f"Steady {n:03d} Ltd", Role.OWNER)
            people.append((email, assessments.start_assessment(user, organisation.id, "iso9001-software").id))
        questionnaire = knowledge_base().questionnaire("iso9001-software")
        questions = [q.id for q in questionnaire.questions if q.kind == "yes_no" and not q.follow_up]
        db.session.remove()
        db.engine.dispose()
    return people, questions


def _arrive(port: int, email: str, assessment_id: int) -> Person:
    """Log in and open the chat page, as each person does before answering."""
    client = Client(port)
    _, page = client.request("GET", "/login")
    form = {"email": email, "password": PASSWORD, "csrf_token": _TOKEN.search(page).group(1)}
    status, _ = client.request("POST", "/login", form)
    if status != 302:
        raise RuntimeError(f"login of {email}: {status}")
    status, page = client.request("GET", f"/workspace/assessments/{assessment_id}/chat")
    if status != 200:
        raise RuntimeError(f"chat page of {email}: {status}")
    person = Person(client, _TOKEN.search(page).group(1), assessment_id)
    person.read(page)
    return person


# ---------------------------------------------------------------------------------------------- phases


def _phase(kind: str, people: list[Person], questions: list[str], seed: int) -> Run:
    rng = random.Random(seed)
    order = list(range(len(people)))
    rng.shuffle(order)  # who answers next: each person in turn, about every PEOPLE / RATE seconds
    locks = [threading.Lock() for _ in people]
    choices = [random.Random(seed * 1000 + n) for n in range(len(people))]

    def send(n: int) -> tuple[bool, str]:
        who = order[n % len(order)]
        person = people[who]
        with locks[who]:  # one person, one browser tab: their next answer waits for the last one's fragment
            path = f"/workspace/assessments/{person.assessment_id}/chat"
            headers = {"HX-Request": "true", "X-CSRFToken": person.token}
            if kind == "chat":
                status, body = person.client.request("POST", path, person.answer(choices[who]), headers)
                if status == 200:
                    person.read(body)
                return status == 200, f"{status}"
            form = {
                "csrf_token": person.token,
                "question_id": choices[who].choice(questions),
                "value": choices[who].choice(["yes", "partly", "no"]),
            }
            status, _ = person.client.request("POST", path + "/floor", form, headers)
            return status == 204, f"{status}"

    return run_open_loop(poisson_schedule(RATE, PHASE_SECONDS, seed), send)


@dataclass(frozen=True)
class Steady:
    label: str
    chat: list[Run]
    floor: list[Run]

    def line(self) -> str:
        chat = [x for r in self.chat for x in r.latencies()]
        floor = [x for r in self.floor for x in r.latencies()]
        return (
            f"chat-steady: p50 {percentile(chat, 50) * 1000:.0f} ms, p99 {percentile(chat, 99) * 1000:.0f} ms "
            f"at {RATE:.0f} req/s (floor p99 {percentile(floor, 99) * 1000:.0f} ms) on {self.label}"
        )

    def detail(self) -> str:
        runs = self.chat + self.floor
        lateness = [s.lateness for r in runs for s in r.sent]
        rates = ", ".join(f"{r.achieved_rate():.1f}" for r in runs)
        scheduled = ", ".join(f"{r.scheduled_rate():.1f}" for r in runs)
        chat_max = max(x for r in self.chat for x in r.latencies())
        return (
            f"  ({PEOPLE} people, Poisson arrivals, {len(self.chat)} chat and {len(self.floor)} floor phases of "
            f"{PHASE_SECONDS:.0f} s, {sum(len(r.sent) for r in runs)} requests, 0 failed; sent at {rates} req/s "
            f"for {scheduled} scheduled; send lateness p99 {percentile(lateness, 99) * 1000:.1f} ms, "
            f"max {max(lateness) * 1000:.1f} ms; chat max {chat_max * 1000:.0f} ms)"
        )


def run(kind: str = "sqlite") -> Steady | None:
    """The steady-load figures on one database ("sqlite" or "postgresql"); None when no PostgreSQL is named."""
    label = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}[kind]
    with database(kind) as database_url:
        if database_url is None:
            return None
        accounts, questions = _prepare(database_url)
        server = Server(database_url, workers=WORKERS, extra_env={"CLAUSEWISE_BENCH_FLOOR": "1"}).start()
        try:
            with ThreadPoolExecutor(8) as pool:
                people = list(pool.map(lambda a: _arrive(server.port, *a), accounts))
            chat, floor = [], []
            for phase in range(PHASES):
                kind_of_phase = "chat" if phase % 2 == 0 else "floor"
                result = _phase(kind_of_phase, people, questions, seed=2026 + phase)
                if result.failures:
                    failed = result.failures
                    raise RuntimeError(
                        f"{kind_of_phase}: {len(failed)} failed requests, e.g. {[f.detail for f in failed[:3]]}"
                    )
                (chat if kind_of_phase == "chat" else floor).append(result)
        finally:
            server.stop()
    return Steady(label, chat, floor)


def lines() -> list[str]:
    found = []
    for kind in ("sqlite", "postgresql"):
        steady = run(kind)
        if steady is None:
            found.append("chat-steady on PostgreSQL: skipped (set CLAUSEWISE_BENCH_POSTGRES to a test database)")
            continue
        found += [steady.line(), steady.detail()]
    return found


if __name__ == "__main__":
    for line in lines():
        print(line, flush=True)
