"""The people who may use the studio, their roles, and their personal invitations.

Whoever runs the studio manages them from the command line (`leaflets people`). A role says
what a person may do; a reviewer's or translator's languages say where:

    coordinator   everything, in every language; invites people
    reviewer      edits and approves in their languages; withdraws their own approvals
    translator    edits in their languages; cannot approve
    organiser     reads every page (and orders leaflets); edits nothing

An invitation is a random token (256 bits) that signs its person in once, before it expires;
only its SHA-256 is kept. Revoking a person ends their sessions and unused invitations at once.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import time
from collections.abc import Iterable
from dataclasses import dataclass

from ..errors import LeafletsError
from ..untrusted import forbidden_characters
from .store import Store

ROLES = ("coordinator", "reviewer", "translator", "organiser")
NAME_MAX = 100
INVITATION_DAYS = 14
EMAIL_MAX = 254
EMAIL_RE = re.compile(r"\A[^@\s<>\"(),;:]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+\Z")
DAY_S = 86_400.0


class PeopleError(LeafletsError):
    """A person or an invitation that cannot be as asked."""


def new_secret() -> str:
    """A token with 256 bits of randomness, safe in a URL."""
    return secrets.token_urlsafe(32)


def secret_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def same_hash(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode("ascii"), b.encode("ascii"))


@dataclass(frozen=True)
class Person:
    name: str
    role: str
    languages: tuple[str, ...] = ()
    """A reviewer's or translator's languages; empty for a coordinator or an organiser."""
    last_seen: float | None = None
    revoked: float | None = None
    email: str | None = None
    """Optional: the address their commits carry (commits.py); they get none from here."""

    def works_in(self, lang: str) -> bool:
        return self.role == "coordinator" or lang in self.languages

    def can_edit(self, lang: str) -> bool:
        return self.role in ("coordinator", "reviewer", "translator") and self.works_in(lang)

    def can_approve(self, lang: str) -> bool:
        return self.role in ("coordinator", "reviewer") and self.works_in(lang)

    def can_withdraw(self, lang: str, approver: str | None) -> bool:
        """A coordinator withdraws anyone's approval, a reviewer their own."""
        if self.role == "coordinator":
            return True
        return self.can_approve(lang) and approver == self.name

    @property
    def can_invite(self) -> bool:
        return self.role == "coordinator"

    @property
    def can_order(self) -> bool:
        return self.role in ("coordinator", "organiser")

    @property
    def can_print_anyway(self) -> bool:
        """Print a draft translation (`leaflets order --allow-unreviewed`): a coordinator's call."""
        return self.role == "coordinator"

    def can_build(self, organisers_build: bool) -> bool:
        """A coordinator starts an order's build; an organiser where [studio] allows it."""
        return self.role == "coordinator" or (self.role == "organiser" and organisers_build)

    def to_json(self) -> dict:
        return {"name": self.name, "role": self.role, "languages": list(self.languages)}


def person_of(row) -> Person:
    return Person(
        row["name"],
        row["role"],
        tuple(row["languages"].split()),
        row["last_seen"],
        row["revoked"],
        row["email"],
    )


def checked_person(
    name: str,
    role: str,
    languages: Iterable[str],
    known: Iterable[str],
    email: str | None = None,
) -> Person:
    """The person as asked, or PeopleError saying what to change."""
    name, languages, known = name.strip(), list(dict.fromkeys(languages)), set(known)
    if not name or len(name) > NAME_MAX or forbidden_characters(name):
        raise PeopleError(f"a person's name is 1 to {NAME_MAX} printable characters: {name!r}")
    if role not in ROLES:
        raise PeopleError(f"unknown role {role!r}; choose one of: {', '.join(ROLES)}")
    if role in ("coordinator", "organiser") and languages:
        raise PeopleError(f"a {role} works in every language; leave out --lang")
    if role in ("reviewer", "translator") and not languages:
        raise PeopleError(f"a {role} works in some languages; name each with --lang CODE")
    unknown = [code for code in languages if code not in known]
    if unknown:
        raise PeopleError(
            f"no translated language {', '.join(map(repr, unknown))} in this project; "
            f"choose from: {', '.join(sorted(known))}"
        )
    if email is not None and (len(email) > EMAIL_MAX or not EMAIL_RE.fullmatch(email)):
        raise PeopleError(f"expected an e-mail address such as ana@example.org, got {email!r}")
    return Person(name, role, tuple(languages), email=email)


def invite(store: Store, person: Person, days: float = INVITATION_DAYS) -> str:
    """Add (or update, or reinstate) the person and return a new invitation token. An
    e-mail address given before is kept when none is given now."""
    if days <= 0:
        raise PeopleError("an invitation must last some time: give --days 1 or more")
    token, now = new_secret(), time.time()
    with store.connect() as db:
        db.execute(
            "INSERT INTO people (name, role, languages, invited, email) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT (name) DO UPDATE SET role = excluded.role, "
            "languages = excluded.languages, invited = excluded.invited, revoked = NULL, "
            "email = coalesce(excluded.email, people.email)",
            (person.name, person.role, " ".join(person.languages), now, person.email),
        )
        db.execute(
            "INSERT INTO invitations (token_hash, name, expires) VALUES (?, ?, ?)",
            (secret_hash(token), person.name, now + days * DAY_S),
        )
    return token


def everyone(store: Store) -> list[Person]:
    with store.connect() as db:
        rows = db.execute("SELECT * FROM people ORDER BY name COLLATE NOCASE").fetchall()
    return [person_of(row) for row in rows]


def email_of(store: Store, name: str) -> str | None:
    """The person's e-mail address, if they were invited with one."""
    if not store.path.exists():
        return None
    with store.connect() as db:
        row = db.execute("SELECT email FROM people WHERE name = ?", (name,)).fetchone()
    return row["email"] if row else None


def anyone_invited(store: Store) -> bool:
    """Whether the studio has people of its own (then the run's token signs nobody in)."""
    if not store.path.exists():
        return False
    with store.connect() as db:
        return (
            db.execute("SELECT 1 FROM people WHERE revoked IS NULL LIMIT 1").fetchone() is not None
        )


def revoke(store: Store, name: str) -> None:
    """End the person's access now: their sessions and unused invitations go."""
    with store.connect() as db:
        found = db.execute(
            "UPDATE people SET revoked = ? WHERE name = ? AND revoked IS NULL", (time.time(), name)
        )
        if found.rowcount == 0:
            raise PeopleError(
                f"no person {name!r} has access; `leaflets people list` shows who does"
            )
        db.execute("DELETE FROM sessions WHERE name = ?", (name,))
        db.execute("DELETE FROM invitations WHERE name = ? AND used IS NULL", (name,))


def invitation_link(public_url: str, token: str) -> str:
    """The link a person opens: the token after '#', so that it reaches no server's log and
    a chat app's link preview, which runs no script, does not use it up."""
    return f"{public_url.rstrip('/')}/join#{token}"
