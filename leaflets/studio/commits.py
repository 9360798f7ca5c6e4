"""Committing the studio's changes to the project's git repository, each person's as their own,
in batches as Weblate's "commit pending age" does (`[studio] commit = true` in leaflets.toml).

Every save, approval and withdrawal the history records is added to its person's batch, with
the file it wrote (the language's messages.po, or its review.toml). A batch is committed once
its person has been quiet for `commit_after_minutes` (0: at once), and every batch at shutdown:
one commit per person, with that person as its author, of the files of that batch only (never
`git add -A`), and a message listing the languages and the msgids changed.

Two people may edit the same catalog. Before the studio writes a language's files for one
person, any other person's batch that touched them is committed first, so that no commit holds
another person's work.

git runs as a subprocess, with an argument list and none of the caller's GIT_* variables, on
the studio's worker thread (worker.py), like every write: a file cannot change between being
saved and being committed, and the state here needs no locks. If the project is not in a git
repository or git fails, the studio says so once and keeps serving: the files on disk are the
record, and nothing is lost but the commit.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import logging
import os
import re
import subprocess
import time
import unicodedata
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .history import Change
from .people import email_of
from .state import Studio
from .store import StateError, Store

log = logging.getLogger("leaflets.studio")
COMMITTER = ("Leaflets studio", "studio@leaflets.invalid")
"""Who commits: the studio, as Weblate commits as Weblate; the author is the person."""
GIT_TIMEOUT_S = 60.0
MAX_LISTED = 50
WORDS = {
    "save": "saved",
    "checked": "draft approved as it is",
    "approve": "approved",
    "withdraw": "approval withdrawn",
}
"""The history's actions (history.ACTIONS), as a commit message says them."""

Run = Callable[..., Awaitable[Any]]
"""Live.run: a function run on the studio's worker thread."""


class GitFailed(Exception):
    """git could not be run, or refused; the message says why, in git's words."""


@dataclass
class Batch:
    """One person's changes not committed yet."""

    paths: set[Path] = field(default_factory=set)
    changes: dict[tuple[str, str, str | None, str], None] = field(default_factory=dict)
    """(lang, action, context, msgid), each once, in the order first made."""
    last: float = 0.0
    """time.monotonic() of the latest change: the batch waits for a quiet spell after it."""


class Commits:
    """The batches of one studio; every method but `around()` runs on the worker thread."""

    def __init__(self, studio: Studio, store: Store):
        self.studio, self.store = studio, store
        self.pending: dict[str, Batch] = {}
        self.repository: bool | None = None
        """Whether git works here; None until asked. False stops every commit of this run."""
        self.said: set[str] = set()
        self._wake: Callable[[], None] | None = None

    @property
    def after_s(self) -> float:
        return self.studio.project.studio.commit_after_minutes * 60.0

    # ------------------------------------------------------------ what the routes call

    def before(self, person: str, lang: str) -> None:
        """`person` is about to write `lang`'s files: commit first the batches of anyone else
        who changed them, so that each commit holds one person's work."""
        files = set(self._files(lang))
        for other in [name for name, b in self.pending.items() if name != person]:
            if self.pending[other].paths & files:
                self.commit(other)

    def recorded(self, changes: Iterable[Change]) -> None:
        """The history recorded these changes (the files are written): batch them."""
        if not self.studio.project.studio.commit or self.repository is False:
            return
        for change in changes:
            batch = self.pending.setdefault(change.person, Batch())
            batch.paths.add(self._file(change))
            batch.changes[(change.lang, change.action, change.context, change.msgid)] = None
            batch.last = time.monotonic()
        if self.after_s == 0:
            self.flush_all()
        elif self._wake is not None:
            self._wake()

    # ------------------------------------------------------------ committing

    def next_due(self) -> float | None:
        """When the next batch is due (time.monotonic()), or None if none waits."""
        if not self.pending:
            return None
        return min(batch.last for batch in self.pending.values()) + self.after_s

    def flush_due(self, now: float | None = None) -> None:
        """Commit the batch of everyone who has been quiet for commit_after_minutes."""
        now = time.monotonic() if now is None else now
        for person in [p for p, b in self.pending.items() if b.last + self.after_s <= now]:
            self.commit(person)

    def flush_all(self) -> None:
        """Commit every batch now (at shutdown, or with commit_after_minutes = 0)."""
        for person in list(self.pending):
            self.commit(person)

    def commit(self, person: str) -> None:
        """Commit the person's batch, as its author; say once if git cannot."""
        batch = self.pending.pop(person, None)
        if batch is None or not self.usable():
            return
        root = self.studio.root
        paths = sorted(p.relative_to(root).as_posix() for p in batch.paths)
        env = git_env(person, self._email(person))
        try:
            self.git("add", "--", *paths)
            if not self.git("status", "--porcelain", "--", *paths):
                return  # the files are as committed already (a change undone)
            subject, body = message(person, batch)
            self.git("commit", "--quiet", "-m", subject, "-m", body, "--", *paths, env=env)
        except GitFailed as exc:
            self.say(
                f"could not commit {person}'s changes to {', '.join(paths)} ({exc}); they "
                "are saved in the files, not committed"
            )

    def usable(self) -> bool:
        """Whether the project is in a git repository git can use; said once if not."""
        if self.repository is None:
            try:
                self.git("rev-parse", "--is-inside-work-tree")
                self.repository = True
            except GitFailed as exc:
                self.repository = False
                self.pending.clear()
                self.say(
                    f"[studio] commit = true in leaflets.toml, but {self.studio.root} is not "
                    f"in a git repository that git can use ({exc}); the studio saves the files "
                    "without committing them"
                )
        return self.repository

    def git(self, *args: str, env: dict[str, str] | None = None) -> str:
        """Run git in the project folder; its output, or GitFailed with its message."""
        try:
            done = subprocess.run(
                ["git", *args],
                cwd=self.studio.root,
                env=env if env is not None else git_env(),
                stdin=subprocess.DEVNULL,
                capture_output=True,
                text=True,
                timeout=GIT_TIMEOUT_S,
                check=False,
            )
        except FileNotFoundError:
            raise GitFailed("git is not installed") from None
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise GitFailed(f"git {args[0]}: {exc}") from None
        if done.returncode != 0:
            said = (done.stderr or done.stdout).strip().splitlines()
            raise GitFailed(said[0] if said else f"git {args[0]} failed ({done.returncode})")
        return done.stdout

    def say(self, text: str) -> None:
        if text not in self.said:
            self.said.add(text)
            log.warning("%s", text)

    def _email(self, person: str) -> str | None:
        try:
            return email_of(self.store, person)
        except StateError:  # the commit is worth more than the address: a placeholder
            return None

    def _files(self, lang: str) -> tuple[Path, Path]:
        project = self.studio.project
        return project.po_path(lang), project.review_path(lang)

    def _file(self, change: Change) -> Path:
        po, review = self._files(change.lang)
        return po if change.action in ("save", "checked") else review

    # ------------------------------------------------------------ the timer

    def around(self, inner: Callable[[Any], Any], run: Run) -> Callable[[Any], Any]:
        """The app's lifespan: `inner` (Live's), and within it the timer that commits the
        batches that are due; every batch is committed at shutdown, before the worker stops."""

        @contextlib.asynccontextmanager
        async def lifespan(app: Any) -> AsyncIterator[None]:
            async with inner(app), self._running(run):
                yield

        return lifespan

    @contextlib.asynccontextmanager
    async def _running(self, run: Run) -> AsyncIterator[None]:
        loop, wake = asyncio.get_running_loop(), asyncio.Event()
        self._wake = lambda: loop.call_soon_threadsafe(wake.set)
        if self.studio.project.studio.commit:
            await run(self.usable)  # say at start, not at the first save, if git cannot
        task = asyncio.create_task(self._timer(run, wake))
        try:
            yield
        finally:
            self._wake = None
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)
            await run(self.flush_all)

    async def _timer(self, run: Run, wake: asyncio.Event) -> None:
        while True:
            due = await run(self.next_due)
            timeout = None if due is None else max(0.0, due - time.monotonic())
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(wake.wait(), timeout)
            wake.clear()
            try:
                await run(self.flush_due)
            except Exception:  # keep serving: the next change tries again
                log.exception("committing the studio's changes failed")


def git_env(person: str | None = None, email: str | None = None) -> dict[str, str]:
    """The environment git runs in: none of the caller's GIT_* variables (a hook's GIT_DIR or
    GIT_INDEX_FILE would send the commit elsewhere), never a prompt, the studio as committer
    and the person as author."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("GIT_")}
    env["GIT_TERMINAL_PROMPT"] = "0"
    env["GIT_COMMITTER_NAME"], env["GIT_COMMITTER_EMAIL"] = COMMITTER
    if person is not None:
        env["GIT_AUTHOR_NAME"], env["GIT_AUTHOR_EMAIL"] = author(person, email)
    return env


def author(person: str, email: str | None = None) -> tuple[str, str]:
    """A person's name and e-mail address as a commit's author: the address they were invited
    with (`--email`), or a stable one that cannot be delivered: Ana Rivera
    <ana-rivera@leaflets.invalid>. git drops < and > from a name; one with no letter or digit
    would be refused, so it is spelt out."""
    name = re.sub(r"[<>\s]+", " ", person).strip()
    if not any(ch.isalnum() for ch in name):
        name = f"studio person {hashlib.sha256(person.encode()).hexdigest()[:8]}"
    if email:
        return name, email
    ascii_name = unicodedata.normalize("NFKD", person).encode("ascii", "ignore").decode()
    local = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")
    if not local:
        local = "person-" + hashlib.sha256(person.encode()).hexdigest()[:8]
    return name, f"{local}@leaflets.invalid"


def message(person: str, batch: Batch) -> tuple[str, str]:
    """The commit's subject and body: the languages, what was done, and each msgid."""
    langs = ", ".join(dict.fromkeys(lang for lang, *_ in batch.changes))
    counts: dict[str, int] = {}
    for _, action, _, _ in batch.changes:
        counts[WORDS[action]] = counts.get(WORDS[action], 0) + 1
    done = ", ".join(f"{n} {word}" for word, n in counts.items())
    lines = []
    for lang, action, context, msgid in list(batch.changes)[:MAX_LISTED]:
        where = f" (context {json.dumps(context, ensure_ascii=False)})" if context else ""
        lines.append(f"- {lang} {WORDS[action]}: {json.dumps(msgid, ensure_ascii=False)}{where}")
    if len(batch.changes) > MAX_LISTED:
        lines.append(f"- and {len(batch.changes) - MAX_LISTED} more")
    body = "\n".join(lines) + f"\n\nFrom the leaflets studio, by {person}."
    return f"{langs}: {done} in the studio", body
