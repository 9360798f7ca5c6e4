"""Print packages built once per session and shared by the press tests: the README's example
order (press edition, three items) through the command line, and a small office-edition order."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

import cli
from leaflets.config import project as project_mod
from leaflets.press import orders
from leaflets.press import package as printing
from tests.conftest import DATA, copy_project

ORDERS = DATA / "orders"
EXAMPLE = "orders/agricultural-fair-2027.toml"
SLUG = "agricultural-fair-2027"


def run_cli(*args: str):
    return CliRunner().invoke(cli.main, list(args), catch_exceptions=False)


@pytest.fixture(scope="session")
def example(tmp_path_factory: pytest.TempPathFactory):
    """The README's command on the shipped example order: (project, package folder, ticket)."""
    root = copy_project(tmp_path_factory.mktemp("order") / "project")
    result = run_cli("--project", str(root), "order", str(root / EXAMPLE), "--allow-unreviewed")
    assert result.exit_code == 0, result.output
    folder = root / "out" / "orders" / SLUG
    ticket = json.loads((folder / "ticket.json").read_text(encoding="utf-8"))
    return project_mod.load(root), folder, ticket


@pytest.fixture(scope="session")
def office(tmp_path_factory: pytest.TempPathFactory):
    """An office-edition order for a card, a flyer and a tri-fold, with a name that tries to
    escape."""
    root = copy_project(tmp_path_factory.mktemp("office") / "project")
    project = project_mod.load(root)
    order_path = root / "orders" / "office.toml"
    order_path.write_text(
        (ORDERS / "good.toml")
        .read_text(encoding="utf-8")
        .replace('name = "test-order"', 'name = "../../Office/../Escape"')
        + '\n[[items]]\nleaflet = "flyer"\nlanguage = "en"\nquantity = 30\n'
        + '\n[[items]]\nleaflet = "trifold"\nlanguage = "es"\nquantity = 12\n',
        encoding="utf-8",
    )
    order = orders.load_order(project, order_path, allow_unreviewed=True)
    package = printing.write_package(project, order)
    return project, order, package
