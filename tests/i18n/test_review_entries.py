"""Issue 25, point 1 (review.toml): a bad approval costs that approval alone, named at its
line, never the whole language; and nothing leaflets writes there is an entry its reader
would refuse (a reviewer name of spaces, a direction override, a control character)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

import cli
from leaflets.config import project as project_mod
from leaflets.errors import ReviewFileError
from leaflets.i18n import review
from leaflets.i18n.po.catalog import read_catalog

GOOD = """
[[approved]]
msgid = "{msgid}"
msgstr_sha256 = "{sha}"
reviewer = "Ana Rivera"
date = 2026-11-02
"""
BAD_ENTRIES = {
    "spaces": ('reviewer = "   "', "reviewer"),
    "bidi override": ('reviewer = "Ana \\u202eareviR"', "U+202E"),
    "control character": ('reviewer = "Ana\\u0007"', "U+0007"),
    "bad hash": ('msgstr_sha256 = "abc"', "SHA-256"),
}


def approved_message(root: Path) -> tuple[str, str]:
    catalog = read_catalog(root / "locales" / "es" / "LC_MESSAGES" / "messages.po")
    message = next(m for m in catalog if m.id == "Need help?")
    return message.id, review.translation_sha256(message)


def write_review(root: Path, bad: str) -> Path:
    """review.toml with one good approval, then one bad entry (returns its path)."""
    msgid, sha = approved_message(root)
    good = GOOD.format(msgid=msgid, sha=sha)
    broken = GOOD.format(msgid="Call", sha="0" * 64)
    field = bad.split(" = ")[0]
    broken = "\n".join(
        bad if line.startswith(field + " =") else line for line in broken.split("\n")
    )
    path = root / "locales" / "es" / "review.toml"
    path.write_text(review.HEADER + good + broken, encoding="utf-8")
    return path


def bad_line(path: Path, bad: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, 1) if line == bad)


@pytest.mark.parametrize("case", sorted(BAD_ENTRIES))
def test_a_bad_entry_costs_that_entry_alone(project_copy: Path, case: str):
    bad, words = BAD_ENTRIES[case]
    path = write_review(project_copy, bad)
    line = bad_line(path, bad)
    result = CliRunner().invoke(
        cli.main, ["--project", str(project_copy), "status", "--lang", "es"]
    )
    assert result.exit_code == 0, result.output
    (warning,) = [row for row in result.output.splitlines() if "review.toml" in row]
    assert f"review.toml:{line}: " in warning and words in warning and "warning" in warning
    project = project_mod.load(project_copy)
    approvals = review.load_approvals(project, "es")
    assert list(approvals) == ["Need help?"]  # the good approval still counts
    findings = review.approval_problems(project, "es")
    assert [f.line for f in findings] == [line]


@pytest.mark.pdf
def test_a_bad_entry_does_not_stop_the_build(project_copy: Path):
    write_review(project_copy, BAD_ENTRIES["spaces"][0])
    args = ["--project", str(project_copy), "build", "--lang", "es", "--leaflet", "card"]
    result = CliRunner().invoke(cli.main, args)
    assert result.exit_code == 0, result.output


def test_check_warns_at_the_bad_entry(project_copy: Path):
    bad = BAD_ENTRIES["bidi override"][0]
    path = write_review(project_copy, bad)
    result = CliRunner().invoke(cli.main, ["--project", str(project_copy), "check", "--lang", "es"])
    assert f"review.toml:{bad_line(path, bad)}: warning:" in result.output, result.output


@pytest.mark.parametrize(
    "name", ["   ", "\t", "Ana \u202eareviR", "Ana\u0007", "Ana\x1b[2J", "\u2066Ana", "a" * 101]
)
def test_a_name_the_reader_refuses_is_never_written(project_copy: Path, name: str):
    project = project_mod.load(project_copy)
    msgid, sha = approved_message(project_copy)
    approval = review.Approval(None, msgid, sha, name, date(2026, 11, 2))
    path = project.review_path("es")
    with pytest.raises(ReviewFileError) as raised:
        review.update_approvals(project, "es", add=[approval])
    assert "not written" in str(raised.value) and "reviewer" in str(raised.value)
    assert not path.exists()
    # A good approval is written, and one with a bad name leaves the file as it was.
    good = review.Approval(None, msgid, sha, "Ana Rivera", date(2026, 11, 2))
    review.update_approvals(project, "es", add=[good])
    before = path.read_bytes()
    with pytest.raises(ReviewFileError):
        review.update_approvals(project, "es", add=[approval])
    assert path.read_bytes() == before


def test_a_rewrite_keeps_the_entries_that_do_not_count(project_copy: Path):
    """Nothing lost: the studio's next write keeps a bad entry as it was written, for a person
    to fix; approving that message again settles it."""
    bad = BAD_ENTRIES["bidi override"][0]
    path = write_review(project_copy, bad)
    project = project_mod.load(project_copy)
    catalog = read_catalog(project.po_path("es"))
    other = next(m for m in catalog if m.id and m.id not in ("Need help?", "Call"))
    review.update_approvals(
        project, "es", add=[review.approval_of(other, "Ana Rivera", date(2026, 11, 3))]
    )
    assert "Ana \u202eareviR" in path.read_text(encoding="utf-8")  # the bad entry, as it was
    assert set(review.load_approvals(project, "es")) == {"Need help?", other.id}
    assert len(review.approval_problems(project, "es")) == 1
    # A new approval of the message the bad entry names settles it.
    fixed = review.Approval(None, "Call", "0" * 64, "Ana Rivera", date(2026, 11, 4))
    review.update_approvals(project, "es", add=[fixed])
    assert "\u202e" not in path.read_text(encoding="utf-8")
    assert review.approval_problems(project, "es") == []
