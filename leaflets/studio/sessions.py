"""Signing in: an invitation traded for a session, a session looked up on each request.

A session is a cookie holding a random token (256 bits), new at each sign-in; the database
keeps its SHA-256, and a CSRF token the page sends back with each write. A session lasts 30
days, and ends at "Sign out" or when its person is revoked. Failed sign-ins are counted per
address: past MAX_FAILURES in FAILURE_WINDOW_S, that address is refused until the window
passes, so that nobody can try invitation tokens at speed.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from ..errors import ActionRefused
from .people import Person, new_secret, person_of, same_hash, secret_hash
from .store import Store

SESSION_DAYS = 30
SESSION_S = SESSION_DAYS * 86_400
MAX_FAILURES = 10
FAILURE_WINDOW_S = 15 * 60.0
SEEN_EVERY_S = 60.0


class SignInRefused(ActionRefused):
    """An invitation that is unknown, used, expired or revoked, or too many tries."""

    status = 403


@dataclass(frozen=True)
class Session:
    person: Person
    csrf: str
    token_hash: str | None
    """None for the run's own token (no people invited: the person at the keyboard)."""


def sign_in(
    store: Store, invitation: str, address: str, now: float | None = None
) -> tuple[str, Session]:
    """Use the invitation up and open a session: (the session's token, the session)."""
    now = time.time() if now is None else now
    wanted = secret_hash(invitation)
    with store.connect() as db:
        recent = db.execute(
            "SELECT count(*) FROM failed_signins WHERE address = ? AND at > ?",
            (address, now - FAILURE_WINDOW_S),
        ).fetchone()[0]
        if recent >= MAX_FAILURES:
            raise SignInRefused("too many failed sign-ins from this address; try again later", 429)
        row = db.execute(
            "SELECT i.token_hash, p.* FROM invitations i JOIN people p USING (name) "
            "WHERE i.token_hash = ? AND i.used IS NULL AND i.expires > ? AND p.revoked IS NULL",
            (wanted, now),
        ).fetchone()
        if row is None or not same_hash(row["token_hash"], wanted):
            db.execute("INSERT INTO failed_signins VALUES (?, ?)", (address, now))
            db.execute("DELETE FROM failed_signins WHERE at < ?", (now - FAILURE_WINDOW_S,))
            failed = True
        else:
            failed = False
            db.execute("UPDATE invitations SET used = ? WHERE token_hash = ?", (now, wanted))
            token, csrf = new_secret(), new_secret()
            db.execute(
                "INSERT INTO sessions VALUES (?, ?, ?, ?, ?)",
                (secret_hash(token), row["name"], csrf, now, now + SESSION_S),
            )
            db.execute("UPDATE people SET last_seen = ? WHERE name = ?", (now, row["name"]))
    if failed:
        raise SignInRefused(
            "this invitation link is not valid: it was used already, it expired, or it was "
            "withdrawn; ask your coordinator for a new one"
        )
    return token, Session(person_of(row), csrf, secret_hash(token))


def find(store: Store, token: str, now: float | None = None) -> Session | None:
    """The live session with this token, or None."""
    now = time.time() if now is None else now
    wanted = secret_hash(token)
    with store.connect() as db:
        row = db.execute(
            "SELECT s.token_hash, s.csrf, p.* FROM sessions s JOIN people p USING (name) "
            "WHERE s.token_hash = ? AND s.expires > ? AND p.revoked IS NULL",
            (wanted, now),
        ).fetchone()
        if row is None or not same_hash(row["token_hash"], wanted):
            return None
        if row["last_seen"] is None or row["last_seen"] < now - SEEN_EVERY_S:
            db.execute("UPDATE people SET last_seen = ? WHERE name = ?", (now, row["name"]))
    return Session(person_of(row), row["csrf"], wanted)


def still_open(store: Store, token_hash: str) -> bool:
    """Whether a session is still live (an event stream asks, to end when it is not)."""
    with store.connect() as db:
        row = db.execute(
            "SELECT 1 FROM sessions s JOIN people p USING (name) "
            "WHERE s.token_hash = ? AND s.expires > ? AND p.revoked IS NULL",
            (token_hash, time.time()),
        ).fetchone()
    return row is not None


def sign_out(store: Store, token_hash: str) -> None:
    with store.connect() as db:
        db.execute("DELETE FROM sessions WHERE token_hash = ?", (token_hash,))
