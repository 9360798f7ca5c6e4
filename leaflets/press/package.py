"""Package: a validated `Order` → its print package in out/orders/<slug>/.

`write_package()` renders each item in the order's edition, imposes it (impose.py), and writes
the print files, proofs/ (one tagged copy of each leaflet), ticket.pdf and ticket.json for the
printer (ticket.py), manifest.json (SHA-256 of every file) and <slug>.zip. It holds the
project's build lock throughout, as a build does: a second order (or a build) waits. The
package is built in a staging folder beside its final place and swapped into place at the end
(staging.py), so a failed order leaves nothing behind, an older package of the same name stays
until the new one is whole, and a killed one is put right by the next order.

Every date in the package is the order's (reproducible.moment()), and every identifier comes
from names: with SOURCE_DATE_EPOCH set, the same order gives the same bytes, zip included.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import shutil
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from markupsafe import Markup

from ..config.fonts import font_face_css
from ..config.model import Project
from ..i18n.translations import Translations, load_translations
from ..layout.render import render_template, template_environment
from ..layout.typeset import Typesetter
from ..pdf import reproducible
from ..pipeline.lock import DEFAULT_WAIT_S, build_lock
from ..pipeline.stages import Job, Stages, make_pdf
from ..writing import named, write_file
from . import impose, staging
from .editions import order_warnings
from .orders import Order, OrderItem
from .sheets import Package, PrintItem, package_path, print_item, proof_file
from .ticket import TICKET_TEMPLATE, ticket_facts

Progress = Callable[[str], None]
ZIP_EPOCH = datetime(1980, 1, 1, tzinfo=UTC)


def write_package(
    project: Project,
    order: Order,
    *,
    out: Path | None = None,
    progress: Progress | None = None,
    wait: float = DEFAULT_WAIT_S,
) -> Package:
    """Render, impose and write the order's package; all of it, or nothing.

    Waits up to `wait` seconds for another order or build in the project to finish."""
    target = package_path(project, order, out)
    orders_root = target.parent
    with build_lock(project, wait, progress):
        created = [p for p in (orders_root, *orders_root.parents) if not p.exists()]
        orders_root.mkdir(parents=True, exist_ok=True)
        for note in staging.recover(orders_root):
            if progress:
                progress(note)
        event = {"name": order.event, "date": order.event_date.isoformat()}
        staging.check_owner(target, order.path, event)
        folder = staging.staging_folder(orders_root, order.slug)
        try:
            package = _build(project, order, folder, progress)
            staging.swap_into_place(folder, target)
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            # Folders this run made (out/, out/orders/) go too, if nothing else has used them.
            for made in created:
                try:
                    made.rmdir()
                except OSError:
                    break
            raise
    package.path = target
    package.zip_path = target / package.zip_path.name
    return package


@dataclass
class _Press:
    """What every item of one order shares: the order's paper, edition and loaded stages."""

    project: Project
    order: Order
    folder: Path
    stages: Stages
    when: datetime
    """The order's date: every file of the package carries it."""
    catalogs: dict[str, Translations] = dataclasses.field(default_factory=dict)

    @classmethod
    def start(cls, project: Project, order: Order, folder: Path) -> _Press:
        # The tri-fold, flyer and large print take the order's paper, whatever build.paper says.
        print_project = project.model_copy(
            update={"build": project.build.model_copy(update={"paper": order.paper})}
        )
        return cls(
            print_project,
            order,
            folder,
            Stages.load(print_project),
            reproducible.moment(),
        )

    def translations(self, code: str) -> Translations:
        if code not in self.catalogs:
            self.catalogs[code] = load_translations(self.project, code)
        return self.catalogs[code]


def _build(project: Project, order: Order, folder: Path, progress: Progress | None) -> Package:
    press = _Press.start(project, order, folder)
    (folder / "proofs").mkdir()
    warnings = order_warnings(order)
    printed: list[PrintItem] = []
    for item in order.items:
        if progress:
            progress(f"[{item.number}/{len(order.items)}] {item.label}")
        printed.append(_print_item(press, item, warnings))
    package = Package(
        path=folder, zip_path=folder / f"{order.slug}.zip", items=printed, warnings=warnings
    )
    facts = ticket_facts(order, package, press.when)
    if progress:
        progress("ticket")
    write_file(folder / "ticket.json", json.dumps(facts, indent=2, ensure_ascii=False) + "\n")
    write_file(folder / "ticket.pdf", render_ticket(press.project, facts, press.stages.typesetter))
    package.files = _write_manifest(folder, order)
    _write_zip(folder, package.zip_path, order.slug, press.when)
    return package


def _print_item(press: _Press, item: OrderItem, warnings: list[str]) -> PrintItem:
    """Make one item's proof as its edition prints it, through the build's own stages (fitted,
    repaired, audited: the proofs are the leaflet too), and impose its print file."""
    order, code = press.order, item.language.code
    label = f"{order.path.name}: items[{item.number - 1}] {item.leaflet.name} ({code})"
    proof = proof_file(item)
    name = f"orders/{order.slug}/{item.stem}"
    made = make_pdf(
        press.stages,
        Job(
            leaflet=item.leaflet,
            language=item.language,
            translations=press.translations(code),
            label=label,
            name=name,
            path=press.folder / proof,
            edition=order.edition,
            fit=press.project.build.fit,
            date=reproducible.w3c(press.when),
        ),
    )
    fallbacks = made.fitted.fallbacks
    printed = print_item(item, order.edition, order.paper, made.pages, fallbacks)
    title = f"{order.event}: {item.leaflet.title} ({item.language.name}), print sheet"
    sheets = impose.impose_n_up(
        made.pdf, printed.layout, title, when=press.when, name=f"{name}/sheet"
    )
    write_file(press.folder / printed.file, sheets)
    if fallbacks:
        warnings.append(_fallback_warning(press, item, label, fallbacks))
    return printed


def _fallback_warning(press: _Press, item: OrderItem, label: str, fallbacks: int) -> str:
    return (
        f"{label}: {fallbacks} strings are printed in "
        f"{press.project.source_language.name} (untranslated, fuzzy or rejected by "
        f"`leaflets check`); `leaflets status --lang {item.language.code} --fallbacks` "
        "names them"
    )


def _write_manifest(folder: Path, order: Order) -> list[str]:
    files = sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())
    manifest = {
        "order": order.slug,
        "algorithm": "sha256",
        "files": [
            {
                "path": name,
                "bytes": (folder / name).stat().st_size,
                "sha256": hashlib.sha256((folder / name).read_bytes()).hexdigest(),
            }
            for name in files
        ],
    }
    write_file(folder / "manifest.json", json.dumps(manifest, indent=2) + "\n")
    return [*files, "manifest.json"]


def _write_zip(folder: Path, zip_path: Path, slug: str, when: datetime) -> None:
    """The whole package (manifest included) in one file, under a <slug>/ folder. Members are
    in name order, dated `when` (no earlier than 1980, which zip cannot write), mode 644."""
    members = sorted(p for p in folder.rglob("*") if p.is_file() and p != zip_path)
    stamp = max(when.astimezone(UTC), ZIP_EPOCH).timetuple()[:6]
    with named(zip_path), zipfile.ZipFile(zip_path, "w") as archive:
        for member in members:
            info = zipfile.ZipInfo(f"{slug}/{member.relative_to(folder).as_posix()}", stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, member.read_bytes())


def render_ticket(project: Project, facts: dict[str, Any], typesetter: Typesetter) -> bytes:
    """The one-page job ticket, from templates/print/ticket.html.j2. English: it is for the
    printer, and it goes through no catalog."""
    env = template_environment(project)
    # The type stays at its size (9 pt at the smallest), to be read standing at a press: a
    # long order runs on to more pages, which are numbered.
    context = {
        "facts": facts,
        "font_css": Markup(font_face_css(project.fonts_of(project.source_language.code))),
    }
    html = render_template(env, project, TICKET_TEMPLATE, context)
    return typesetter.pdf(typesetter.layout(html))
