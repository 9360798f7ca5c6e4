"""Putting a finished print package in place: never half of one, never none.

A package is written into a staging folder beside its final place (`out/orders/.<slug>.*.tmp`)
and swapped into place when complete. Where the system can (Linux's renameat2 with
RENAME_EXCHANGE), the old and the new package trade places in one step, so the package is
never missing, even for a moment. Elsewhere the old package is first renamed to
`.<slug>.old`, then the new one into place; a process killed between the two renames leaves
the old package there, and the next order puts it back (`recover()`), before it looks at
anything else. Staging folders of killed orders are removed then too.

All of it runs under the project's build lock (build/lock.py): no other order or build is
writing, so every staging folder found is stale.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

from ..config.paths import read_project_file
from ..config.toml_lines import line_of
from ..errors import FileRefused, OrderError, display_path
from ..untrusted import shown
from ..writing import exchange

STAGING_SUFFIX = ".tmp"
BACKUP_SUFFIX = ".old"


def staging_folder(orders_root: Path, slug: str) -> Path:
    """A new, empty staging folder for the package `slug`."""
    return Path(tempfile.mkdtemp(prefix=f".{slug}.", suffix=STAGING_SUFFIX, dir=orders_root))


def check_owner(target: Path, order_file: Path, event: dict[str, str]) -> None:
    """An OrderError, at the order's `name`, when `target` holds another order's package: two
    orders whose names make one folder name must not replace each other's. The package is this
    order's when its ticket.json names the same order file and event; then the new one replaces
    it, as a corrected order should."""
    if not target.exists():
        return
    try:
        facts = json.loads(read_project_file(target / "ticket.json", "record"))
        if facts["order_file"] == order_file.name and facts["event"] == event:
            return
        other = (
            f"the package of another order ({shown(str(facts['order_file']))}, for "
            f"{shown(str(facts['event']['name']))} on {shown(str(facts['event']['date']))})"
        )
    except (OSError, ValueError, KeyError, TypeError, FileRefused):
        other = "a folder that is not this order's print package"
    try:
        line = line_of(order_file.read_text(encoding="utf-8").splitlines(), "name")
    except (OSError, UnicodeDecodeError):
        line = None
    raise OrderError(
        f"{display_path(target)} already holds {other}; give this order a name of its own, or "
        "move that folder away if it is no longer wanted",
        order_file,
        line,
    )


def backup_path(target: Path) -> Path:
    return target.parent / f".{target.name}{BACKUP_SUFFIX}"


def recover(orders_root: Path) -> list[str]:
    """Undo what killed orders left in out/orders/: put back a package that a killed swap
    left aside, and delete stale staging folders and backups. Returns what it did, in words."""
    done: list[str] = []
    if not orders_root.is_dir():
        return done
    for entry in sorted(orders_root.iterdir()):
        if not entry.name.startswith(".") or not entry.is_dir() or entry.is_symlink():
            continue
        if entry.name.endswith(BACKUP_SUFFIX):
            done += _recover_backup(orders_root, entry)
        elif entry.name.endswith(STAGING_SUFFIX):
            shutil.rmtree(entry, ignore_errors=True)
            done.append(f"removed {entry.name}, left by an order that did not finish")
    return done


def _recover_backup(orders_root: Path, backup: Path) -> list[str]:
    # .<slug>.old is the package itself; .<slug>.<random>.old/<slug> is how older versions of
    # leaflets set it aside.
    inner = backup.name[1 : -len(BACKUP_SUFFIX)]
    slug = inner if "." not in inner else inner.rsplit(".", 1)[0]
    package = backup if "." not in inner else backup / slug
    target = orders_root / slug
    if package.is_dir() and not target.exists():
        os.replace(package, target)
        shutil.rmtree(backup, ignore_errors=True)
        return [f"put back {slug}/, which an order stopped halfway through replacing"]
    shutil.rmtree(backup, ignore_errors=True)
    return []


def swap_into_place(staging: Path, target: Path) -> None:
    """Rename the finished package into place; an older package of the same name goes."""
    os.chmod(staging, 0o755)
    if not target.exists():
        os.replace(staging, target)
        return
    if exchange(staging, target):
        shutil.rmtree(staging, ignore_errors=True)  # the old package, now at the staging path
        return
    backup = backup_path(target)
    shutil.rmtree(backup, ignore_errors=True)
    os.replace(target, backup)
    os.replace(staging, target)
    shutil.rmtree(backup, ignore_errors=True)
