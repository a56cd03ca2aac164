"""Real server processes for the chat benchmark and the reliability tests: gunicorn workers on loopback ports,
against one database."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GUNICORN = Path(sys.executable).with_name("gunicorn")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(
        self,
        database_url: str,
        workers: int = 1,
        secret: str = "test-secret-shared-by-all-hosts",
        extra_env: dict[str, str] | None = None,
    ):
        self.extra_env = extra_env or {}
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.database_url = database_url
        self.workers = workers
        self.secret = secret
        self.process: subprocess.Popen | None = None

    def start(self) -> Server:
        env = {**os.environ, "DATABASE_URL": self.database_url, "SECRET_KEY": self.secret, **self.extra_env}
        self.process = subprocess.Popen(
            [
                str(GUNICORN),
                "--workers",
                str(self.workers),
                "--bind",
                f"127.0.0.1:{self.port}",
                "--preload",
                "--graceful-timeout",
                "2",
                "--log-level",
                "warning",
                "wsgi:app",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,  # read by callers that need the log; warning level keeps it small
            start_new_session=True,  # its own process group, so kill() can reach the workers too
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited: {self.process.stderr.read().decode()[-2000:]}")
            try:
                with urllib.request.urlopen(f"{self.url}/glossary", timeout=1) as response:
                    if response.status == 200:
                        return self
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError("server did not start within 30 s")

    def kill(self) -> None:
        """SIGKILL the whole process group: no shutdown code runs, as in a crash or an OOM kill."""
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.kill()
        if self.process and self.process.stderr:
            self.process.stderr.close()


@contextmanager
def running(database_url: str, workers: int = 1):
    server = Server(database_url, workers).start()
    try:
        yield server
    finally:
        server.stop()
