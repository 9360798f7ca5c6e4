"""The studio's state folder: one SQLite database (Python's sqlite3, in WAL mode) for the people,
their invitations and sessions, failed sign-ins and the history of every change.

The folder is `.leaflets/` in the project unless `--state DIR` moves it. It holds secrets
(hashes of sign-in tokens), so it gets a `.gitignore` of its own that ignores everything in it,
as a virtual environment does: the catalogs and review.toml stay the record of the
translations, and nothing from here reaches the repository.

Each call opens its own connection: the CLI, the server's event loop and its worker thread all
use the database, and a connection is cheap next to what they do with it.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from ..errors import LeafletsError

STATE_DIR = ".leaflets"
DATABASE = "studio.sqlite3"
SCHEMA_VERSION = 3
"""2: people.email, for the author of the studio's commits (commits.py). 3: comments, a thread
per message (comments.py); a new table, which SCHEMA makes in an older database."""
SCHEMA = """
CREATE TABLE IF NOT EXISTS people (
    name TEXT PRIMARY KEY,
    role TEXT NOT NULL,
    languages TEXT NOT NULL,          -- space-separated codes; empty for every language
    invited REAL NOT NULL,
    last_seen REAL,
    revoked REAL,
    email TEXT                        -- optional: the author address of their commits
);
CREATE TABLE IF NOT EXISTS invitations (
    token_hash TEXT PRIMARY KEY,
    name TEXT NOT NULL REFERENCES people(name),
    expires REAL NOT NULL,
    used REAL
);
CREATE TABLE IF NOT EXISTS sessions (
    token_hash TEXT PRIMARY KEY,
    name TEXT NOT NULL REFERENCES people(name),
    csrf TEXT NOT NULL,
    created REAL NOT NULL,
    expires REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS failed_signins (
    address TEXT NOT NULL,
    at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS failed_by_address ON failed_signins (address, at);
CREATE TABLE IF NOT EXISTS history (
    id INTEGER PRIMARY KEY,
    at REAL NOT NULL,
    lang TEXT NOT NULL,
    context TEXT,
    msgid TEXT NOT NULL,
    action TEXT NOT NULL,             -- save, approve, withdraw
    person TEXT NOT NULL,
    before TEXT,                      -- JSON list of strings, or null
    after TEXT,
    replaced TEXT                     -- an approval's previous reviewer, when it had one
);
CREATE TABLE IF NOT EXISTS settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS history_by_message ON history (lang, msgid, context);
CREATE TABLE IF NOT EXISTS comments (
    id INTEGER PRIMARY KEY,
    lang TEXT NOT NULL,
    context TEXT,
    msgid TEXT NOT NULL,
    thread INTEGER REFERENCES comments(id),  -- the thread's first comment; null on that one
    author TEXT NOT NULL,
    at REAL NOT NULL,
    text TEXT NOT NULL,
    resolved_by TEXT,                 -- on a thread's first comment, once it is resolved
    resolved_at REAL
);
CREATE INDEX IF NOT EXISTS comments_by_message ON comments (lang, msgid, context);
"""


def _migrate(db: sqlite3.Connection) -> None:
    """Bring a database made by an earlier version up to this schema (the tables it lacked
    were made by SCHEMA; a column must be added)."""
    columns = {row[1] for row in db.execute("PRAGMA table_info(people)")}
    if "email" not in columns:
        db.execute("ALTER TABLE people ADD COLUMN email TEXT")


class StateError(LeafletsError):
    """The state folder cannot be used (not writable, or not the studio's database)."""


class Store:
    """The database in one state folder."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self.path = self.folder / DATABASE

    @classmethod
    def of_project(cls, root: Path, state: Path | None = None) -> Store:
        return cls(state if state is not None else Path(root) / STATE_DIR)

    def create(self) -> Store:
        """Make the folder and the tables if they are missing; returns self."""
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            ignore = self.folder / ".gitignore"
            if not ignore.exists():
                ignore.write_text("# The studio's state: secrets, never committed.\n*\n")
            db = sqlite3.connect(self.path, timeout=10.0)
            try:
                db.execute("PRAGMA journal_mode=WAL")  # readers never wait for the one writer
                db.executescript(SCHEMA)
                _migrate(db)
                db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
                db.commit()
            finally:
                db.close()
        except sqlite3.Error as exc:
            raise StateError(f"{self.path}: not the studio's database ({exc})") from None
        except OSError as exc:
            raise StateError(
                f"{self.folder}: cannot use it as the studio's state folder "
                f"({exc.strerror or exc}); choose another with --state DIR"
            ) from None
        return self

    @contextlib.contextmanager
    def connect(self) -> Iterator[sqlite3.Connection]:
        """A connection in one transaction: committed on success, rolled back on an error."""
        try:
            db = sqlite3.connect(self.path, timeout=10.0, isolation_level=None)
        except sqlite3.Error as exc:
            raise StateError(f"{self.path}: cannot open the studio's database ({exc})") from None
        db.row_factory = sqlite3.Row
        try:
            db.execute("PRAGMA foreign_keys=ON")
            db.execute("BEGIN IMMEDIATE")
            yield db
            db.execute("COMMIT")
        except BaseException:
            if db.in_transaction:
                db.execute("ROLLBACK")
            raise
        finally:
            db.close()

    def setting(self, key: str, default: str | None = None) -> str | None:
        if not self.path.exists():
            return default
        with self.connect() as db:
            row = db.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return row["value"] if row else default

    def set_setting(self, key: str, value: str) -> None:
        with self.connect() as db:
            db.execute(
                "INSERT INTO settings VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = ?",
                (key, value, value),
            )
