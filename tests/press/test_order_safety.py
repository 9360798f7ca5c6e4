"""Issue 12, points 7 to 9: orders take the project's lock, never leave the package missing,
clean up after killed runs, are reproducible with SOURCE_DATE_EPOCH, and bound what an order
file can ask for."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import zipfile
from pathlib import Path

import pytest

from leaflets.config import project as project_mod
from leaflets.errors import BuildLocked
from leaflets.pipeline.lock import build_lock
from leaflets.press import orders, staging
from leaflets.press import package as printing
from tests.conftest import DATA

EPOCH = "1700000000"  # 2023-11-14T22:13:20Z


def card_order(root: Path, edition: str = "office", name: str = "cards") -> Path:
    path = root / "orders" / f"{name}.toml"
    text = (DATA / "orders" / "good.toml").read_text(encoding="utf-8")
    text = text.replace('name = "test-order"', f'name = "{name}"')
    path.write_text(text.replace('edition = "office"', f'edition = "{edition}"'))
    return path


def write(root: Path, path: Path, **options):
    project = project_mod.load(root)
    return printing.write_package(project, orders.load_order(project, path), **options)


# ---------------------------------------------------------------- 7. locking and atomicity


def test_an_order_waits_for_the_lock_and_says_so(project_copy: Path):
    path = card_order(project_copy)
    heard: list[str] = []
    with (
        build_lock(project_mod.load(project_copy)),
        pytest.raises(BuildLocked, match="still running"),
    ):
        write(project_copy, path, wait=0.2, progress=heard.append)
    assert any("waiting up to 0.2 s" in line for line in heard)
    assert not (project_copy / "out" / "orders" / "cards").exists()


@pytest.mark.pdf
def test_two_orders_at_once_both_finish(project_copy: Path):
    """They used to fail with "Directory not empty; check … disk has room"."""
    path = card_order(project_copy)
    failures: list[BaseException] = []

    def one() -> None:
        try:
            write(project_copy, path)
        except BaseException as exc:  # reported below, in the test's own thread
            failures.append(exc)

    threads = [threading.Thread(target=one) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not failures, failures
    folder = project_copy / "out" / "orders"
    assert [p.name for p in folder.iterdir()] == ["cards"]
    manifest = json.loads((folder / "cards" / "manifest.json").read_text())
    for entry in manifest["files"]:
        assert (folder / "cards" / entry["path"]).stat().st_size == entry["bytes"]


KILL_MIDWAY = """
import os, sys
from leaflets.press import staging
staging.exchange = lambda first, second: False  # the two renames, as without renameat2
real = os.replace
def replace_then_die(source, target):
    real(source, target)
    if str(target).endswith(".old"):
        os._exit(9)  # killed between the two renames
os.replace = replace_then_die
import cli
cli.main(sys.argv[1:])
"""


@pytest.mark.pdf
def test_a_kill_between_the_renames_is_put_right_by_the_next_order(project_copy: Path):
    path = card_order(project_copy)
    first = write(project_copy, path)
    before = (first.path / "manifest.json").read_bytes()
    killed = subprocess.run(
        [sys.executable, "-c", KILL_MIDWAY, "--project", str(project_copy), "order", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert killed.returncode == 9, killed.stderr
    assert not first.path.exists()  # the moment the swap was killed in
    backup = staging.backup_path(first.path)
    assert (backup / "manifest.json").read_bytes() == before
    notes: list[str] = []
    again = write(project_copy, path, progress=notes.append)
    assert any("put back cards/" in note for note in notes), notes
    assert (again.path / "manifest.json").is_file()
    assert [p.name for p in again.path.parent.iterdir()] == ["cards"]


def test_recover_puts_a_set_aside_package_back_and_removes_stale_staging(tmp_path: Path):
    root = tmp_path / "orders"
    (root / ".cards.old").mkdir(parents=True)
    (root / ".cards.old" / "ticket.json").write_text("{}")
    (root / ".legacy.k3j4.old" / "legacy").mkdir(parents=True)  # how 0.1 set a package aside
    (root / ".cards.x8y9.tmp" / "proofs").mkdir(parents=True)
    (root / "kept").mkdir()
    (root / "kept" / "ticket.json").write_text("{}")
    (root / ".kept.old").mkdir()  # the swap finished: the package is there, the backup goes
    notes = staging.recover(root)
    assert sorted(p.name for p in root.iterdir()) == ["cards", "kept", "legacy"]
    assert (root / "cards" / "ticket.json").is_file()
    assert len(notes) == 3


def test_the_swap_exchanges_in_one_step_where_it_can(tmp_path: Path):
    old, new = tmp_path / "cards", tmp_path / ".cards.1.tmp"
    old.mkdir()
    (old / "which").write_text("old")
    new.mkdir()
    (new / "which").write_text("new")
    exchanged = staging.exchange(new, old)
    if exchanged:  # Linux: renameat2(RENAME_EXCHANGE), no moment without the package
        assert (old / "which").read_text() == "new" and (new / "which").read_text() == "old"
        staging.exchange(new, old)
    staging.swap_into_place(new, old)
    assert (old / "which").read_text() == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cards"]
    assert exchanged == sys.platform.startswith("linux")


# ---------------------------------------------------------------- 8. reproducibility


@pytest.mark.pdf
def test_with_source_date_epoch_an_order_is_byte_identical(
    project_copy: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    path = card_order(project_copy, edition="press")
    first = write(project_copy, path)
    files = {
        p.relative_to(first.path): p.read_bytes() for p in first.path.rglob("*") if p.is_file()
    }
    again = write(project_copy, path)
    for name, data in files.items():
        assert (again.path / name).read_bytes() == data, name
    ticket = json.loads((again.path / "ticket.json").read_text())
    assert ticket["created"] == "2023-11-14T22:13:20+00:00"
    with zipfile.ZipFile(again.zip_path) as archive:
        assert {info.date_time for info in archive.infolist()} == {(2023, 11, 14, 22, 13, 20)}
    sheet = (again.path / "01-card-en.pdf").read_bytes()
    assert b"D:20231114221320" in sheet or b"2023-11-14T22:13:20" in sheet


# ---------------------------------------------------------------- 9. cost


def test_ten_thousand_items_are_one_error_that_states_the_bound(project_copy: Path):
    path = project_copy / "orders" / "huge.toml"
    item = '\n[[items]]\nleaflet = "card"\nlanguage = "en"\nquantity = 1\n'
    path.write_text((DATA / "orders" / "good.toml").read_text(encoding="utf-8") + item * 9_999)
    with pytest.raises(orders.InvalidOrder) as caught:
        orders.load_order(project_mod.load(project_copy), path)
    assert len(caught.value.problems) == 1
    assert f"10,000 items; an order has at most {orders.MAX_ITEMS}" in str(caught.value)
