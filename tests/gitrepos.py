"""Fixture repositories for the repository scan, built with the git command in a test's folder."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

# A fixed identity and clock, and none of the machine's git configuration: the repositories are the same everywhere.
ENV = {
    "PATH": os.environ.get("PATH", ""),
    "HOME": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_AUTHOR_NAME": "Test",
    "GIT_AUTHOR_EMAIL": "test@example.org",
    "GIT_COMMITTER_NAME": "Test",
    "GIT_COMMITTER_EMAIL": "test@example.org",
}
DAY = 86_400
START = 1_700_000_000  # a fixed moment, 2023-11-14


def git(path: Path, *args: str, stdin: bytes | None = None, when: int = START) -> str:
    env = {**ENV, "GIT_AUTHOR_DATE": f"@{when} +0000", "GIT_COMMITTER_DATE": f"@{when} +0000"}
    done = subprocess.run(
        ["git", "-C", str(path), *args], input=stdin, capture_output=True, env=env, check=True, timeout=60
    )
    return done.stdout.decode()


def make_repo(path: Path, files: dict[str, str], *, tags: dict[str, int] | None = None, message="Start") -> Path:
    """A working copy with `files` committed on main; `tags`: name -> days after the first commit, each tag on a
    commit of its own made that day."""
    path.mkdir(parents=True, exist_ok=True)
    git(path, "init", "-q", "-b", "main")
    for name, text in files.items():
        target = path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)
    git(path, "add", "-A")
    git(path, "commit", "-q", "--allow-empty", "-m", message)
    for name, days in sorted((tags or {}).items(), key=lambda item: item[1]):
        when = START + days * DAY
        git(path, "commit", "-q", "--allow-empty", "-m", f"Release {name}", when=when)
        git(path, "tag", name, when=when)
    return path


def add_symlink(path: Path, name: str, target: str, message: str = "Link") -> None:
    link = path / name
    link.parent.mkdir(parents=True, exist_ok=True)
    os.symlink(target, link)
    git(path, "add", name)
    git(path, "commit", "-q", "-m", message)


def huge_history(path: Path, commits: int, *, revert_every: int = 0) -> Path:
    """A repository with `commits` commits made at once by git fast-import (a second for tens of thousands)."""
    path.mkdir(parents=True, exist_ok=True)
    git(path, "init", "-q", "-b", "main")
    stream = []
    for n in range(commits):
        message = (
            f'Revert "change {n - 1}"\n\nThis reverts commit abc.\n'
            if revert_every and n % revert_every == 0
            else f"change {n}\n"
        )
        data = message.encode()
        stream.append(
            f"commit refs/heads/main\nmark :{n + 1}\ncommitter Test <test@example.org> {START + n * 60} +0000\n"
            f"data {len(data)}\n".encode()
            + data
            + (f"from :{n}\n".encode() if n else b"")
            + f"M 100644 inline file.txt\ndata {len(str(n))}\n{n}\n".encode()
        )
    git(path, "fast-import", "--quiet", stdin=b"".join(stream))
    git(path, "reset", "-q", "--hard", "main")
    return path
