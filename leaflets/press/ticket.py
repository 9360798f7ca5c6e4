"""The job ticket: everything the printer needs, as data (ticket.json) and as one page
(ticket.pdf, from templates/print/ticket.html.j2)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from ..config.model import PAPER_SIZES_IN
from ..config.validation import keypath, strings
from ..errors import OrderError
from ..layout import page
from ..pdf.icc import profile_description
from ..pdf.reproducible import moment
from ..untrusted import forbidden_characters
from . import editions
from .orders import Order
from .sheets import Package

TICKET_TEMPLATE = "print/ticket.html.j2"
PAPER_NAMES = {"letter": "US Letter", "a4": "A4"}


def ticket_facts(order: Order, package: Package, created: datetime | None = None) -> dict[str, Any]:
    """Everything the printer needs, as plain data: ticket.json, and what ticket.pdf shows.

    `created` is the order's date (reproducible.moment()). Every text in it is printed, so each
    is held to the rule for printed text (untrusted.py): an OrderError names the first that
    breaks it."""
    facts = _facts(order, package, (created or moment()).astimezone(UTC))
    for where, text in strings(facts):
        bad = forbidden_characters(text)
        if bad:
            raise OrderError(
                f"{keypath(where)} on the job ticket contains {', '.join(bad)}; remove it "
                "from the order file or the project: control and direction-override "
                "characters are not allowed",
                order.path,
            )
    return facts


def _facts(order: Order, package: Package, created: datetime) -> dict[str, Any]:
    office = order.deliver_to
    edition = order.edition
    requester = order.requested_by
    return {
        "order": order.slug,
        "order_file": order.path.name,
        "created": created.isoformat(),
        "event": {"name": order.event, "date": order.event_date.isoformat()},
        "need_by": order.need_by.isoformat(),
        "deliver_to": {
            "office": office.id,
            "name": office.name,
            "address": f"{office.street}, {office.city}, {office.region} {office.postal_code}",
            "phone": office.phone.display,
        },
        "requested_by": {
            "name": requester.name,
            "email": requester.email,
            "phone": requester.phone.display if requester.phone else None,
        },
        "edition": {
            "name": edition.name,
            "title": edition.title,
            "bleed_in": edition.bleed_in,
            "safe_margin_in": edition.safe_margin_in,
            "pdf_x": page.claims_pdf_x(edition),
            "output_intent": (
                profile_description(p)
                if (p := page.output_profile(edition)) and edition.pdf_x
                else None
            ),
            "standard": editions.pdf_x_note(edition),
        },
        "paper": {
            "size": order.paper,
            "name": PAPER_NAMES.get(order.paper, order.paper),
            "size_in": list(PAPER_SIZES_IN[order.paper]),
            "stock": order.stock,
        },
        "notes": order.notes,
        "unreviewed_languages": [
            {"code": lang.code, "name": lang.name} for lang in order.unreviewed
        ],
        "allow_unreviewed": order.allow_unreviewed,
        "items": [p.facts() for p in package.items],
        "total_sheets": package.total_sheets,
        "total_copies": sum(p.item.quantity for p in package.items),
        "warnings": package.warnings,
    }
