"""Reading a local git repository through the git command, without running anything the repository could supply.

The git command rather than a library: it is already on every machine that has a clone, it reads every repository
format git writes (pack files, commit graphs, worktrees, bare repositories, partial clones), and it is the
reference implementation. A pure-Python reader such as dulwich would be one more dependency that lags behind the
formats. What git could execute is switched off on every call: hooks, fsmonitor, pagers, the system and global
configuration; only plumbing commands that read objects are used (no checkout, no status, no diff drivers), and
everything is read from the commit's tree, never from the working directory, so no symbolic link is followed.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

SYMLINK_MODE = "120000"
SUBMODULE_MODE = "160000"


class RepositoryError(Exception):
    """The path is not a git repository we can read, or reading it went past its limits."""


class ScanTimeout(RepositoryError):
    """The scan went past its deadline."""


@dataclass(frozen=True)
class Limits:
    max_files: int = 50_000  # entries of the tree looked at
    max_blob_bytes: int = 256 * 1024  # a larger file is not read (a CI file is a few kilobytes)
    max_blobs: int = 200  # files read in all
    max_commits: int = 5_000  # commits of the history walk
    max_tags: int = 2_000
    deadline_seconds: float = 30.0  # for the whole scan
    max_output_bytes: int = 32 * 1024 * 1024  # of one git command (a tree listing of a huge monorepo)


@dataclass(frozen=True)
class TreeEntry:
    path: str
    mode: str
    kind: str  # blob | tree | commit
    object_id: str
    size: int | None

    @property
    def is_symlink(self) -> bool:
        return self.mode == SYMLINK_MODE


@dataclass(frozen=True)
class Commit:
    id: str
    timestamp: int
    subject: str
    reverts: bool


@dataclass(frozen=True)
class Tag:
    name: str
    timestamp: int


class Repository:
    """One repository, read at one commit (HEAD unless told otherwise)."""

    def __init__(self, path: str | Path, limits: Limits | None = None, revision: str = "HEAD") -> None:
        self.limits = limits or Limits()
        self._started = time.monotonic()
        target = Path(path).expanduser()
        if not target.is_dir():
            raise RepositoryError(f"{path}: no such directory")
        self.path = target.resolve()
        self._git_dir = self._find_git_dir()
        try:
            self.commit = self._git("rev-parse", "--verify", "--end-of-options", f"{revision}^{{commit}}").strip()
        except ScanTimeout:
            raise
        except RepositoryError:
            raise RepositoryError(f"{path}: the repository has no commit {revision!r} to read") from None
        self.files_truncated = False
        self.blobs_read = 0
        self.output_truncated = False
        self._history: tuple[list[Commit], bool] | None = None

    # ------------------------------------------------------------------------------------------ the git command

    def _environment(self) -> dict[str, str]:
        keep = {k: v for k, v in os.environ.items() if k in ("PATH", "LANG", "LC_ALL", "TMPDIR", "SYSTEMROOT")}
        return {
            **keep,
            "GIT_CONFIG_NOSYSTEM": "1",
            "GIT_CONFIG_GLOBAL": os.devnull,  # no user configuration either: nothing in it applies to a scan
            "GIT_TERMINAL_PROMPT": "0",
            "GIT_PAGER": "cat",
            "GIT_OPTIONAL_LOCKS": "0",  # a read-only scan takes no lock and writes no index
            "GIT_CEILING_DIRECTORIES": str(self.path.parent),  # never read a repository above the given path
            "HOME": os.devnull,
        }

    def _git(self, *args: str, binary: bool = False, max_bytes: int | None = None):
        """The output of one git command, killed at the scan's deadline; at most `max_bytes` of it (default: the
        limit's max_output_bytes), the rest left unread, which self.output_truncated then says."""
        remaining = self.limits.deadline_seconds - (time.monotonic() - self._started)
        if remaining <= 0:
            raise ScanTimeout(f"{self.path}: the scan took longer than {self.limits.deadline_seconds:g} s")
        command = [
            "git",
            "--no-pager",
            "-C",
            str(self.path),
            # The repository may belong to someone else (a clone handed over for the audit): reading it is what we
            # are asked to do, and the keys below keep its own configuration from running anything.
            "-c",
            f"safe.directory={self.path}",
            "-c",
            "core.hooksPath=" + os.devnull,
            "-c",
            "core.fsmonitor=false",
            "-c",
            "core.sshCommand=false",
            "-c",
            "protocol.allow=never",  # a partial clone must not fetch what it lacks
            *args,
        ]
        limit = max_bytes or self.limits.max_output_bytes
        killed = threading.Event()
        with tempfile.TemporaryFile() as errors:  # a file, so a chatty stderr cannot block git while stdout is read
            try:
                process = subprocess.Popen(
                    command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=errors, env=self._environment()
                )
            except OSError as error:
                raise RepositoryError(f"cannot run git: {error}") from None
            timer = threading.Timer(remaining, lambda: (killed.set(), process.kill()))
            timer.start()
            try:
                out = process.stdout.read(limit + 1)
                self.output_truncated = len(out) > limit
                if self.output_truncated:
                    process.kill()
                    out = out[:limit]
                process.stdout.close()
                returncode = process.wait()
            finally:
                timer.cancel()
            if killed.is_set():
                raise ScanTimeout(f"{self.path}: the scan took longer than {self.limits.deadline_seconds:g} s")
            if returncode != 0 and not self.output_truncated:
                errors.seek(0)
                message = errors.read(4096).decode("utf-8", "replace").strip().splitlines()
                raise RepositoryError(f"{self.path}: {message[-1] if message else 'git failed'}")
        return out if binary else out.decode("utf-8", "replace")

    def _find_git_dir(self) -> str:
        try:
            git_dir, bare = self._git("rev-parse", "--absolute-git-dir", "--is-bare-repository").splitlines()
            top = git_dir if bare == "true" else self._git("rev-parse", "--show-toplevel").strip()
        except ScanTimeout:
            raise
        except (RepositoryError, ValueError):
            raise RepositoryError(
                f"{self.path}: not a git repository (neither a working copy nor a bare one)"
            ) from None
        # A folder inside a working copy is not the repository itself: scanning would read the whole parent.
        inside = Path(top).resolve()
        if inside != self.path:
            raise RepositoryError(f"{self.path}: not the top of a git repository (that is {inside})")
        return git_dir

    # ------------------------------------------------------------------------------------------ reading

    def elapsed(self) -> float:
        return time.monotonic() - self._started

    def tree(self) -> list[TreeEntry]:
        """Every entry of the commit's tree, up to max_files; symbolic links and submodules are entries too."""
        raw = self._git("ls-tree", "-r", "-z", "-l", "--full-tree", self.commit, binary=True)
        records = raw.split(b"\0")
        if self.output_truncated:
            self.files_truncated = True
            records = records[:-1]  # the last record was cut
        entries: list[TreeEntry] = []
        for record in records:
            if not record:
                continue
            if len(entries) >= self.limits.max_files:
                self.files_truncated = True
                break
            meta, _, name = record.partition(b"\t")
            mode, kind, object_id, size = meta.decode().split(None, 3)
            entries.append(
                TreeEntry(
                    path=name.decode("utf-8", "replace"),
                    mode=mode,
                    kind=kind,
                    object_id=object_id,
                    size=int(size) if size.strip().isdigit() else None,
                )
            )
        return entries

    def read(self, entry: TreeEntry) -> str | None:
        """The text of a regular file of the tree, or None when it is a link, too large or past the budget."""
        if entry.kind != "blob" or entry.is_symlink or entry.mode == SUBMODULE_MODE:
            return None
        if entry.size is None or entry.size > self.limits.max_blob_bytes or self.blobs_read >= self.limits.max_blobs:
            return None
        self.blobs_read += 1
        data = self._git("cat-file", "blob", entry.object_id, binary=True, max_bytes=self.limits.max_blob_bytes)
        return data.decode("utf-8", "replace")

    def history(self) -> tuple[list[Commit], bool]:
        """The commits reachable from the scanned one, newest first, at most max_commits (and at most
        max_output_bytes of their messages); and whether there are more."""
        if self._history is not None:
            return self._history
        limit = self.limits.max_commits
        raw = self._git(
            "log", "--no-color", f"--max-count={limit + 1}", "--format=%H%x00%ct%x00%s%x00%b%x1e", self.commit
        )
        records = raw.split("\x1e")
        cut = self.output_truncated
        if cut:
            records = records[:-1]  # the last message was cut
        commits: list[Commit] = []
        for record in records:
            fields = record.strip("\n").split("\x00")
            if len(fields) < 4:
                continue
            commit_id, stamp, subject, body = fields[:4]
            reverts = subject.startswith('Revert "') or "This reverts commit " in body
            commits.append(Commit(commit_id, int(stamp or 0), subject, reverts))
        self._history = commits[:limit], cut or len(commits) > limit
        return self._history

    def tags(self) -> tuple[list[Tag], bool]:
        """Tags that point into the scanned commit's history, newest first, at most max_tags."""
        limit = self.limits.max_tags
        raw = self._git(
            "for-each-ref",
            f"--count={limit + 1}",
            "--sort=-creatordate",
            f"--merged={self.commit}",
            "--format=%(refname:short)%00%(creatordate:unix)",
            "refs/tags",
        )
        tags = []
        for line in raw.splitlines():
            name, _, stamp = line.partition("\x00")
            if name:
                tags.append(Tag(name, int(stamp) if stamp.isdigit() else 0))
        return tags[:limit], len(tags) > limit

    def origin(self) -> str:
        """How to name the repository in a report: its folder (a remote URL may carry a credential)."""
        name = self.path.name
        return name[:-4] if name.endswith(".git") and len(name) > 4 else name
