"""Issue 25, point 2: two orders whose names make the same folder name. The second is
refused, at its `name` line, and the first event's package stays as it was; the same order
run again still replaces its own package."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from click.testing import CliRunner

import cli

pytestmark = pytest.mark.pdf

ORDER = """name = "{name}"
event = "{event}"
event_date = 2027-02-14
need_by = 2027-02-08
deliver_to = "st-croix"
edition = "office"
paper = "letter"

[requested_by]
name = "Outreach coordinator"
phone = "+1 340 719 0144"

[[items]]
leaflet = "card"
language = "en"
quantity = 10
"""


def write_order(root: Path, file: str, name: str, event: str) -> Path:
    path = root / "orders" / file
    path.write_text(ORDER.format(name=name, event=event), encoding="utf-8")
    return path


def order(root: Path, path: Path):
    return CliRunner().invoke(cli.main, ["--project", str(root), "order", str(path)])


def fingerprint(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_a_second_order_with_the_same_folder_name_is_refused(project_copy: Path):
    first = write_order(project_copy, "fair.toml", "Spring Fair 2027", "Spring Fair, St. Croix")
    assert order(project_copy, first).exit_code == 0
    folder = project_copy / "out" / "orders" / "spring-fair-2027"
    before = fingerprint(folder)
    second = write_order(project_copy, "expo.toml", "spring fair, 2027!", "Health Expo")
    result = order(project_copy, second)
    assert result.exit_code == 1 and "Traceback" not in result.output
    (error,) = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert "expo.toml:1:" in error and "spring-fair-2027" in error, error
    assert "fair.toml" in error and "Spring Fair, St. Croix" in error, error
    assert fingerprint(folder) == before
    assert sorted(p.name for p in folder.parent.iterdir()) == ["spring-fair-2027"]


def test_the_same_order_run_again_replaces_its_package(project_copy: Path):
    path = write_order(project_copy, "fair.toml", "Spring Fair 2027", "Spring Fair, St. Croix")
    assert order(project_copy, path).exit_code == 0
    text = path.read_text(encoding="utf-8").replace("quantity = 10", "quantity = 20")
    path.write_text(text, encoding="utf-8")
    result = order(project_copy, path)
    assert result.exit_code == 0, result.output
    ticket = project_copy / "out" / "orders" / "spring-fair-2027" / "ticket.json"
    assert '"quantity": 20' in ticket.read_text(encoding="utf-8")


def test_a_folder_that_is_no_package_is_not_replaced(project_copy: Path):
    folder = project_copy / "out" / "orders" / "spring-fair-2027"
    folder.mkdir(parents=True)
    (folder / "notes.txt").write_text("mine")
    path = write_order(project_copy, "fair.toml", "Spring Fair 2027", "Spring Fair, St. Croix")
    result = order(project_copy, path)
    assert result.exit_code == 1
    assert "not this order's print package" in result.output
    assert (folder / "notes.txt").read_text() == "mine"
