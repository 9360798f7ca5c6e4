"""Saving one translation (the studio's writes): the checks of `leaflets check`, nothing written
on an error, the rest of the file kept, and no edit made meanwhile in another tool lost."""

from __future__ import annotations

import difflib

import pytest

from leaflets.config import project as project_mod
from leaflets.errors import CatalogError
from leaflets.i18n.commands import edit as edit_mod
from leaflets.i18n.commands.edit import (
    Edit,
    EditConflict,
    EditRefused,
    MessageNotFound,
    save_translation,
)
from leaflets.i18n.po.catalog import read_catalog

CARD_CALL = ("link", "Call for help, %(phone)s")


def changed_lines(before: str, after: str) -> list[str]:
    return [
        line
        for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]


@pytest.fixture
def project(project_copy):
    return project_mod.load(project_copy)


def test_a_save_changes_only_that_entry(project):
    path = project.po_path("es")
    before = path.read_text(encoding="utf-8")
    result = save_translation(
        project, "es", Edit(*CARD_CALL, ("Llame para pedir ayuda: %(phone)s",))
    )
    assert result.changed and result.findings == []
    after = path.read_text(encoding="utf-8")
    assert changed_lines(before, after) == [
        '-msgstr "Llame para pedir ayuda, %(phone)s"',
        '+msgstr "Llame para pedir ayuda: %(phone)s"',
    ]
    message = read_catalog(path).get(CARD_CALL[1], context=CARD_CALL[0])
    assert message.string == "Llame para pedir ayuda: %(phone)s"
    assert result.line == message.lineno


def test_a_warning_is_returned_and_the_save_goes_through(project):
    result = save_translation(project, "es", Edit(None, "Need help?", ("¿Necesita ayuda? ",)))
    assert result.changed
    assert [f.code for f in result.findings] == ["whitespace"]
    assert read_catalog(project.po_path("es")).get("Need help?").string == "¿Necesita ayuda? "


@pytest.mark.parametrize(
    ("strings", "code"),
    [
        (("Llame para pedir ayuda",), "placeholder"),
        (("Llame al 340-555-0100, %(phone)s",), "contact"),
        (("<b>Llame</b> %(phone)s",), "markup"),
        (("Llame\u202e %(phone)s",), "character"),
    ],
)
def test_an_error_is_refused_and_nothing_is_written(project, strings, code):
    path = project.po_path("es")
    before = path.read_bytes()
    with pytest.raises(EditRefused) as caught:
        save_translation(project, "es", Edit(*CARD_CALL, strings))
    assert code in {f.code for f in caught.value.findings}
    assert caught.value.line is not None
    assert path.read_bytes() == before


def test_an_edit_made_meanwhile_in_another_tool_is_kept(project, monkeypatch):
    """Poedit saves another entry between the studio's read and its write: the studio notices,
    reads again and applies its edit to the new text."""
    path = project.po_path("es")
    parse = edit_mod.parse_catalog
    calls = []

    def parse_then_poedit_saves(data, where):
        catalog = parse(data, where)
        if not calls:
            text = path.read_text(encoding="utf-8")
            path.write_text(text.replace('msgstr "Llame al"', 'msgstr "Llame"'), encoding="utf-8")
        calls.append(1)
        return catalog

    monkeypatch.setattr(edit_mod, "parse_catalog", parse_then_poedit_saves)
    save_translation(project, "es", Edit(None, "Need help?", ("¿Le hace falta ayuda?",)))
    catalog = read_catalog(path)
    assert catalog.get("Call", context="phone label").string == "Llame"
    assert catalog.get("Need help?").string == "¿Le hace falta ayuda?"
    assert len(calls) >= 2


def test_the_same_entry_changed_elsewhere_is_a_conflict(project):
    path = project.po_path("es")
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('msgstr "Llame al"', 'msgstr "Llame"'), encoding="utf-8")
    before = path.read_bytes()
    with pytest.raises(EditConflict) as caught:
        save_translation(
            project, "es", Edit("phone label", "Call", ("Marque",), previous=("Llame al",))
        )
    assert caught.value.current == ("Llame",)
    assert "changed in another program" in caught.value.message
    assert path.read_bytes() == before


def test_saving_a_fuzzy_entry_clears_the_mark_and_the_old_source(project):
    path = project.po_path("es")
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace(
            'msgctxt "phone label"\nmsgid "Call"',
            '#, fuzzy\n#| msgid "Phone"\nmsgctxt "phone label"\nmsgid "Call"',
        ),
        encoding="utf-8",
    )
    save_translation(project, "es", Edit("phone label", "Call", ("Llame al",)))
    message = read_catalog(path).get("Call", context="phone label")
    assert not message.fuzzy and not message.previous_id
    assert path.read_text(encoding="utf-8") == text


def test_unknown_messages_and_wrong_shapes_are_refused(project):
    with pytest.raises(MessageNotFound, match="leaflets update"):
        save_translation(project, "es", Edit(None, "No such text", ("x",)))
    with pytest.raises(CatalogError, match="takes one string, got 2"):
        save_translation(project, "es", Edit(None, "Need help?", ("a", "b")))
    with pytest.raises(CatalogError, match="source language"):
        save_translation(project, "en", Edit(None, "Need help?", ("a",)))


def test_a_broken_catalog_is_not_overwritten(project):
    path = project.po_path("es")
    path.write_text(path.read_text(encoding="utf-8") + '\nmsgid "x"\n', encoding="utf-8")
    before = path.read_bytes()
    with pytest.raises(CatalogError, match="syntax error") as caught:
        save_translation(project, "es", Edit(None, "Need help?", ("¿Ayuda?",)))
    assert caught.value.line is not None
    assert path.read_bytes() == before
