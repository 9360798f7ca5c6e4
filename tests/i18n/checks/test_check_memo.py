"""check_message keeps its findings by everything it reads (checks/memo.py): a catalog read again
after one save is checked again at that message alone, a change around the catalog (another
language's catalog, which the wrong-language checks read) checks every message again, and the
findings are always those of a check run afresh."""

from __future__ import annotations

from pathlib import Path

import pytest

from leaflets.config import project as project_mod
from leaflets.i18n import review
from leaflets.i18n.checks import message as checks
from leaflets.i18n.commands.edit import Edit, save_translation
from leaflets.i18n.po.catalog import read_catalog
from leaflets.i18n.po.messages import has_text
from tests.conftest import copy_project


@pytest.fixture
def project(tmp_path: Path):
    return project_mod.load(copy_project(tmp_path / "project"))


def _checked(project, lang: str = "es") -> tuple[review.LanguageReview, int]:
    """The language's review, read from the file as it is now, and how many messages the
    checks ran on for it (the others were known)."""
    before = checks._memo.misses
    found = review.language_review(project, lang, read_catalog(project.po_path(lang)))
    return found, checks._memo.misses - before


def _as_if_afresh(project, lang: str = "es") -> None:
    """Every message's findings equal those of the checks run without the memo."""
    path = project.po_path(lang)
    catalog = read_catalog(path)
    for message in (m for m in catalog if m.id):
        for language in (None, lang):
            kept = checks.check_message(message, catalog.num_plurals, path, language)
            afresh = checks._check_message(message, catalog.num_plurals, path, language)
            assert kept == afresh, message.id


def test_a_catalog_read_again_is_checked_again_where_it_changed(project):
    first, _ = _checked(project)
    again, ran = _checked(project)  # new Message objects, the same entries: nothing to run
    assert (again, ran) == (first, 0)
    # A short one, so that no line of the file moves (every finding carries its line). The
    # save checks it, and the catalog read again after it checks nothing more.
    before = checks._memo.misses
    save_translation(project, "es", Edit(None, "Need help?", ("¿Necesita ayuda ya?",)))
    after, ran = _checked(project)
    assert (checks._memo.misses - before, ran) == (1, 0)
    checks._memo.clear()
    assert _checked(project)[0] == after  # as a full check finds it
    _as_if_afresh(project)


def test_a_change_around_the_catalog_checks_every_message_again(project):
    first, _ = _checked(project)
    save_translation(project, "ht", Edit(None, "Need help?", ("Èske ou bezwen èd?",)))
    again, ran = _checked(project)
    catalog = read_catalog(project.po_path("es"))
    assert ran == sum(
        1 for m in catalog if m.id and not m.fuzzy and has_text(m)
    )  # every one is_translated checks
    assert again == first
    _as_if_afresh(project)


def test_a_changed_flag_or_comment_is_checked_again(project):
    path = project.po_path("es")
    catalog = read_catalog(path)
    message = catalog.get("Need help?")
    plain = checks.check_message(message, catalog.num_plurals, path)
    message.user_comments.append("max-length:3")  # not a limit: those are in `#.` or flags
    assert checks.check_message(message, catalog.num_plurals, path) == plain
    message.auto_comments.insert(0, "max-length:3")  # before its own max-length:30
    limited = checks.check_message(message, catalog.num_plurals, path)
    assert [f.code for f in limited] == [*(f.code for f in plain), "max-length"]
    message.flags.add("fuzzy")
    assert [f.code for f in checks.check_message(message, catalog.num_plurals, path)] == ["fuzzy"]
    _as_if_afresh(project)
