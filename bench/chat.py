"""The chat's answer round trip under a real WSGI server, side by side with a floor endpoint of the same app.

16 concurrent clients post answers as htmx requests (post an answer, get the next question's fragment) to
gunicorn, in alternating phases with the floor (same login, same tenancy check, same durable write of one answer,
nothing else), so noise on the shared machine hits both alike.
"""

from __future__ import annotations

import http.client
import random
import re
import statistics
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

from .servers import Server

CLIENTS = 16
PHASE_SECONDS = 4.0
PHASES = 4  # chat, floor, chat, floor
WORKERS = 4


def _prepare(database_url: str) -> tuple[str, str, list[int], list[str]]:
    from flask_migrate import upgrade

    from app.extensions import knowledge_base
    from app.factory import create_app
    from app.models import Role
    from app.services import accounts, assessments

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url})
    with app.app_context():
        upgrade()
        user = accounts.create_user("bench@example.com", "bench password 123")
        organisation = accounts.create_organisation(user, "Bench Ltd", Role.OWNER)
        ids = [assessments.start_assessment(user, organisation.id, "iso9001-software").id for _ in range(CLIENTS)]
        questionnaire = knowledge_base().questionnaire("iso9001-software")
        questions = [q.id for q in questionnaire.questions if q.kind == "yes_no" and not q.follow_up]
    return "bench@example.com", "bench password 123", ids, questions


class Client:
    def __init__(self, port: int):
        self.port = port
        self.cookie = ""

    def request(self, method: str, path: str, body: dict | None = None, headers: dict | None = None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        data = urllib.parse.urlencode(body) if body is not None else None
        sent = {"Cookie": self.cookie, **(headers or {})}
        if data is not None:
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, body=data, headers=sent)
        response = connection.getresponse()
        payload = response.read().decode()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie" and value.startswith("session="):
                self.cookie = value.split(";", 1)[0]
        connection.close()
        return response.status, payload


def _login(port: int, email: str, password: str) -> tuple[Client, str]:
    client = Client(port)
    _, page = client.request("GET", "/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    status, _ = client.request("POST", "/login", {"email": email, "password": password, "csrf_token": token})
    assert status == 302, status
    _, page = client.request("GET", "/workspace/")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    return client, token


def _phase(kind: str, port: int, cookie: str, token: str, ids: list[int], questions: list[str]):
    latencies: list[float] = []
    errors: list[str] = []
    stop = time.monotonic() + PHASE_SECONDS
    lock = threading.Lock()

    def worker(n: int) -> None:
        client = Client(port)
        client.cookie = cookie
        rng = random.Random(n)
        path = f"/workspace/assessments/{ids[n]}/chat" + ("/floor" if kind == "floor" else "")
        while time.monotonic() < stop:
            body = {
                "csrf_token": token,
                "question_id": rng.choice(questions),
                "value": rng.choice(["yes", "partly", "no"]),
                "after": "999999999",
            }
            start = time.perf_counter()
            status, _ = client.request("POST", path, body, {"HX-Request": "true", "X-CSRFToken": token})
            elapsed = time.perf_counter() - start
            with lock:
                if status in (200, 204):
                    latencies.append(elapsed)
                else:
                    errors.append(str(status))

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(CLIENTS)]
    began = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, time.monotonic() - began, errors


def run() -> str:
    with tempfile.TemporaryDirectory() as directory:
        database_url = f"sqlite:///{Path(directory) / 'bench.sqlite3'}"
        email, password, ids, questions = _prepare(database_url)
        server = Server(database_url, workers=WORKERS, extra_env={"CLAUSEWISE_BENCH_FLOOR": "1"}).start()
        try:
            client, token = _login(server.port, email, password)
            results = {"chat": ([], 0.0), "floor": ([], 0.0)}
            for i in range(PHASES):
                kind = "chat" if i % 2 == 0 else "floor"
                latencies, seconds, errors = _phase(kind, server.port, client.cookie, token, ids, questions)
                if errors:
                    raise RuntimeError(f"{kind}: {len(errors)} failed requests, e.g. {errors[:3]}")
                done, total = results[kind]
                results[kind] = (done + latencies, total + seconds)
        finally:
            server.stop()
    chat_latencies, chat_seconds = results["chat"]
    floor_latencies, floor_seconds = results["floor"]
    chat_rate = len(chat_latencies) / chat_seconds
    floor_rate = len(floor_latencies) / floor_seconds
    p99 = statistics.quantiles(chat_latencies, n=100)[98] * 1000
    return (
        f"chat: {chat_rate:.0f} req/s vs floor {floor_rate:.0f} req/s (ratio {chat_rate / floor_rate:.2f}), "
        f"p99 {p99:.0f} ms"
    )
