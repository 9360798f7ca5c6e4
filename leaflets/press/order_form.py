"""What an order form calls: check its fields, preview the sheets, write the order file.

The form and `leaflets order` share one loader: check_order() validates the form's fields with
orders.py's models and words, and write_order() writes orders/<slug>.toml in the format a
person writes by hand, which `leaflets order` and the studio then read with load_order(). The
order file stays the record. preview_order() gives the job ticket's facts (sheets, overage,
draft languages) without rendering anything.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

import tomli_w

from ..config.model import Project
from ..config.paths import inside
from ..config.toml_lines import TOO_DEEP, too_deep
from ..config.validation import Problems
from ..errors import OrderError, display_path
from ..writing import replace_if_unchanged
from .editions import order_warnings
from .names import ORDERS_FOLDER, names_taken, order_files, slugify
from .orders import Order, validate_fields
from .sheets import Package, print_item
from .ticket import ticket_facts


class OrderExists(OrderError):
    """An order file is in the way: orders are never overwritten."""


def check_order(
    project: Project,
    data: Any,
    *,
    allow_unreviewed: bool = False,
    today: date | None = None,
    reviewed: Mapping[str, bool] | None = None,
) -> Order | list[dict[str, str]]:
    """The order file's fields as a mapping (a form's JSON body) → the `Order` that
    orders/<slug of name>.toml would hold, or its problems, each {"field": "items[1].quantity",
    "message": what `leaflets order` prints after "file:line: ", "detail": the message without
    its place, for beside the field}. The same models, checks and words as load_order(); dates
    may be text ("2027-02-14"), and a null is an absent key, as JSON has no dates and TOML no
    null. Items are counted from 0, as the command line counts them. A form that checks as
    the organiser types passes `reviewed`, orders.review_states(), kept from its last change."""
    if not isinstance(data, Mapping):
        return [_field("", "", "expected a table of the order file's fields")]
    if too_deep(data):
        return [_field("", "", TOO_DEEP.removesuffix("; fix the syntax"))]
    data = _without_nulls(data)
    name = data.get("name")
    stem = slugify(name) if isinstance(name, str) and name.strip() else "order"
    problems = Problems("")
    if "name" not in data:
        problems.add("name", "missing; expected the order's name: its file is orders/<name>.toml")
    order = validate_fields(
        project,
        data,
        project.root / ORDERS_FOLDER / f"{stem}.toml",
        problems,
        allow_unreviewed=allow_unreviewed,
        today=today or date.today(),
        reviewed=reviewed,
    )
    if order is None or problems:
        return [
            _field(field, message, detail)
            for (_, message), (field, detail) in zip(problems.found, problems.fields, strict=True)
        ]
    return order


def _field(field: str, message: str, detail: str) -> dict[str, str]:
    return {"field": field, "message": message or detail, "detail": detail}


def _without_nulls(data: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of `data` with each null left out, as TOML, which has none, says it: a form sends
    null for a field left empty. Walked without recursion (the depth is bounded already)."""
    top: dict[str, Any] = {}
    stack: list[tuple[Any, Any]] = [(data, top)]
    while stack:
        source, copy = stack.pop()
        pairs = source.items() if isinstance(source, Mapping) else enumerate(source)
        for key, value in pairs:
            if value is None and isinstance(source, Mapping):
                continue
            if isinstance(value, Mapping | list):
                inner: Any = {} if isinstance(value, Mapping) else [None] * len(value)
                stack.append((value, inner))
                value = inner
            copy[key] = value
    return top


# ---------------------------------------------------------------- the order file

HEADER = """\
# An order for print, written by the order form; edit it as any order file. This makes its
# package in out/orders/{slug}/ (add --allow-unreviewed if a language is a draft):
#
#   leaflets order {file}
"""
TOP_LEVEL = (
    ("name", "the package's folder name (made safe if it is not)"),
    ("event", None),
    ("event_date", None),
    ("need_by", "on or before the event date"),
    ("deliver_to", "an office id from contacts.toml"),
    ("edition", '"office" (desktop printer) or "press" (print shop)'),
    ("paper", '"letter" or "a4"'),
    ("stock", "for the printer: paper weight and finish"),
    ("notes", "for the printer"),
)
COMMENT_COLUMN = 36


def order_toml(order: Order) -> str:
    """The order file for `order`, as a person writes one (orders/agricultural-fair-2027.toml):
    comments on the fields, [requested_by], one [[items]] table per item. Every value is
    written by tomli_w, so no text can close its string and start a key; comments hold no
    text from the order."""
    values = {
        "name": order.name,
        "event": order.event,
        "event_date": order.event_date,
        "need_by": order.need_by,
        "deliver_to": order.deliver_to.id,
        "edition": order.edition.name,
        "paper": order.paper,
        "stock": order.stock,
        "notes": order.notes,
    }
    lines = [HEADER.format(file=f"{ORDERS_FOLDER}/{order.slug}.toml", slug=order.slug)]
    lines += [_line(key, values[key], note) for key, note in TOP_LEVEL if values[key] is not None]
    requester = order.requested_by
    phone = requester.phone
    lines += ["", "[requested_by]", _line("name", requester.name)]
    if requester.email is not None:
        lines.append(_line("email", requester.email))
    if phone is not None:
        number = phone.e164 + (f" ext. {phone.extension}" if phone.extension else "")
        lines.append(_line("phone", number))
    for item in order.items:
        lines += ["", "[[items]]", _line("leaflet", item.leaflet.name)]
        lines += [_line("language", item.language.code), _line("quantity", item.quantity)]
    return "\n".join(lines) + "\n"


def _line(key: str, value: Any, note: str | None = None) -> str:
    written = tomli_w.dumps({key: value}).rstrip("\n")
    return f"{written.ljust(COMMENT_COLUMN - 1)} # {note}" if note else written


def write_order(project: Project, order: Order) -> Path:
    """Write a validated order (check_order()'s) to orders/<slug>.toml, whole or not at all.

    Never overwrites: an OrderExists names the order file in the way, whether it has this
    name or one that makes the same folder name ("Fair 2027", "fair-2027.toml")."""
    folder = inside(project.root, project.root / ORDERS_FOLDER)
    path = folder / f"{order.slug}.toml"
    for other in order_files(project):
        if slugify(other.stem) == order.slug:
            raise _exists(other, order)
    other_order = names_taken(project).get(order.slug)
    if other_order:  # one that has this folder name by its `name`, written since the check
        raise OrderExists(
            f'{other_order} has the folder name "{order.slug}"; give this order a name of its own',
            path,
        )
    data = order_toml(order).encode("utf-8")
    # Written beside it and linked into place: never half a file, never over one that
    # appeared meanwhile.
    if not replace_if_unchanged(path, None, data):
        raise _exists(path, order)
    return path


def _exists(path: Path, order: Order) -> OrderExists:
    return OrderExists(
        f"{display_path(path)} already exists, and an order is never overwritten; give this "
        f"order a name of its own (its folder name would be {order.slug!r}), or edit that file",
        path,
    )


# ---------------------------------------------------------------- the preview


def preview_order(project: Project, order: Order) -> dict[str, Any]:
    """The job ticket's facts for `order` (ticket.json's keys: each item's print runs, sheets,
    copies and overage, total_sheets, unreviewed_languages, warnings), from the arithmetic
    alone: nothing is rendered. A leaflet whose pages flow (max_pages) is counted at its most
    pages, and its item says "pages_at_most": true; a fixed leaflet's pages are exact, since a
    build fails on any other count."""
    items = [
        print_item(item, order.edition, order.paper, item.leaflet.pages or item.leaflet.max_pages)
        for item in order.items
    ]
    folder = project.build.out / ORDERS_FOLDER / order.slug
    package = Package(folder, folder / f"{order.slug}.zip", items, [], order_warnings(order))
    facts = ticket_facts(order, package)
    for fact, item in zip(facts["items"], order.items, strict=True):
        fact["pages_at_most"] = item.leaflet.pages is None
    return facts
