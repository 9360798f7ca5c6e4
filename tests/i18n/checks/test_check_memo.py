"""check_message keeps its findings by everything it reads (checks/memo.py): a catalog read again
after one save is checked again at that message alone, a change around the catalog (another
language's catalog, which the wrong-language checks read) checks every message again, and the
findings are always those of a check run afresh."""

from __future__ import annotations

from pathlib import Path

import pytest

from leaflets.config import project as project_mod
from leaflets.i18n import review, translations
from leaflets.i18n.checks import message as checks
from leaflets.i18n.commands.edit import Edit, save_translation
from leaflets.i18n.po.catalog import read_catalog
from leaflets.i18n.po.compiled import compiled_from, recorded, split, with_trailer
from leaflets.i18n.po.messages import has_text
from leaflets.i18n.translations import compile_catalog
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


def _compile_anew(project, lang: str = "es") -> int:
    """Compile the catalog as a new process does, the memo empty, and say how many messages the
    checks ran on (the .mo's record of the last compile knew the others)."""
    checks._memo.clear()
    before = checks._memo.misses
    compile_catalog(project, lang, force=True)
    return checks._memo.misses - before


def test_a_compile_in_another_process_checks_only_what_changed(project, monkeypatch):
    everything = _compile_anew(project)
    assert everything > 1
    po = project.po_path("es")
    po.write_text(po.read_text().replace("¿Necesita ayuda?", "¿Necesita apoyo?"))
    assert _compile_anew(project) == 1
    recompiled = project.mo_path("es").read_bytes()
    # The same .mo as a compile that knows nothing of the last one writes, record and all.
    monkeypatch.setattr(translations, "recall_checks", lambda path, recorded: None)
    assert _compile_anew(project) == everything
    assert project.mo_path("es").read_bytes() == recompiled
    _as_if_afresh(project)


def test_a_change_around_the_catalog_checks_every_message_again_in_another_process(project):
    everything = _compile_anew(project)
    glossary = project.locales_dir / "es" / "glossary.toml"
    glossary.write_text(glossary.read_text() + 'leaflet = "folleto"\n', encoding="utf-8")
    assert _compile_anew(project) == everything
    _as_if_afresh(project)


@pytest.mark.parametrize(
    "spoil",
    [
        lambda found: None,
        lambda found: "text",
        lambda found: dict.fromkeys(found, "findings"),
        lambda found: {k: [[{"path": 1}], v[1]] for k, v in found.items()},
        lambda found: {k: [[*v[0], {**FINDING, "line": "1"}], v[1]] for k, v in found.items()},
        lambda found: {k: [v[0], [["a", "list"]]] for k, v in found.items()},
        lambda found: {k: [v[0], [*v[1], "a verdict never given"]] for k, v in found.items()},
    ],
)
def test_a_malformed_record_of_the_checks_is_checked_afresh(project, spoil):
    everything = _compile_anew(project)
    mo = project.mo_path("es")
    record = recorded(project, "es")
    record["checked"] = spoil(record["checked"])
    body, _ = split(mo.read_bytes())
    mo.write_bytes(with_trailer(body, compiled_from(project, "es"), record))
    assert _compile_anew(project) == everything
    _as_if_afresh(project)


FINDING = {"path": "x.po", "message": "m", "severity": "error", "line": 1, "page": None, "code": ""}
