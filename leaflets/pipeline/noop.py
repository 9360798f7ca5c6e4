"""The no-op build's fast path: `leaflets build` with nothing to do, decided from a record of
the files the last build saw, before click, pydantic or the project's config load.

After a build, the command line records (`record`) its arguments and working folder, the size
and time of every input the build's cache keys hash or that decides what `leaflets build` says
(leaflets.toml, contacts.toml, the templates, stylesheets, catalogs and review files, the font
files, leaflets' own code, the installed distributions, the HarfBuzz library cache and
SOURCE_DATE_EPOCH), the size and time of every output and of the manifest, and the lines the
next build would print if none of that changed. The next `leaflets build` with the same
arguments in the same folder takes every stat again (`replay`); when all are equal, it prints
those lines and exits 0, as the full no-op build does. Anything else (a file changed, added or
removed, another build holding the lock, a record unreadable or from another build) goes the
full way, which compares hashes.

Its limit is make's: a file edited so that its size stays the same and its time is set back
to what it was is taken for unchanged. `leaflets build --force` always rebuilds.

Until it records, this module loads only the standard library, config/paths.py and lock.py.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any, TextIO

from ..config.paths import CONFIG_NAME, CONTACTS_NAME, find_root, inside, read_project_file
from ..errors import LeafletsError
from . import lock

RECORD_NAME = ".leaflets-cache/noop-build.json"
RECORD_FORMAT = 1
# What the build reads from the environment: the PDF's date, and where HarfBuzz is found.
ENVIRONMENT = ("SOURCE_DATE_EPOCH", "LD_LIBRARY_PATH")
# The dynamic loader's cache: installing or removing HarfBuzz's subsetter rewrites it.
LOADER_CACHE = "/etc/ld.so.cache"
ELAPSED = "\0elapsed\0"
"""Stands in a recorded line for the seconds the build took, filled in when it is printed."""
ANSI = {"yellow": "\x1b[33m", "red": "\x1b[31m"}

started_as_command = False
"""True when this process is `leaflets` or `python -m cli` (not a test's CliRunner): only then
do sys.argv and the working folder say what was asked."""


def _stat(path: str) -> list[int] | None:
    try:
        found = os.stat(path)
    except OSError:
        return None
    return [found.st_size, found.st_mtime_ns]


def _tree(folder: str, suffix: str) -> dict[str, list[int]]:
    """Size and time of every file under `folder` whose name ends with `suffix`."""
    found: dict[str, list[int]] = {}
    for here, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in files:
            if name.endswith(suffix):
                path = os.path.join(here, name)
                found[os.path.relpath(path, folder)] = _stat(path) or [-1, -1]
    return found


def _distributions(folder: str) -> list[str]:
    """The distributions installed in one folder of sys.path, as the cache key lists them."""
    try:
        return sorted(e for e in os.listdir(folder or ".") if e.endswith(".dist-info"))
    except OSError:
        return []


def _listing(folder: str) -> list[str] | None:
    try:
        return sorted(os.listdir(folder))
    except OSError:
        return None


def snapshot(inputs: dict[str, list]) -> dict[str, Any]:
    """The state of `inputs` ({"files": [...], "trees": [[folder, suffix], ...], "folders":
    [...]}) and of the interpreter, as JSON."""
    return {
        "files": {path: _stat(path) for path in inputs["files"]},
        "trees": {
            f"{folder} {suffix}": _tree(folder, suffix) for folder, suffix in inputs["trees"]
        },
        "folders": {folder: _listing(folder) for folder in inputs["folders"]},
        "packages": {folder: _distributions(folder) for folder in dict.fromkeys(sys.path)},
        "environment": {name: os.environ.get(name) for name in ENVIRONMENT},
        "python": [sys.executable, sys.version, __file__],  # and which copy of leaflets
    }


def inputs_of(project: Any, package: Path, script: Path) -> dict[str, list]:
    """What snapshot() looks at for a build of `project` (a config.model.Project): the two
    config files, every file under the templates, catalogs and stylesheets' folders, every .py
    file of leaflets' `package`, the command line's `script` (cli.py) and the loader's cache."""
    root = project.root
    sheets = {
        root / n for leaflet in project.leaflets.values() for n in project.stylesheet_names(leaflet)
    }
    folders = {project.templates_dir, project.locales_dir, *(sheet.parent for sheet in sheets)}
    files = {root / CONFIG_NAME, root / CONTACTS_NAME, script, *sheets}
    return {
        "files": sorted({LOADER_CACHE, *map(str, files)}),
        "trees": sorted([[str(f), ""] for f in folders] + [[str(package), ".py"]]),
        "folders": [],
    }


def config_state(root: Path | None) -> dict[str, list[int] | None]:
    """The two config files' sizes and times, taken before the config loads: an edit while
    the build runs then shows against the snapshot taken after (`record`'s `before`)."""
    try:
        root = find_root() if root is None else root.resolve()
    except LeafletsError:
        return {}
    return {str(root / name): _stat(str(root / name)) for name in (CONFIG_NAME, CONTACTS_NAME)}


def record_path(root: Path) -> Path:
    return inside(root, root / RECORD_NAME)


def forget(root: Path) -> None:
    """Remove the record: a build is under way and will write the next one."""
    try:
        record_path(root).unlink(missing_ok=True)
    except (OSError, LeafletsError):
        pass


def record(
    root: Path,
    inputs: dict[str, list],
    before: dict[str, Any],
    outputs: Iterable[Path],
    lines: list[list],
    also: Iterable[Path] = (),
) -> bool:
    """Write the record of a build that just ended, unless an input changed while it ran
    (`before`, a snapshot from before it read them): then the next build goes the full way.
    The catalogs the build compiled (.mo) are the build's own doing. `also` are files known
    only after the build (the manifest, the font files it hashed). Returns whether it wrote."""
    outputs = sorted(str(path) for path in outputs)
    watched = {
        "files": sorted({*inputs["files"], *outputs, *map(str, also)}),
        "trees": inputs["trees"],
        "folders": sorted({os.path.dirname(path) for path in outputs}),
    }
    after = snapshot(watched)
    if _without_compiled(after, inputs) != _without_compiled(before, inputs):
        return False
    data = {
        "format": RECORD_FORMAT,
        "argv": sys.argv[1:],
        "cwd": os.getcwd(),
        "inputs": watched,
        "state": after,
        "lines": lines,
    }
    # Here: writing.py loads tempfile and ctypes, which the fast path itself does not need.
    from ..writing import write_atomic

    try:
        path = record_path(root)
        path.parent.mkdir(exist_ok=True)
        write_atomic(path, json.dumps(data).encode())
    except (OSError, LeafletsError):
        return False  # a cache: a read-only project builds the full way each time
    return True


def _without_compiled(state: dict[str, Any], inputs: dict[str, list]) -> dict[str, Any]:
    """The state of `inputs` alone, without the compiled catalogs."""
    return {
        "files": {p: state["files"].get(p) for p in inputs["files"]},
        "trees": {
            name: {p: s for p, s in tree.items() if not p.endswith(".mo")}
            for name, tree in state["trees"].items()
        },
        "other": [state[key] for key in ("packages", "environment", "python")],
    }


def replay(argv: list[str], out: TextIO | None = None, err: TextIO | None = None) -> bool:
    """If the record says `leaflets <argv>` has nothing to build, print what a build would
    and return True; else (any doubt) return False and print nothing."""
    started = time.perf_counter()
    if "build" not in argv or any(a in argv for a in ("--force", "-h", "--help", "--version")):
        return False
    try:
        root = _root(argv)
        data = json.loads(read_project_file(record_path(root), "record"))
        if data.get("format") != RECORD_FORMAT or data.get("argv") != argv:
            return False
        if data.get("cwd") != os.getcwd() or not _printable(data.get("lines")):
            return False
        # Held while the stats are taken: a build under way may be writing the outputs.
        with lock.file_lock(inside(root, root / lock.LOCK_NAME)):
            if snapshot(data["inputs"]) != data["state"]:
                return False
    except (OSError, ValueError, LookupError, TypeError, AttributeError, LeafletsError):
        return False
    except lock.Held:
        return False
    elapsed = f"{time.perf_counter() - started:.1f}"
    for stream, text, colour in data["lines"]:
        _say(
            text.replace(ELAPSED, elapsed),
            colour,
            (err or sys.stderr) if stream == "err" else (out or sys.stdout),
        )
    return True


def _root(argv: list[str]) -> Path:
    """The project folder the arguments name (--project), or the one found from here. Only a
    candidate: the record names the arguments and folder it was made with, and a match on both
    is the folder that build used."""
    for index, arg in enumerate(argv):
        if arg == "--project" and index + 1 < len(argv):
            return Path(argv[index + 1]).resolve()
        if arg.startswith("--project="):
            return Path(arg.partition("=")[2]).resolve()
    return find_root()


def _printable(lines: Any) -> bool:
    """Recorded lines, each [stream, text, colour], with no control character but the stand-in
    for the seconds: the record is a file in the project, not trusted to drive a terminal."""
    if not isinstance(lines, list):
        return False
    for line in lines:
        if not (isinstance(line, list) and len(line) == 3 and line[0] in ("out", "err")):
            return False
        text, colour = line[1], line[2]
        if not isinstance(text, str) or (colour is not None and colour not in ANSI):
            return False
        if any(ord(c) < 32 or 127 <= ord(c) < 160 for c in text.replace(ELAPSED, "")):
            return False
    return True


def _say(text: str, colour: str | None, stream: TextIO) -> None:
    """One line, coloured as click.secho colours it: only on a terminal."""
    if colour is not None and stream.isatty():
        text = f"{ANSI[colour]}{text}\x1b[0m"
    stream.write(text + "\n")
    stream.flush()  # as click.echo does: lines on stdout and stderr stay in order
