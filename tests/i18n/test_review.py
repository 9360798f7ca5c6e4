"""Review state (locales/<lang>/review.toml): approvals, what voids them, and what a language's
state decides: the draft note, `leaflets status`, print orders and the build's cache."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli import main
from leaflets.config import project as project_mod
from leaflets.errors import ReviewFileError
from leaflets.i18n import review
from leaflets.i18n.checks.message import is_translated
from leaflets.i18n.po.catalog import read_catalog
from leaflets.pipeline import build as pipeline
from leaflets.press import orders
from tests.conftest import REPO
from tests.pdftext import text

DAY = date(2026, 12, 1)


def approve_all(project, lang: str, reviewer: str = "Ana Rivera") -> int:
    catalog = read_catalog(project.po_path(lang))
    approvals = [
        review.approval_of(m, reviewer, DAY)
        for m in catalog
        if m.id and is_translated(m, catalog.num_plurals)
    ]
    review.update_approvals(project, lang, add=approvals)
    return len(approvals)


def edit_po(project, lang: str, old: str, new: str) -> None:
    """Change a translation as another tool would: in the file's text."""
    path = project.po_path(lang)
    text_before = path.read_text(encoding="utf-8")
    assert old in text_before
    path.write_text(text_before.replace(old, new, 1), encoding="utf-8")


def test_shipped_translations_are_unreviewed_drafts():
    project = project_mod.load(REPO)
    for lang in ("es", "ht"):
        assert not project.review_path(lang).exists(), "no approvals ship"
        state = review.language_review(project, lang)
        assert (state.approved, state.complete, state.override) == (0, False, None)
        assert not review.is_reviewed(project, lang)
    assert review.is_reviewed(project, "en")


def test_approving_every_translation_reviews_the_language_and_an_edit_voids_one(project_copy):
    project = project_mod.load(project_copy)
    count = approve_all(project, "es")
    state = review.language_review(project, "es")
    assert (state.approved, state.messages, state.complete) == (count, count, True)
    assert review.is_reviewed(project, "es") and not review.is_reviewed(project, "ht")

    edit_po(project, "es", 'msgstr "Llame al"', 'msgstr "Llame"')
    state = review.language_review(project, "es")
    assert (state.approved, state.changed, state.complete) == (count - 1, 1, False)
    catalog = read_catalog(project.po_path("es"))
    message = catalog.get("Call", context="phone label")
    approvals = review.load_approvals(project, "es")
    assert review.message_state(message, approvals, catalog.num_plurals)[0] == (
        review.MessageState.CHANGED
    )
    # Putting the approved words back restores the approval: the hash is of the text.
    edit_po(project, "es", 'msgstr "Llame"', 'msgstr "Llame al"')
    assert review.is_reviewed(project, "es")


def test_a_fuzzy_translation_is_not_approved(project_copy):
    project = project_mod.load(project_copy)
    approve_all(project, "es")
    edit_po(
        project,
        "es",
        'msgctxt "phone label"\nmsgid "Call"',
        '#, fuzzy\nmsgctxt "phone label"\nmsgid "Call"',
    )
    state = review.language_review(project, "es")
    assert state.untranslated == 1 and not state.complete


def test_approvals_survive_msgmerge_and_leaflets_update(project_copy):
    project = project_mod.load(project_copy)
    approve_all(project, "ht")
    review_file = project.review_path("ht")
    before = review_file.read_bytes()
    po = project.po_path("ht")
    # msgmerge rewraps the file its own way; the translations, and so the approvals, stay.
    subprocess.run(
        [
            "msgmerge",
            "--quiet",
            "--no-fuzzy-matching",
            "-o",
            str(po),
            str(po),
            str(project.pot_path),
        ],
        check=True,
    )
    assert review.is_reviewed(project, "ht")
    result = CliRunner().invoke(main, ["--project", str(project_copy), "update"])
    assert result.exit_code == 0, result.output
    assert review.is_reviewed(project, "ht")
    assert review_file.read_bytes() == before


def test_review_file_is_sorted_text_with_a_header(project_copy):
    project = project_mod.load(project_copy)
    approve_all(project, "es")
    written = project.review_path("es").read_text(encoding="utf-8")
    assert written.startswith("# Review state of this folder's catalog")
    assert '[[approved]]\nmsgctxt = "link"' in written or "[[approved]]\nmsgid" in written
    assert 'reviewer = "Ana Rivera"\ndate = 2026-12-01' in written
    again = review.review_bytes(review.load_approvals(project, "es").values())
    assert again == written.encode("utf-8")


@pytest.mark.parametrize(
    ("body", "line", "message"),
    [
        ("[[approved]]\nmsgid = 'Call'\n", 1, "approved[0].msgstr_sha256: missing"),
        (
            "[[approved]]\nmsgid = 'Call'\nmsgstr_sha256 = 'abc'\nreviewer = 'A'\ndate = 2026-01-01\n",
            3,
            "approved[0].msgstr_sha256: expected 64 lower-case hex digits",
        ),
        (
            f"[[approved]]\nmsgid = 'Call'\nmsgstr_sha256 = '{'0' * 64}'\nreviewer = 'A'\n"
            "date = 2026-01-01\nnote = 'x'\n",
            6,
            "approved[0].note: unknown key",
        ),
    ],
)
def test_a_bad_review_entry_is_a_warning_at_its_line(project_copy, body, line, message):
    """Issue 25: a bad entry costs that approval alone; the language still loads."""
    project = project_mod.load(project_copy)
    path = project.review_path("es")
    path.write_text(body, encoding="utf-8")
    assert review.load_approvals(project, "es") == {}
    finding = review.approval_problems(project, "es")[0]
    assert finding.line == line and message in finding.message
    result = CliRunner().invoke(main, ["--project", str(project_copy), "status"])
    assert result.exit_code == 0, result.output
    assert f"review.toml:{line}: warning: " in result.output and "Traceback" not in result.output


def test_a_review_file_that_is_not_toml_is_reported_at_its_line(project_copy):
    project = project_mod.load(project_copy)
    path = project.review_path("es")
    path.write_text("[[approved]]\nmsgid = = 'Call'\nreviewer = 'A'\n", encoding="utf-8")
    with pytest.raises(ReviewFileError) as caught:
        review.load_approvals(project, "es")
    assert caught.value.line == 2 and "invalid TOML" in str(caught.value)
    result = CliRunner().invoke(main, ["--project", str(project_copy), "status"])
    assert result.exit_code == 1
    assert "review.toml:2: " in result.output and "Traceback" not in result.output


def test_the_override_in_leaflets_toml_wins_and_status_says_so(project_copy):
    config = project_copy / "leaflets.toml"
    config.write_text(
        config.read_text().replace('locale = "es_US"', 'locale = "es_US"\nreviewed = true'),
        encoding="utf-8",
    )
    project = project_mod.load(project_copy)
    assert review.is_reviewed(project, "es") and not review.is_reviewed(project, "ht")
    result = CliRunner().invoke(main, ["--project", str(project_copy), "status"])
    assert result.exit_code == 0, result.output
    lines = {line.split()[0]: line for line in result.output.splitlines()[1:]}
    assert lines["es"].endswith("yes (leaflets.toml)")
    total = len([m for m in read_catalog(REPO / "locales" / "messages.pot") if m.id])
    assert lines["ht"].endswith(f"no (0/{total})")


@pytest.mark.pdf
def test_the_draft_note_and_the_cache_follow_the_review(project_copy):
    project = project_mod.load(project_copy)
    outputs = pipeline.plan(project, ["es"], ["card"])
    pdf = outputs[0].path
    pipeline.build(project, outputs, jobs=1)
    assert "Draft translation" in text(pdf)

    # One approval leaves the language a draft: nothing to rebuild.
    catalog = read_catalog(project.po_path("es"))
    first = next(m for m in catalog if m.id)
    review.update_approvals(project, "es", add=[review.approval_of(first, "Ana", DAY)])
    report = pipeline.build(project, outputs, jobs=1)
    assert not report.built and len(report.skipped) == 1

    # The last approval makes it reviewed: the card is rebuilt without the note, and says why.
    approve_all(project, "es")
    report = pipeline.build(project, outputs, jobs=1)
    assert [r.reason for r in report.built] == ["review es changed"]
    assert "Draft translation" not in text(pdf)


def test_an_order_needs_no_flag_once_the_language_is_reviewed(project_copy):
    shutil.copy(REPO / "tests/data/orders/bad/unreviewed-language.toml", project_copy / "o.toml")
    project = project_mod.load(project_copy)
    with pytest.raises(orders.InvalidOrder, match="is not reviewed"):
        orders.load_order(project, project_copy / "o.toml")
    approve_all(project, "ht")
    order = orders.load_order(project, project_copy / "o.toml")
    assert not order.unreviewed and all(item.reviewed for item in order.items)


def test_the_pseudo_locale_and_the_source_never_carry_the_note():
    project = project_mod.load(REPO)
    assert review.is_reviewed(project, "qps") and review.is_reviewed(project, "en")


def test_an_approval_names_who_and_when(tmp_path: Path):
    approval = review.Approval(None, "Call", "0" * 64, "Ana", DAY)
    data = review.review_bytes([approval]).decode()
    parsed = review.parse_approvals(data, tmp_path / "review.toml")
    assert parsed == {"Call": approval}
