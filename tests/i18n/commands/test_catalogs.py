"""extract, update, init, compile and status, on real .po files in temporary copies of the project."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from io import BytesIO
from pathlib import Path

import pytest
from babel.messages.pofile import read_po, write_po
from click.testing import CliRunner

from cli import main
from leaflets.config import project as project_mod
from leaflets.config.model import Project
from leaflets.errors import CatalogError
from leaflets.i18n import review, translations
from leaflets.i18n.commands import init as languages
from leaflets.i18n.commands import status
from leaflets.i18n.commands import update as workflow
from leaflets.i18n.po.catalog import read_catalog, translated_languages
from leaflets.pipeline import build as build_mod
from tests.conftest import REPO
from tests.pdftext import text

WEEKDAYS_ACF = ("Lendi", "Madi", "Mèkwédi", "Jédi", "Vandwédi", "Sanmdi", "Dimanch")


def run(root: Path, *args: str):
    result = CliRunner().invoke(main, ["--project", str(root), *args], catch_exceptions=False)
    return result


def replace_in(path: Path, old: str, new: str) -> None:
    content = path.read_text(encoding="utf-8")
    assert old in content, f"{old!r} not in {path}"
    path.write_text(content.replace(old, new), encoding="utf-8")


def without_date(po: str) -> str:
    return "\n".join(line for line in po.splitlines() if "POT-Creation-Date" not in line)


def load(root: Path) -> Project:
    return project_mod.load(root)


def edit_catalog(path: Path, edit) -> None:
    """Change a catalog the way a translation tool would: read it, change entries, save it."""
    with path.open("rb") as fileobj:
        catalog = read_po(fileobj)
    edit(catalog)
    buffer = BytesIO()
    write_po(buffer, catalog, width=76)
    path.write_bytes(buffer.getvalue())


# ---------------------------------------------------------------- extract


def test_extract_matches_pybabel_and_keeps_an_unchanged_template(project_copy: Path) -> None:
    project = load(project_copy)
    before = project.pot_path.read_bytes()
    result = run(project_copy, "extract")
    assert result.exit_code == 0, result.output
    assert project.pot_path.read_bytes() == before, "extract rewrote an unchanged template"

    pybabel = Path(sys.executable).with_name("pybabel")
    out = project_copy / "pybabel.pot"
    subprocess.run(
        [
            str(pybabel),
            "-q",
            "extract",
            "-F",
            "babel.cfg",
            "-c",
            "Translators:",
            "-o",
            str(out),
            ".",
        ],
        cwd=project_copy,
        check=True,
    )

    def entries(path: Path) -> dict:
        # pybabel wraps a long #. comment over several lines (gettext does not): compare words.
        with path.open("rb") as fileobj:
            return {
                (m.context, m.id if isinstance(m.id, str) else tuple(m.id)): " ".join(
                    m.auto_comments
                )
                for m in read_po(fileobj)
                if m.id
            }

    ours, theirs = entries(project.pot_path), entries(out)
    assert ours == theirs
    # Translator comments arrive as #. comments, and ambiguous strings carry a context.
    assert ours[("phone label", "Call")].startswith("label before the hotline's phone number;")
    assert "(max-length:25)" in ours[("phone label", "Call")]
    assert ("weekday", "Monday") in ours


def test_shipped_template_and_catalogs_match_the_templates() -> None:
    """After a template edit, run `leaflets update`: it refreshes messages.pot and the catalogs."""
    project = load(REPO)
    template = workflow.extract(project)
    assert workflow.template_bytes(template) == project.pot_path.read_bytes(), (
        "locales/messages.pot is out of date: run `leaflets update`"
    )
    for lang in translated_languages(project):
        result = workflow.update_catalog(project, lang, template, dry_run=True)
        assert not result.changed, f"{lang}: catalog out of date: run `leaflets update`"


# ---------------------------------------------------------------- update


def test_update_leaves_complete_catalogs_byte_for_byte_unchanged(project_copy: Path) -> None:
    project = load(project_copy)
    # A catalog saved by another tool: GNU gettext's line wrapping, and a header field of its own.
    ht = project.po_path("ht")
    subprocess.run(["msgcat", "--width=79", "-o", str(ht), str(ht)], check=True)
    replace_in(
        ht,
        '"Generated-By: Babel 2.19.0\\n"\n',
        '"Generated-By: Babel 2.19.0\\n"\n"X-Generator: Poedit 3.4\\n"\n',
    )
    before = {lang: project.po_path(lang).read_bytes() for lang in ("es", "ht")}
    result = run(project_copy, "update")
    assert result.exit_code == 0, result.output
    assert result.output.count("up to date") == 2
    for lang, data in before.items():
        assert project.po_path(lang).read_bytes() == data, f"{lang} changed without a source change"


def test_update_round_trip_never_loses_work(project_copy: Path) -> None:
    project = load(project_copy)
    es = project.po_path("es")
    original = es.read_bytes()
    replace_in(
        es,
        '"Generated-By: Babel 2.19.0\\n"\n',
        '"Generated-By: Babel 2.19.0\\n"\n"X-Generator: Poedit 3.4\\n"\n',
    )
    card = project_copy / "templates" / "card.html.j2"
    content = project_copy / "templates" / "partials" / "content.html.j2"

    # 1. A changed string, a removed one and a new one.
    replace_in(card, "Free. Confidential. 24 hours.", "Free and confidential. 24 hours.")
    replace_in(
        content,
        "{% trans %}Combating sex tourism{% endtrans %}",
        "{% trans %}Stopping sex tourism{% endtrans %}",
    )
    replace_in(
        content,
        "<li>{% trans %}Rescuing victims from slavery{% endtrans %}</li>",
        "<li>{% trans %}A new line{% endtrans %}</li>",
    )
    result = run(project_copy, "update")
    assert result.exit_code == 0, result.output
    po = es.read_text(encoding="utf-8")
    assert (
        '#, fuzzy\n#| msgid "Free. Confidential. 24 hours."\n'
        'msgid "Free and confidential. 24 hours."\nmsgstr "Gratis. Confidencial. 24 horas."'
    ) in po
    assert '#| msgid "Combating sex tourism"\nmsgid "Stopping sex tourism"' in po
    assert 'msgid "A new line"\nmsgstr ""' in po
    assert '#~ msgid "Rescuing victims from slavery"\n#~ msgstr "Rescate de víctimas de la' in po
    assert '"X-Generator: Poedit 3.4\\n"' in po, "the translator's header field was dropped"
    assert subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(es)]).returncode == 0

    # 2. An update with no source change leaves the fuzzy entries and their #| alone.
    after_first = es.read_bytes()
    assert run(project_copy, "update").exit_code == 0
    assert es.read_bytes() == after_first

    # 3. An unrelated source change keeps the #| of entries fuzzy since the first update.
    replace_in(card, "Need help?", "Need some help?")
    assert run(project_copy, "update").exit_code == 0
    po = es.read_text(encoding="utf-8")
    assert (
        '#| msgid "Free. Confidential. 24 hours."\nmsgid "Free and confidential. 24 hours."' in po
    )
    assert '#| msgid "Need help?"\nmsgid "Need some help?"' in po

    # 4. Undo every template change: every translation comes back, not fuzzy, as it was.
    replace_in(card, "Need some help?", "Need help?")
    replace_in(card, "Free and confidential. 24 hours.", "Free. Confidential. 24 hours.")
    replace_in(
        content,
        "{% trans %}Stopping sex tourism{% endtrans %}",
        "{% trans %}Combating sex tourism{% endtrans %}",
    )
    replace_in(
        content,
        "<li>{% trans %}A new line{% endtrans %}</li>",
        "<li>{% trans %}Rescuing victims from slavery{% endtrans %}</li>",
    )
    result = run(project_copy, "update")
    assert result.exit_code == 0, result.output
    assert "restored from #~" in result.output
    restored = es.read_text(encoding="utf-8").replace('"X-Generator: Poedit 3.4\\n"\n', "")
    original_text = original.decode("utf-8")
    # Only the template's creation date differs from the catalog we started with.
    assert without_date(restored) == without_date(original_text)


def test_update_keeps_a_long_previous_msgid_whole(project_copy: Path) -> None:
    # Babel re-wraps a multi-line previous msgid like prose, which msgfmt then rejects.
    project = load(project_copy)
    es = project.po_path("es")
    old = "Human trafficking often crosses borders, so partnerships between countries are critical"
    replace_in(
        project_copy / "templates" / "partials" / "content.html.j2",
        old,
        old.replace("crosses borders", "crosses national borders"),
    )
    assert run(project_copy, "update").exit_code == 0
    assert subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(es)]).returncode == 0
    catalog = read_catalog(es)
    (changed,) = [m for m in catalog if m.id and "crosses national borders" in m.id]
    assert changed.fuzzy
    assert changed.previous_id[0].startswith(old)
    assert changed.previous_id[0].endswith("in several important ways:")


def test_update_reports_a_missing_catalog(project_copy: Path) -> None:
    load(project_copy).po_path("ht").unlink()
    result = run(project_copy, "update")
    assert result.exit_code == 0
    assert "ht: no catalog; run `leaflets init ht`" in result.output


# ---------------------------------------------------------------- status


PLURAL_TEMPLATE = """{% trans count=3 %}{{ count }} office{% pluralize %}{{ count }} offices{% endtrans %}
{% trans count=2 %}{{ count }} hotline{% pluralize %}{{ count }} hotlines{% endtrans %}
"""


def test_status_counts_honestly(project_copy: Path) -> None:
    (project_copy / "templates" / "partials" / "counts.html.j2").write_text(PLURAL_TEMPLATE)
    content = project_copy / "templates" / "partials" / "content.html.j2"
    replace_in(content, "<li>{% trans %}Combating sex tourism{% endtrans %}</li>", "")
    assert run(project_copy, "update").exit_code == 0
    project = load(project_copy)
    es = project.po_path("es")

    def edit(catalog):
        # Translating an entry clears the fuzzy mark that update may have guessed for it.
        office, hotline = catalog["%(count)s office"], catalog["%(count)s hotline"]
        office.string = ("%(count)s oficina", "")  # a form missing
        hotline.string = ("%(count)s línea", "%(count)s de líneas", "%(count)s líneas")
        for message in (office, hotline):
            message.flags.discard("fuzzy")
        catalog.get("Need help?").flags.add("fuzzy")
        # A dropped placeholder: the build prints the English instead, so it is not translated.
        catalog.get("In an emergency, call %(number)s.").string = "En una emergencia, llame."

    edit_catalog(es, edit)
    result = run(project_copy, "status", "--json", "--lang", "es")
    assert result.exit_code == 0, result.output
    [figures] = json.loads(result.output)
    total = len([m for m in workflow.extract(project) if m.id])
    assert figures["total"] == total
    assert figures["fuzzy"] == 1
    # Rejected, not untranslated: the plural entry with an empty form, the dropped placeholder.
    assert figures["rejected"] == 2
    assert figures["untranslated"] == 0
    assert figures["translated"] == total - 3
    assert figures["obsolete"] == 1  # "Combating sex tourism", kept as #~
    assert figures["percent"] == (total - 3) * 1000 // total / 10
    assert figures["reviewed"] is False

    # Babel's statistics (pybabel compile --statistics) count all three as translated.
    with es.open("rb") as fileobj:
        babel_translated = sum(1 for m in list(read_po(fileobj))[1:] if m.string)
    assert babel_translated == figures["translated"] + 3

    low = run(project_copy, "status", "--min-percent", "100")
    assert low.exit_code == 1
    assert "below 100% translated: es" in low.output
    table = run(project_copy, "status")
    assert table.exit_code == 0
    row = next(line for line in table.output.splitlines() if line.startswith("es "))
    assert row.split()[1:6] == [str(total - 3), "1", "0", "2", "1"]
    # Each one is named, with its catalog line and why it prints in English.
    lines = table.output.splitlines()
    head = lines.index("es: 3 strings print in English:")
    named = "\n".join(lines[head + 1 : head + 4])
    assert "  'Need help?' at locales/es/LC_MESSAGES/messages.po:" in named
    assert "fuzzy" in named and "rejected by `leaflets check`: placeholder %(number)s" in named


def test_shipped_catalogs_are_complete() -> None:
    root = REPO
    result = run(root, "status", "--min-percent", "100", "--json")
    assert result.exit_code == 0, result.output
    figures = {f["language"]: f for f in json.loads(result.output)}
    assert set(figures) == {"es", "ht"}
    assert all(f["fuzzy"] == 0 and f["untranslated"] == 0 for f in figures.values())


# ---------------------------------------------------------------- init


@pytest.mark.pdf
def test_init_acf_then_build(project_copy: Path) -> None:
    config = project_copy / "leaflets.toml"
    text_before = config.read_text()
    result = run(project_copy, "init", "acf")
    assert result.exit_code == 0, result.output
    assert "added [languages.acf]" in result.output

    # The table is added as text: the rest of the user's file, comments included, is untouched.
    text_after = config.read_text()
    table = languages.language_table("acf", "Kwéyòl", "fr", "nplurals=2; plural=(n > 1);")
    assert text_after.replace(table + "\n", "", 1) == text_before
    project = load(project_copy)
    acf = project.languages["acf"]
    assert (acf.locale, acf.plural) == ("fr", "nplurals=2; plural=(n > 1);")
    # No override: a new language is a draft until its translations are approved.
    assert acf.reviewed is None and not review.is_reviewed(project, "acf")
    assert text_after.index("[languages.acf]") < text_after.index("[leaflets.trifold]")

    po = project.po_path("acf")
    with po.open("rb") as fileobj:
        catalog = read_po(fileobj)
    assert catalog.locale_identifier == "acf"
    assert catalog.plural_forms == "nplurals=2; plural=(n > 1);"
    assert len([m for m in catalog if m.id]) == len([m for m in workflow.extract(project) if m.id])

    def translate(catalog):
        catalog.get("Need help?").string = "Ou ni bizwen èd?"
        catalog.get("Call", context="phone label").string = "Kriyé"
        for english, kweyol in zip(
            ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
            WEEKDAYS_ACF,
            strict=True,
        ):
            catalog.get(english, context="weekday").string = kweyol

    edit_catalog(po, translate)
    assert run(project_copy, "status", "--lang", "acf").exit_code == 0
    figures = status.status(project, ["acf"])[0]
    assert figures.translated == 9

    # The weekday names come from the catalog, the times from fr (CLDR): render the flyer's HTML.
    from leaflets.layout.render import Renderer

    html = (
        Renderer(project)
        .html(project.leaflets["flyer"], acf, translations.load_translations(project, "acf"))
        .html
    )
    assert "Lendi–Vandwédi" in html
    assert "09:00" in html and "AM" not in html

    # One real build: the wallet card, in Kwéyòl where translated and English elsewhere.
    outputs = build_mod.plan(project, ["acf"], ["card"])
    report = build_mod.build(project, outputs)
    printed = text(outputs[0].path)
    assert "Ou ni bizwen èd?" in printed
    assert "Kriyé" in printed
    assert "Free. Confidential. 24 hours." in printed  # untranslated: falls back to English
    assert report.fallbacks_by_language["acf"] > 0


def test_init_refuses_what_it_cannot_do(project_copy: Path) -> None:
    config = project_copy / "leaflets.toml"
    before = config.read_bytes()
    unknown = run(project_copy, "init", "xyz")
    assert unknown.exit_code == 1
    assert "Babel has no formatting data for 'xyz'; pass --locale" in unknown.output
    assert run(project_copy, "init", "es").exit_code == 1  # the catalog exists
    bad_plural = run(project_copy, "init", "fr", "--plural", "nplurals=2; plural=n+;")
    assert bad_plural.exit_code == 1
    assert "--plural: not a C plural expression" in bad_plural.output
    assert config.read_bytes() == before


def test_init_puts_back_a_config_it_cannot_extend(project_copy: Path) -> None:
    # Languages as one inline table: a [languages.fr] table cannot be added to it.
    config = project_copy / "leaflets.toml"
    project = load(project_copy)
    text_before = config.read_text()
    start = text_before.index("[languages.en]")
    end = text_before.index("[leaflets.trifold]")
    inline = (
        'languages = { en = { name = "English", source = true, reviewed = true }, '
        'es = { name = "Español" }, ht = { name = "Kreyòl ayisyen", locale = "fr" } }\n\n'
    )
    top = text_before.index("[organisation]")
    text_inline = text_before[:top] + inline + text_before[top:start] + text_before[end:]
    config.write_text(text_inline)
    project = load(project_copy)
    with pytest.raises(CatalogError, match=r"add this table by hand"):
        languages.init_language(project, "fr")
    assert config.read_text() == text_inline
    assert not project.po_path("fr").exists()


# ---------------------------------------------------------------- compile, fuzzy, --strict


@pytest.mark.pdf
def test_fuzzy_strings_are_never_printed(project_copy: Path) -> None:
    project = load(project_copy)
    es = project.po_path("es")

    def fuzzy(catalog):
        message = catalog.get("Need help?")
        message.string = "¿TRADUCCIÓN DUDOSA?"
        message.flags.add("fuzzy")

    edit_catalog(es, fuzzy)
    result = run(project_copy, "build", "--lang", "es", "--leaflet", "card", "--strict")
    assert result.exit_code == 1
    assert "warning: es: 1 string fell back to English" in result.output
    assert "--strict" in result.output
    printed = text(project.output_path("es", "card"))
    assert "Need help?" in printed
    assert "DUDOSA" not in printed
    assert "Gratis. Confidencial. 24 horas." in printed  # the rest is still Spanish
    # build compiled the edited catalog itself, without the fuzzy entry.
    mo = project.mo_path("es")
    assert mo.stat().st_mtime_ns >= es.stat().st_mtime_ns
    assert b"DUDOSA" not in mo.read_bytes()


def test_compile_skips_a_missing_catalog(project_copy: Path) -> None:
    project = load(project_copy)
    shutil.rmtree(project.locales_dir / "ht")
    result = run(project_copy, "compile")
    assert result.exit_code == 0, result.output
    assert "ht: no catalog" in result.output
    assert project.mo_path("es").exists()
