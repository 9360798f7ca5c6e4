"""Issue 12, point 4: every file read or written under the project resolves inside it.

A `locales/es` linked outside the project was read and its .mo written outside; a .po linked to
/etc/passwd was partly echoed by `check` while `build` carried on with the old .mo. A link that
stays inside is fine: a `templates/` linked to another folder of the project was refused.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

import cli
from leaflets.config import project as project_mod
from leaflets.config.paths import inside
from leaflets.errors import OutsideProject
from leaflets.pipeline import build as build_mod
from leaflets.press import orders
from leaflets.press import package as printing
from tests.conftest import DATA
from tests.untrusted_helpers import outside_opens, recorded_access

SECRET = "root:x:0:0:CANARY-9b1e private"


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A folder beside the project, with a file no command may read."""
    folder = tmp_path / "elsewhere"
    folder.mkdir()
    (folder / "passwd").write_text(SECRET + "\n", encoding="utf-8")
    return folder


def run(root: Path, *args: str):
    return CliRunner().invoke(cli.main, ["--project", str(root), *args])


def one_error(result, *words: str) -> str:
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    errors = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert len(errors) == 1, result.output
    for word in words:
        assert word in errors[0], errors[0]
    return errors[0]


def test_inside_follows_links(tmp_path: Path, outside: Path):
    root = tmp_path / "project"
    (root / "real").mkdir(parents=True)
    (root / "in").symlink_to(root / "real")
    (root / "out").symlink_to(outside)
    assert inside(root, root / "in" / "x.po") == root / "real" / "x.po"
    with pytest.raises(OutsideProject, match="outside the project"):
        inside(root, root / "out" / "x.po")
    with pytest.raises(OutsideProject):
        inside(root, root / ".." / "x.po")
    # A path named on the command line may be anywhere, unless it is in the project.
    assert inside(root, outside / "x.pdf", outside_ok=True) == outside / "x.pdf"
    with pytest.raises(OutsideProject):
        inside(root, root / "out" / "x.pdf", outside_ok=True)


def test_a_locales_folder_linked_outside_is_neither_read_nor_written(project_copy, outside):
    shutil.move(project_copy / "locales" / "es", outside / "es")
    (project_copy / "locales" / "es").symlink_to(outside / "es")
    with recorded_access() as record:
        result = run(project_copy, "build", "--lang", "es", "--leaflet", "card")
    one_error(result, "locales/es/LC_MESSAGES/messages.po", "outside the project")
    assert not (outside / "es" / "LC_MESSAGES" / "messages.mo").exists()
    assert not any(str(outside) in target for _, target in record)
    assert not (project_copy / "out" / "es" / "card.pdf").exists()


@pytest.mark.pdf
def test_a_catalog_linked_to_etc_passwd_is_not_echoed_and_stops_the_build(project_copy, outside):
    assert run(project_copy, "build", "--lang", "es", "--leaflet", "card").exit_code == 0
    po = project_copy / "locales" / "es" / "LC_MESSAGES" / "messages.po"
    po.unlink()
    po.symlink_to(outside / "passwd")

    checked = run(project_copy, "check", "--lang", "es")
    assert checked.exit_code == 1
    assert "CANARY" not in checked.output and "root:x" not in checked.output
    assert "outside the project" in checked.output
    built = run(project_copy, "build", "--lang", "es", "--leaflet", "card")
    one_error(built, "outside the project")  # not the old .mo, silently
    assert "CANARY" not in built.output
    for command in (["status"], ["update"], ["doctor"]):
        result = run(project_copy, *command)
        assert "CANARY" not in result.output and "Traceback" not in result.output, command


@pytest.mark.pdf
def test_a_templates_link_inside_the_project_is_fine(project_copy: Path):
    (project_copy / "templates").rename(project_copy / "src-templates")
    (project_copy / "templates").symlink_to("src-templates")
    project = project_mod.load(project_copy)
    (output,) = build_mod.plan(project, ["es"], ["card"])
    build_mod.build(project, [output])
    assert output.path.is_file()
    # The translator commands find the templates' messages through the link as well.
    result = run(project_copy, "check", "--lang", "es", "--json")
    assert result.exit_code == 0, result.output
    assert not [f for f in json.loads(result.stdout) if f["code"] == "outdated"]


@pytest.mark.parametrize("name", ["templates", "styles", "contacts.toml", "leaflets.toml"])
def test_project_files_linked_outside_are_refused(project_copy: Path, outside: Path, name):
    shutil.move(project_copy / name, outside / name)
    (project_copy / name).symlink_to(outside / name)
    with recorded_access() as record:
        result = run(project_copy, "build", "--lang", "es", "--leaflet", "card")
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert "outside the project" in result.output or "inside templates/" in result.output
    assert not outside_opens(record, project_copy)


def test_a_template_linked_outside_is_not_read(project_copy: Path, outside: Path):
    partial = project_copy / "templates" / "partials" / "footer.html.j2"
    partial.unlink()
    partial.symlink_to(outside / "passwd")
    with recorded_access() as record:
        result = run(project_copy, "build", "--lang", "es", "--leaflet", "card", "--jobs", "1")
    one_error(result, "footer.html.j2", "outside the project")
    assert not any(target == str(outside / "passwd") for _, target in record)


def test_outputs_linked_outside_are_not_written(project_copy: Path, outside: Path):
    (project_copy / "out").mkdir()
    (project_copy / "out" / "es").symlink_to(outside)
    result = run(project_copy, "build", "--lang", "es", "--leaflet", "card")
    one_error(result, "out/es", "outside the project")
    assert sorted(p.name for p in outside.iterdir()) == ["passwd"]


def test_orders_linked_outside_are_neither_read_nor_written(project_copy: Path, outside: Path):
    project = project_mod.load(project_copy)
    (outside / "order.toml").write_text((DATA / "orders" / "good.toml").read_text())
    (project_copy / "orders" / "linked.toml").symlink_to(outside / "order.toml")
    with pytest.raises(OutsideProject):
        orders.load_order(project, project_copy / "orders" / "linked.toml")
    # An order file named outside the project is the user's choice.
    order = orders.load_order(project, outside / "order.toml")
    (project_copy / "out").mkdir()
    (project_copy / "out" / "orders").symlink_to(outside)
    with pytest.raises(OutsideProject):
        printing.write_package(project, order)
    assert sorted(p.name for p in outside.iterdir()) == ["order.toml", "passwd"]


def test_project_names_the_project_folder_itself(project_copy: Path):
    """--project <project>/templates used to walk up to the project without a word."""
    result = CliRunner().invoke(cli.main, ["--project", str(project_copy / "templates"), "list"])
    one_error(result, "templates", "no leaflets.toml in this folder")
    assert CliRunner().invoke(cli.main, ["--project", str(project_copy), "list"]).exit_code == 0


def test_check_pdf_does_not_read_a_pdf_linked_outside(project_copy: Path, outside: Path):
    (project_copy / "out" / "es").mkdir(parents=True)
    (project_copy / "out" / "es" / "card.pdf").symlink_to(outside / "passwd")
    with recorded_access() as record:
        result = run(project_copy, "check", "--lang", "es", "--pdf", str(project_copy / "out"))
    assert result.exit_code == 1
    assert "outside the project" in result.output and "CANARY" not in result.output
    assert not any(target == str(outside / "passwd") for _, target in record)
