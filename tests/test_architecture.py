"""The code's shape: one package per stage, imports that point down, and modules and functions
small enough to hold in one's head. Read from the source with ast, so it needs no imports."""

from __future__ import annotations

import ast
import functools
from collections import defaultdict
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
LIBRARY = REPO / "leaflets"
# Each package may import the packages of a lower rank only; one rank holds siblings that
# must not import each other (layout and pdf; tools and studio).
RANKS = {
    "": 0,  # errors.py, findings.py, untrusted.py, writing.py: shared ground
    "config": 1,
    "i18n": 2,
    "layout": 3,
    "pdf": 3,
    "pipeline": 4,
    "press": 5,
    "tools": 6,
    "studio": 6,
}
# Inside i18n/, the rooms rank too: the .po format, then the checks, then what a build loads
# (i18n/ itself), then the translator commands.
I18N_RANKS = {"po": 0, "checks": 1, "": 2, "commands": 3}
# The guide says "about 400" and "about 60": a little slack, so a docstring does not fail CI.
MAX_MODULE_LINES = 420
MAX_FUNCTION_LINES = 60
SHARED_MODULES = {"__init__", "errors", "findings", "untrusted", "writing"}


def modules() -> list[Path]:
    return sorted(LIBRARY.rglob("*.py"))


def module_name(path: Path) -> str:
    parts = path.relative_to(REPO).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def package_of(name: str) -> str:
    """ "leaflets.i18n.po.catalog" → "i18n"; "leaflets.errors" → ""."""
    parts = name.split(".")
    return parts[1] if len(parts) > 2 or (len(parts) == 2 and parts[1] in RANKS) else ""


def room_of(name: str) -> str:
    """ "leaflets.i18n.po.catalog" → "po"; "leaflets.i18n.translations" → ""."""
    parts = name.split(".")
    return parts[2] if len(parts) > 3 and parts[1] == "i18n" else ""


def imported(path: Path, node: ast.ImportFrom | ast.Import) -> list[str]:
    """The leaflets modules an import statement names, as dotted names."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names if alias.name.startswith("leaflets")]
    if node.level == 0:
        base = node.module or ""
        if not base.startswith("leaflets"):
            return []
    else:
        here = module_name(path).split(".")
        if path.name != "__init__.py":
            here = here[:-1]
        base = ".".join(here[: len(here) - node.level + 1] + ([node.module] if node.module else []))
    names = []
    for alias in node.names:
        candidate = f"{base}.{alias.name}"
        is_module = (REPO / Path(*candidate.split("."))).with_suffix(".py").exists() or (
            REPO / Path(*candidate.split("."))
        ).is_dir()
        names.append(candidate if is_module else base)
    return names


@functools.cache  # four tests read it: the library is parsed once
def imports() -> list[tuple[Path, int, str, bool]]:
    """(file, line, imported module, inside a function) for every leaflets import."""
    found = []
    for path in modules():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        in_function = {
            id(inner)
            for node in ast.walk(tree)
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
            for inner in ast.walk(node)
        }
        for node in ast.walk(tree):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                for name in imported(path, node):
                    found.append((path, node.lineno, name, id(node) in in_function))
    return found


def test_every_module_is_in_a_stage_package_or_shared():
    for path in modules():
        name = module_name(path)
        package = package_of(name)
        assert package in RANKS, f"{name} is in no known stage package"
        if package == "":
            assert path.stem in SHARED_MODULES, f"{name} belongs in a stage package"


def test_imports_point_downward_only():
    wrong = []
    for path, line, target, _ in imports():
        source, goal = package_of(module_name(path)), package_of(target)
        if source == goal:
            continue
        if RANKS[goal] >= RANKS[source]:
            wrong.append(f"{path.relative_to(REPO)}:{line}: {source or 'leaflets'} → {target}")
    assert not wrong, "imports that point up or sideways:\n" + "\n".join(wrong)


def test_inside_i18n_imports_point_downward_only():
    wrong = []
    for path, line, target, _ in imports():
        source = module_name(path)
        if package_of(source) != "i18n" or package_of(target) != "i18n":
            continue
        here, there = room_of(source), room_of(target)
        if here != there and I18N_RANKS[there] >= I18N_RANKS[here]:
            wrong.append(f"{path.relative_to(REPO)}:{line}: i18n/{here or '.'} → {target}")
    assert not wrong, "i18n imports that point up or sideways:\n" + "\n".join(wrong)


def test_the_library_never_imports_click():
    for path in modules():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                assert all(a.name != "click" for a in node.names), path
            elif isinstance(node, ast.ImportFrom):
                assert node.module != "click", path


def test_no_import_cycle_between_modules():
    graph: dict[str, set[str]] = defaultdict(set)
    # An import inside a function counts: it hides a cycle, it does not break it.
    for path, _, target, _lazy in imports():
        graph[module_name(path)].add(target)
    # Depth-first search for a back edge; the cycle is printed when one is found.
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                cycle = stack[stack.index(nxt) :] + [nxt]
                pytest.fail("import cycle: " + " → ".join(cycle))
            if nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node)


def test_an_import_inside_a_function_says_why():
    """A lazy import is fine when it keeps the no-op build fast; it must say so, in a comment
    on its line, or above the group of imports it is in."""
    silent = []
    for path, line, target, lazy in imports():
        if not lazy:
            continue
        lines = path.read_text(encoding="utf-8").splitlines()
        start = line - 1
        while start > 0 and lines[start - 1].strip().startswith(("from ", "import ")):
            start -= 1
        group = lines[max(0, start - 1) : line]
        if not any("#" in text for text in group):
            silent.append(f"{path.relative_to(REPO)}:{line}: {target}")
    assert not silent, "lazy imports without a comment:\n" + "\n".join(silent)


@pytest.mark.parametrize("path", [*modules(), REPO / "cli.py"], ids=lambda p: p.name)
def test_modules_and_functions_stay_small(path: Path):
    text = path.read_text(encoding="utf-8")
    # cli.py is the one click group: declarative option lists may run past the module guide.
    if path.name != "cli.py":
        lines = len(text.splitlines())
        assert lines <= MAX_MODULE_LINES, f"{path} has over {MAX_MODULE_LINES} lines"
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            length = node.end_lineno - node.lineno + 1
            assert length <= MAX_FUNCTION_LINES, f"{path.name}: {node.name} has {length} lines"


def test_only_the_adapters_import_weasyprint():
    """WeasyPrint loads through layout/weasyprint_adapters.py, which finds its libraries quickly
    and wraps its tagger; another module importing it first would skip both."""
    adapters = LIBRARY / "layout" / "weasyprint_adapters.py"
    wrong = []
    for path in modules():
        if path == adapters:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        typing_only = {
            id(inner)
            for node in ast.walk(tree)
            if isinstance(node, ast.If) and ast.unparse(node.test).endswith("TYPE_CHECKING")
            for inner in ast.walk(node)
        }
        for node in ast.walk(tree):
            if id(node) in typing_only:
                continue
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                names = [node.module or ""]
            else:
                continue
            if any(name.split(".")[0] in ("weasyprint", "pydyf") for name in names):
                wrong.append(f"{path.relative_to(REPO)}:{node.lineno}")
    assert not wrong, "WeasyPrint imported outside weasyprint_adapters.py:\n" + "\n".join(wrong)
