"""Where each order in orders/ stands, for an "Orders" page.

- submitted: the order file, and no package made from it as it is now;
- ready: out/orders/<slug>/ holds a whole package (every file its manifest lists, at its size,
  and the manifest's hash of ticket.json right) whose ticket states this file's current order;
- failed: the last attempt to build this file as it is now failed (record_failure());
- invalid: the file has a problem that `leaflets order` would report.

"Building" is the studio's to say: it knows what it started. Nothing here renders or writes
but record_failure(), whose records live in out/orders/.failed/, outside every package.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from ..config.model import Project
from ..config.paths import read_project_file
from ..errors import LeafletsError
from ..writing import write_atomic
from .names import order_files, slugify
from .order_form import preview_order
from .orders import Order, load_order, review_states
from .sheets import package_path

State = Literal["submitted", "ready", "failed", "invalid"]
FAILURES = ".failed"
# The ticket's facts that the order file decides: equal in the package's ticket.json and in the
# file's preview, the package is this file's order.
DECIDED_BY_THE_FILE = ("order", "order_file", "event", "need_by", "requested_by", "notes")


@dataclass(frozen=True)
class OrderState:
    file: str
    """The order file's name in orders/: "agricultural-fair-2027.toml"."""
    name: str
    slug: str
    """The package's folder name, out/orders/<slug>/."""
    state: State
    why: str | None
    """A failure's message, or an invalid file's problems."""
    requested_by: str | None
    modified: datetime
    """When the order file was last written (UTC)."""


def order_states(project: Project, reviewed: Mapping[str, bool] | None = None) -> list[OrderState]:
    """Every order file in orders/, in name order, with its state. `reviewed` is
    orders.review_states(), if the caller keeps it; else it is worked out once here."""
    reviewed = review_states(project) if reviewed is None else reviewed
    return [_state_of(project, path, reviewed) for path in order_files(project)]


def _state_of(project: Project, path: Path, reviewed: Mapping[str, bool]) -> OrderState:
    modified = datetime.fromtimestamp(path.stat().st_mtime, UTC)
    try:
        order = load_order(project, path, allow_unreviewed=True, reviewed=reviewed)
    except LeafletsError as exc:
        stem = path.stem
        return OrderState(path.name, stem, slugify(stem), "invalid", str(exc), None, modified)
    state: State = "submitted"
    why = None
    if _is_ready(project, order):
        state = "ready"
    else:
        why = _failure(project, order)
        state = "failed" if why is not None else "submitted"
    requester = order.requested_by.name
    return OrderState(path.name, order.name, order.slug, state, why, requester, modified)


def _is_ready(project: Project, order: Order) -> bool:
    folder = package_path(project, order)
    try:
        manifest = json.loads(read_project_file(folder / "manifest.json", "record"))
        listed = {entry["path"]: entry for entry in manifest["files"]}
        if any((folder / p).stat().st_size != entry["bytes"] for p, entry in listed.items()):
            return False
        ticket_bytes = (folder / "ticket.json").read_bytes()
        if hashlib.sha256(ticket_bytes).hexdigest() != listed["ticket.json"]["sha256"]:
            return False
        ticket = json.loads(ticket_bytes)
    except (OSError, LeafletsError, ValueError, KeyError, TypeError):
        return False
    return _decided(ticket) == _decided(preview_order(project, order))


def _decided(facts: dict[str, Any]) -> dict[str, Any]:
    decided = {key: facts.get(key) for key in DECIDED_BY_THE_FILE}
    decided["office"] = facts["deliver_to"]["office"]
    decided["edition"] = facts["edition"]["name"]
    decided["paper"] = facts["paper"]
    decided["items"] = [
        (item["leaflet"], item["language"], item["quantity"]) for item in facts["items"]
    ]
    return decided


def _failure_path(project: Project, order: Order) -> Path:
    return package_path(project, order).parent / FAILURES / f"{order.slug}.json"


def _fingerprint(order: Order) -> str:
    return hashlib.sha256(order.path.read_bytes()).hexdigest()


def _failure(project: Project, order: Order) -> str | None:
    """The message of the last failed build of this order file as it is now, if any."""
    try:
        record = json.loads(read_project_file(_failure_path(project, order), "record"))
        if record["order_file"] == order.path.name and record["sha256"] == _fingerprint(order):
            return str(record["message"])
    except (OSError, LeafletsError, ValueError, KeyError, TypeError):
        pass
    return None


def record_failure(project: Project, order: Order, message: str) -> None:
    """Remember that building `order` failed, and why, for order_states(): the record holds the
    order file's hash, so editing the file makes it "submitted" again."""
    record = {
        "order_file": order.path.name,
        "sha256": _fingerprint(order),
        "message": message,
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    data = json.dumps(record, indent=2, ensure_ascii=False) + "\n"
    write_atomic(_failure_path(project, order), data.encode("utf-8"))
