"""A server started on a broken knowledge base refuses to start, lists every problem and shows no traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.config import PROJECT_ROOT

from ..kbfactory import make_kb, rules_with

BIN = Path(sys.executable).parent


@pytest.fixture
def broken_kb(tmp_path):
    """Two rules that each name a question that does not exist: two problems, in one file."""
    ghosts = [
        {"id": f"ghost-{n}", "when": {"all": [{"q": f"nope_{n}", "eq": 1}]}, "then": {"suggest": ["consider-29110"]}}
        for n in (1, 2)
    ]
    return make_kb(tmp_path / "broken", rules=rules_with(*ghosts))


def start(command: list[str], kb_dir: Path, tmp_path: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "CLAUSEWISE_KB_DIR": str(kb_dir), "DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}"}
    return subprocess.run(command, cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize(
    "command",
    [
        pytest.param([str(BIN / "gunicorn"), "--bind", "127.0.0.1:0", "wsgi:app"], id="gunicorn"),
        pytest.param([str(BIN / "gunicorn"), "--preload", "--bind", "127.0.0.1:0", "wsgi:app"], id="gunicorn-preload"),
        pytest.param([str(BIN / "clausewise"), "run", "--port", "0"], id="clausewise-run"),
    ],
)
def test_the_server_refuses_a_broken_knowledge_base_with_every_problem(command, broken_kb, tmp_path):
    result = start(command, broken_kb, tmp_path)
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "the knowledge base is invalid" in output
    assert "The knowledge base has 2 problem(s):" in output
    assert "[ghost-1] when: unknown question 'nope_1'" in output
    assert "[ghost-2] when: unknown question 'nope_2'" in output
    assert "Traceback" not in output
