"""Reliability against real server processes (gunicorn on loopback, bench/servers.py): an acknowledged answer
survives a SIGKILL, sessions and answers are shared by several hosts on one database, concurrent answers lose
nothing, and with the database down the JSON API says so and leaves nothing half-written."""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import re
import signal
import subprocess
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from email.message import Message
from http.cookies import SimpleCookie
from urllib.parse import urlencode

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from app.extensions import db
from app.factory import create_app
from app.models import Answer, AnswerRevision
from app.services import accounts, answers, assessments
from bench.servers import Server, free_port

from .. import factories
from ..conftest import dispose

API = "/api/v1"
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


# ---------------------------------------------------------------------------------------------- a database, migrated


@dataclass
class Seed:
    """An owner with an organisation, an assessment and an API token, made through the services."""

    app: object  # on the same database, for looking at it directly
    database_url: str
    email: str
    token: str
    organisation_id: int
    assessment_id: int


def _wipe() -> None:
    db.drop_all()
    db.session.execute(sa.text("DROP TABLE IF EXISTS alembic_version"))
    db.session.commit()


@pytest.fixture
def seeded(database_url):
    """The database of `database_url` (SQLite file, or PostgreSQL when CLAUSEWISE_TEST_POSTGRES is set) made by the
    migrations, as in production, with one owner's data; wiped again afterwards."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url})
    with app.app_context():
        _wipe()
        upgrade()
        organisation, owner = factories.organisation(name="Reliable Ltd")
        assessment = factories.assessment(owner, organisation.id)
        _row, token = accounts.create_api_token(owner, "reliability")
        seed = Seed(app, database_url, owner.email, token, organisation.id, assessment.id)
        db.session.remove()
    yield seed
    with app.app_context():
        db.session.remove()
        _wipe()
    dispose(app)


# ---------------------------------------------------------------------------------------------- HTTP, plainly


@dataclass
class Reply:
    status: int
    headers: Message
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode()

    def json(self):
        return json.loads(self.body)

    @property
    def location(self) -> str:
        return self.headers.get("Location", "")

    def cookie(self, name: str = "session") -> str | None:
        for header in self.headers.get_all("Set-Cookie") or []:
            morsel = SimpleCookie(header).get(name)
            if morsel is not None:
                return morsel.value
        return None

    def csrf(self) -> str:
        match = TOKEN.search(self.text)
        assert match, f"no CSRF token in {self.text[:300]!r}"
        return match.group(1)


def call(
    server: Host,
    method: str,
    path: str,
    *,
    token: str | None = None,
    json_body=None,
    form: dict | None = None,
    cookie: str | None = None,
    headers: dict | None = None,
) -> Reply:
    """One request on its own connection (closed again), like a separate client."""
    sent = dict(headers or {})
    body = None
    if token:
        sent["Authorization"] = f"Bearer {token}"
    if cookie:
        sent["Cookie"] = f"session={cookie}"
    if json_body is not None:
        body, sent["Content-Type"] = json.dumps(json_body), "application/json"
    if form is not None:
        body, sent["Content-Type"] = urlencode(form), "application/x-www-form-urlencoded"
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    try:
        connection.request(method, path, body=body, headers=sent)
        response = connection.getresponse()
        return Reply(response.status, response.headers, response.read())
    finally:
        connection.close()


# ---------------------------------------------------------------------------------------------- servers


class Host:
    """A gunicorn server (bench/servers.py) whose stderr is read as it comes: the server pipes it but reads it only at
    exit, and a few tracebacks fill the pipe and block the workers. What it logged shows in failure messages."""

    def __init__(self, database_url: str, workers: int = 1):
        self.server = Server(database_url, workers).start()
        self.port = self.server.port
        self._lines: list[str] = []
        self._reader = threading.Thread(target=self._drain, args=(self.server.process.stderr,), daemon=True)
        self._reader.start()

    def _drain(self, stream) -> None:
        for line in iter(stream.readline, b""):
            self._lines.append(line.decode(errors="replace"))

    def logs(self) -> str:
        return "".join(self._lines)[-4000:]

    def crash(self) -> None:
        """SIGKILL the master and its workers at once, as a crash or an OOM kill of the whole service does
        (Server.kill signals the master only; its workers would linger as orphans until they notice)."""
        workers = _children(self.server.process.pid)
        assert workers, "gunicorn has no workers"
        self.server.kill()
        for worker in workers:
            with contextlib.suppress(ProcessLookupError):
                os.kill(worker, signal.SIGKILL)
        deadline = time.monotonic() + 10
        while not all(_gone(w) for w in workers):
            assert time.monotonic() < deadline, "gunicorn workers survived SIGKILL"
            time.sleep(0.05)
        self.stop()

    def stop(self) -> None:
        process = self.server.process
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                self.server.kill()
        self._reader.join(10)
        self.server.stop()  # closes the pipe

    def __enter__(self) -> Host:
        return self

    def __exit__(self, *_exc) -> None:
        self.stop()


def start_hosts(stack: contextlib.ExitStack, database_url: str, count: int) -> list[Host]:
    """Several servers started at once; each one that started is stopped when `stack` closes."""
    with ThreadPoolExecutor(count) as pool:
        futures = [pool.submit(Host, database_url) for _ in range(count)]
    hosts = [stack.enter_context(f.result()) for f in futures if f.exception() is None]
    for future in futures:
        if future.exception() is not None:
            raise future.exception()
    return hosts


def _children(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(entry))
    return found


def _gone(pid: int) -> bool:
    """Dead: no longer in /proc, or a zombie waiting for a parent that may never reap it."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] == "Z"
    except OSError:
        return True


# ---------------------------------------------------------------------------------------------- a. kill -9


@pytest.mark.slow
def test_an_acknowledged_answer_survives_a_sigkill_and_a_restart(tmp_path):
    database_url = f"sqlite:///{tmp_path / 'clausewise.sqlite3'}"
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url})
    with app.app_context():
        upgrade()
        organisation, owner = factories.organisation(name="Durable Ltd")
        assessment_id = factories.assessment(owner, organisation.id).id
        _row, token = accounts.create_api_token(owner, "durability")
    dispose(app)
    path = f"{API}/assessments/{assessment_id}/answers/quality_policy"

    with Host(database_url, workers=2) as server:
        first = call(server, "PUT", path, token=token, json_body={"value": "no", "note": "nothing yet"})
        assert first.status == 200 and first.headers["ETag"] == '"1"', server.logs()
        acknowledged = call(
            server, "PUT", path, token=token, json_body={"value": "partly"}, headers={"If-Match": '"1"'}
        )
        assert acknowledged.status == 200 and acknowledged.headers["ETag"] == '"2"', server.logs()
        # The very next thing after the acknowledgement: kill -9, no shutdown code runs.
        server.crash()

    with Host(database_url) as restarted:
        after = call(restarted, "GET", path, token=token)
    assert after.status == 200 and after.headers["ETag"] == '"2"'
    answer = after.json()
    assert (answer["value"], answer["version"]) == ("partly", 2) == (acknowledged.json()["value"], 2)
    assert [(h["version"], h["value"], h["note"]) for h in answer["history"]] == [(1, "no", "nothing yet")]


# ---------------------------------------------------------------------------------------------- b. several hosts


@pytest.mark.slow
def test_two_hosts_on_one_database_share_sessions_forms_and_answers(seeded):
    """Two servers on different ports stand for two hosts (or two workers) behind a load balancer: the same
    SECRET_KEY, one database, and no affinity: any request may land on either."""
    with contextlib.ExitStack() as stack:
        a, b = start_hosts(stack, seeded.database_url, 2)
        assert a.port != b.port
        login_page = call(a, "GET", "/login")
        form = {"email": seeded.email, "password": factories.PASSWORD, "csrf_token": login_page.csrf()}
        logged_in = call(a, "POST", "/login", form=form, cookie=login_page.cookie())
        assert logged_in.status == 302 and logged_in.location.endswith("/workspace/"), logged_in.text[:300]
        cookie = logged_in.cookie()
        assert cookie and cookie != login_page.cookie()

        # The session made on A opens the workspace on B.
        on_b = call(b, "GET", "/workspace/", cookie=cookie)
        assert on_b.status == 200, (on_b.status, on_b.location)
        assert "Reliable Ltd" in on_b.text

        # A form served by A is accepted by B (its CSRF token lives in the shared session).
        token = call(a, "GET", "/workspace/", cookie=cookie).csrf()
        created = call(
            b, "POST", "/workspace/organisations", form={"name": "Made on B", "csrf_token": token}, cookie=cookie
        )
        assert created.status == 302 and "/workspace/organisations/" in created.location, created.text[:300]
        assert "Made on B" in call(a, "GET", "/workspace/", cookie=cookie).text

        # An answer given through A's API is read through B's.
        path = f"{API}/assessments/{seeded.assessment_id}/answers/scope_documented"
        put = call(a, "PUT", path, token=seeded.token, json_body={"value": "partly", "note": "answered on A"})
        assert put.status == 200
        read = call(b, "GET", path, token=seeded.token)
        assert read.status == 200 and read.headers["ETag"] == put.headers["ETag"] == '"1"'
        assert (read.json()["value"], read.json()["note"]) == ("partly", "answered on A")

        # Logging out on B ends the session on A too.
        assert call(b, "POST", "/logout", form={"csrf_token": token}, cookie=cookie).status == 302
        gone = call(a, "GET", "/workspace/", cookie=cookie)
        assert gone.status == 302 and "/login" in gone.location


# ---------------------------------------------------------------------------------------------- c. concurrency


def _values(question, i: int) -> tuple:
    """Two different valid values for a question (the first and the re-answer)."""
    kind = question.kind
    if kind == "yes_no":
        return ("yes", "no", "partly")[i % 3], ("no", "partly", "yes")[i % 3]
    if kind == "single_choice":
        options = [o.value for o in question.options]
        return options[i % len(options)], options[(i + 1) % len(options)]
    if kind == "multiple_choice":
        options = [o.value for o in question.options]
        return [options[i % len(options)]], [options[(i + 1) % len(options)]]
    if kind == "scale":
        return i % 6, (i + 1) % 6
    if kind == "number":
        low = question.min if question.min is not None else 0
        return low + 1, low + 2
    return f"text {i}", f"text {i} again"


THREADS = 16


@pytest.mark.slow
def test_concurrent_clients_lose_no_answer_and_no_update(seeded, real_kb):
    questions = real_kb.questionnaire("quick-scan").questions
    assert len(questions) >= THREADS + 2
    plan = {q.id: _values(q, i) for i, q in enumerate(questions[:THREADS])}
    valid = {q.id: _values(q, 0)[0] for q in questions}
    answers = f"{API}/assessments/{seeded.assessment_id}/answers"

    with Host(seeded.database_url, workers=4) as server:
        # 1. Sixteen clients, each answering its own question at the same moment; every other one answers again.
        start = threading.Barrier(THREADS)

        def answer(question_id: str) -> list[int]:
            first, second = plan[question_id]
            index = list(plan).index(question_id)
            start.wait(timeout=30)
            path = f"{answers}/{question_id}"
            statuses = [call(server, "PUT", path, token=seeded.token, json_body={"value": first, "version": 0}).status]
            if index % 2:
                body = {"value": second, "version": 1}
                statuses.append(call(server, "PUT", path, token=seeded.token, json_body=body).status)
            return statuses

        with ThreadPoolExecutor(THREADS) as pool:
            statuses = dict(zip(plan, pool.map(answer, plan), strict=True))
        assert all(s == 200 for codes in statuses.values() for s in codes), (statuses, server.logs())
        stored = {
            a["question_id"]: (a["value"], a["version"])
            for a in call(server, "GET", answers, token=seeded.token).json()
        }
        expected = {q: (second, 2) if list(plan).index(q) % 2 else (first, 1) for q, (first, second) in plan.items()}
        assert stored == expected

        # 2. Sixteen clients editing the SAME answer from the same version: one wins, the others get 409.
        def race(question_id: str, version: int) -> tuple[str, int]:
            gate = threading.Barrier(THREADS)

            def edit(i: int) -> tuple[int, str]:
                body = {"value": valid[question_id], "note": f"writer {i}", "version": version}
                gate.wait(timeout=30)
                reply = call(server, "PUT", f"{answers}/{question_id}", token=seeded.token, json_body=body)
                return reply.status, f"writer {i}"

            with ThreadPoolExecutor(THREADS) as pool:
                results = list(pool.map(edit, range(THREADS)))
            counted = Counter(status for status, _ in results)
            assert counted == {200: 1, 409: THREADS - 1}, (counted, server.logs())
            return next(writer for status, writer in results if status == 200), version + 1

        rounds = [(q, stored[q][1]) for q in list(plan)[:3]]  # versions 1 and 2: two re-edit races, ...
        rounds.append((questions[THREADS].id, 0))  # ... and one race to give the very first answer
        for question_id, version in rounds:
            winner, now = race(question_id, version)
            current = call(server, "GET", f"{answers}/{question_id}", token=seeded.token)
            assert current.headers["ETag"] == f'"{now}"' and current.json()["note"] == winner
            history = [h["version"] for h in current.json()["history"]]
            assert history == list(range(1, now))  # every earlier version once: none lost, none doubled

    with seeded.app.app_context():
        rows = db.session.scalar(sa.select(sa.func.count()).select_from(Answer))
        revisions = db.session.scalar(sa.select(sa.func.count()).select_from(AnswerRevision))
        db.session.remove()
    # 16 answers and 1 new from the last race; 8 re-answers and 3 won re-edit races left one revision each.
    assert (rows, revisions) == (THREADS + 1, THREADS // 2 + 3)


# ---------------------------------------------------------------------------------------------- d. database down


@pytest.fixture
def unreachable_app():
    # Nothing listens on this loopback port: every query fails as when the database server is down.
    app = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/test",
            "SQLALCHEMY_ENGINE_OPTIONS": {"connect_args": {"connect_timeout": 2}},
        }
    )
    yield app
    dispose(app)


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("GET", "/organisations", None),
        ("GET", "/assessments/1/answers", None),
        ("PUT", "/assessments/1/answers/scope_documented", {"value": "yes"}),
        ("PUT", "/assessments/1/answers", {"answers": {"scope_documented": {"value": "yes"}}}),
    ],
)
def test_the_api_answers_503_json_with_a_clear_message_when_the_database_is_down(unreachable_app, method, path, body):
    client = unreachable_app.test_client()
    response = client.open(
        f"{API}{path}", method=method, json=body, headers={"Authorization": "Bearer cw_some-token-we-cannot-check"}
    )
    assert response.status_code == 503 and response.is_json
    assert response.get_json()["code"] == 503
    message = response.get_json()["message"]
    assert "database is not available" in message and "Nothing was saved" in message and "try again" in message
    assert response.headers["Retry-After"] == "5"


def test_a_bulk_put_that_fails_midway_leaves_none_of_its_answers(db_app, monkeypatch):
    with db_app.app_context():
        organisation, owner = factories.organisation()
        assessment_id = factories.assessment(owner, organisation.id).id
        assessments.save_answer(owner, assessment_id, "scope_documented", "no", note="before")
        _row, token = accounts.create_api_token(owner, "bulk")

    original, writes = answers.write, []

    def connection_lost_on_the_third_write(*args, **kwargs):
        writes.append(args[2])
        if len(writes) == 3:
            raise sa.exc.OperationalError("INSERT INTO answers", {}, Exception("server closed the connection"))
        return original(*args, **kwargs)

    monkeypatch.setattr(answers, "write", connection_lost_on_the_third_write)
    client = db_app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    path = f"{API}/assessments/{assessment_id}/answers"
    body = {
        "answers": {
            "scope_documented": {"value": "yes", "note": "after", "version": 1},  # an update, flushed
            "quality_policy": {"value": "partly"},  # an insert, flushed
            "internal_audit_held": {"value": "no"},  # the connection goes here
        }
    }
    # Sent as written (the test client would sort the keys): the writes happen in this order.
    response = client.put(path, data=json.dumps(body), content_type="application/json", headers=headers)
    assert response.status_code == 503 and response.get_json()["code"] == 503
    assert "Nothing was saved" in response.get_json()["message"]
    assert writes == ["scope_documented", "quality_policy", "internal_audit_held"]

    monkeypatch.setattr(answers, "write", original)
    listed = client.get(path, headers=headers).get_json()
    assert [(a["question_id"], a["value"], a["note"], a["version"]) for a in listed] == [
        ("scope_documented", "no", "before", 1)
    ]
    with db_app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(AnswerRevision)) == 0
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Answer)) == 1
        db.session.remove()
    # The same request, the database back: all three are saved.
    saved = client.put(path, json=body, headers=headers)
    assert saved.status_code == 200 and len(saved.get_json()) == 3
