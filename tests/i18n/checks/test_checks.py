"""`leaflets check`, the catalog half: each mistake a translator can make, found at file:line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from babel.messages.catalog import Message, TranslationError
from babel.messages.checkers import python_format
from click.testing import CliRunner

from cli import main
from leaflets.config import project as project_mod
from leaflets.findings import Severity
from leaflets.i18n.checks import catalog as catalog_checks
from leaflets.i18n.checks import message as checks
from leaflets.i18n.checks import project as project_checks
from leaflets.i18n.commands.update import extract
from tests.conftest import REPO

HEADER = """# A catalog written by hand for a test.
msgid ""
msgstr ""
"Language: {lang}\\n"
"Plural-Forms: {plural}\\n"
"Content-Type: text/plain; charset=UTF-8\\n"

"""


# CLDR's rules, so that only the tests about Plural-Forms see a Plural-Forms finding.
PLURALS = {
    "es": "nplurals=3; plural=(n == 1 ? 0 : n != 0 && n % 1000000 == 0 ? 1 : 2);",
    "ht": "nplurals=1; plural=0;",
    "de": "nplurals=2; plural=(n != 1);",
}


def write_po(
    tmp_path: Path,
    body: str,
    lang: str = "es",
    header_lang: str | None = None,
    plural: str | None = None,
) -> Path:
    path = tmp_path / "locales" / lang / "LC_MESSAGES" / "messages.po"
    path.parent.mkdir(parents=True, exist_ok=True)
    header = HEADER.format(lang=header_lang or lang, plural=plural or PLURALS[lang])
    path.write_text(header + body, encoding="utf-8")
    return path


def check(tmp_path: Path, body: str, **kwargs) -> list:
    path = write_po(tmp_path, body, **kwargs)
    return catalog_checks.check_catalog(
        catalog_checks.CatalogContext(path, kwargs.get("lang", "es"))
    )


def entry(msgid: str, msgstr: str, extra: str = "") -> str:
    return f'{extra}msgid "{msgid}"\nmsgstr "{msgstr}"\n\n'


# ---------------------------------------------------------------- placeholders, both ways


@pytest.mark.parametrize(
    ("source", "translation", "problem"),
    [
        ("Call %(phone)s now", "Llame ahora", "placeholder %(phone)s is missing"),
        ("Call now", "Llame al %(phone)s", "placeholder %(phone)s is not in the source"),
        ("Call %(phone)s", "Llame al %(fone)s", "%(phone)s was changed to %(fone)s"),
        ("%(low)s to %(high)s", "%(low)s a %(low)s", "placeholder %(high)s is missing"),
        ("Call {phone} now", "Llame ahora", "placeholder {phone} is missing"),
        ("Call now", "Llame al {phone}", "placeholder {phone} is not in the source"),
        ("Call {phone}", "Llame al {fone}", "{phone} was changed to {fone}"),
        ("Call %(phone)s", "Llame al {phone}", "%(phone)s was changed to {phone}"),
        ("%(n)d people", "%(n)s personas", "%(n)d was changed to %(n)s"),
        ("All of it", "Es el % de todo", "a lone % sign is read as a placeholder; write %%"),
        ("%(n)s of it", "El %(n)s al 50%", "does not format"),
    ],
)
def test_placeholders_are_checked_both_ways(
    tmp_path: Path, source: str, translation: str, problem: str
) -> None:
    findings = check(tmp_path, entry(source, translation))
    assert [f.severity for f in findings] == [Severity.ERROR]
    assert findings[0].line == 8  # the msgid's line, after the seven header lines
    assert problem in findings[0].message
    assert findings[0].format().startswith(f"{findings[0].path}:8: ")


def test_babel_misses_a_dropped_named_placeholder_that_we_catch(tmp_path: Path) -> None:
    message = Message("Call %(phone)s now", "Llame ahora", flags=["python-format"])
    python_format(None, message)  # Babel's own checker: no complaint
    findings = check(tmp_path, entry("Call %(phone)s now", "Llame ahora"))
    assert len(findings) == 1


def test_babel_and_we_agree_on_a_renamed_placeholder() -> None:
    message = Message("Call %(phone)s", "Llame %(fone)s", flags=["python-format"])
    with pytest.raises(TranslationError):
        python_format(None, message)
    assert checks.check_placeholders("Call %(phone)s", "Llame %(fone)s")


def test_matching_placeholders_and_literal_percent_pass(tmp_path: Path) -> None:
    body = entry("Call %(phone)s, %(n)s%% off", "Llame al %(phone)s, %(n)s%% menos")
    body += entry("Text {keyword}", "Envíe {keyword}")
    assert check(tmp_path, body) == []


# ---------------------------------------------------------------- the other checks


def test_plural_entry_with_a_missing_form(tmp_path: Path) -> None:
    body = (
        'msgid "%(count)s office"\nmsgid_plural "%(count)s offices"\n'
        'msgstr[0] "%(count)s oficina"\nmsgstr[1] ""\n\n'
        'msgid "%(count)s hotline"\nmsgid_plural "%(count)s hotlines"\n'
        'msgstr[0] "%(count)s línea"\n\n'
    )
    findings = check(tmp_path, body, lang="de")
    messages = [(f.line, f.message) for f in findings]
    assert messages == [
        (8, "'%(count)s office': plural form msgstr[1] is empty; fill in every form"),
        (
            13,
            "'%(count)s hotline': has 1 plural form but the header's Plural-Forms says "
            "nplurals=2; give msgstr[0] to msgstr[1]",
        ),
    ]


@pytest.mark.parametrize(
    ("marker", "flagged"),
    [
        ("", True),
        ("#, allow-identical\n", False),
        ("# allow-identical: a name\n", False),
        ("#. Translators: an acronym; allow-identical\n", False),
    ],
)
def test_identical_translation_unless_allowed(tmp_path: Path, marker: str, flagged: bool) -> None:
    findings = check(tmp_path, entry("Human Trafficking", "Human Trafficking", marker))
    identical = [f for f in findings if f.code == "identical"]
    assert bool(identical) is flagged
    if flagged:
        assert "identical to the English source" in identical[0].message
        assert "# allow-identical" in identical[0].message
    # The #, form works, but gettext's tools drop flags they do not know: say so.
    flags = [f for f in findings if f.code == "flag"]
    assert bool(flags) is marker.startswith("#,")
    assert all(f.severity is Severity.WARNING and "`# allow-identical`" in f.message for f in flags)


def test_placeholders_and_punctuation_may_stay_identical(tmp_path: Path) -> None:
    assert check(tmp_path, entry("%(first)s–%(last)s", "%(first)s–%(last)s")) == []


@pytest.mark.parametrize(
    ("translation", "shown"),
    [
        ("<b>Ayuda</b>", "<, >"),
        ("Ayuda &amp; apoyo", "&amp;"),
        ("Ayuda&#160;ya", "&#160;"),
        ("url(https://x.example/a.png)", "url("),
    ],
)
def test_markup_in_a_translation(tmp_path: Path, translation: str, shown: str) -> None:
    findings = [f for f in check(tmp_path, entry("Help", translation)) if "markup" in f.message]
    assert len(findings) == 1
    assert f"markup in a translation ({shown}" in findings[0].message


def test_spaces_that_differ_from_the_source_are_a_warning(tmp_path: Path) -> None:
    findings = check(tmp_path, entry("Need help?", " ¿Necesita ayuda? "))
    assert {f.severity for f in findings} == {Severity.WARNING}
    assert [f.message.split(": ", 1)[1] for f in findings] == [
        "the translation starts with a space and the English does not; delete it at the start",
        "the translation ends with a space and the English does not; delete it at the end",
    ]


def test_a_line_break_at_either_end_that_the_source_lacks_is_an_error_as_for_msgfmt(
    tmp_path: Path,
) -> None:
    # msgfmt -c: "'msgid' and 'msgstr' entries do not both end with '\n'" (a fatal error).
    findings = check(tmp_path, entry("Need help?", "¿Necesita ayuda?\\n"))
    assert [(f.severity, f.code) for f in findings] == [(Severity.ERROR, "newline-ends")]
    assert "delete it" in findings[0].message
    findings = check(tmp_path, entry("Need help?", "\\n¿Necesita ayuda?"))
    assert [(f.severity, f.code) for f in findings] == [(Severity.ERROR, "newline-ends")]
    assert check(tmp_path, entry("Need help?\\n", "¿Necesita ayuda?\\n")) == []


def test_a_translation_cannot_bring_its_own_phone_number_or_address(tmp_path: Path) -> None:
    findings = check(
        tmp_path,
        entry("Call %(phone)s", "Llame al %(phone)s o al 1-800-555-0199, www.example.com"),
    )
    assert sorted(f.code for f in findings) == ["contact", "contact"]
    assert "'1-800-555-0199'" in findings[0].message + findings[1].message


def test_fuzzy_and_untranslated_entries_are_not_checked(tmp_path: Path) -> None:
    # A fuzzy entry never prints, so only its fuzzy mark is reported, not its missing %(phone)s.
    body = entry("Call %(phone)s", "Llame", "#, fuzzy\n") + entry("Help", "")
    assert [f.code for f in check(tmp_path, body)] == ["fuzzy"]


@pytest.mark.parametrize(
    ("header_lang", "message"),
    [
        ("ht", "Language header says 'ht' but the catalog is in the folder for 'es'"),
        ("", 'no Language header; add "Language: es\\n" to the header entry'),
    ],
)
def test_language_header_must_match_the_folder(
    tmp_path: Path, header_lang: str, message: str
) -> None:
    path = write_po(tmp_path, entry("Help", "Ayuda"), header_lang=header_lang or "X")
    if not header_lang:
        path.write_text(path.read_text().replace('"Language: X\\n"\n', ""))
    findings = catalog_checks.check_catalog(catalog_checks.CatalogContext(path, "es"))
    assert len(findings) == 1
    assert message in findings[0].message
    assert findings[0].line == (4 if header_lang else 2)


def test_plural_forms_must_match_leaflets_toml_and_cldr(tmp_path: Path) -> None:
    path = write_po(tmp_path, entry("Help", "Èd"), lang="ht", plural="nplurals=2; plural=(n != 1);")
    context = catalog_checks.CatalogContext(path, "ht", "nplurals=1; plural=0;")
    config, cldr = catalog_checks.check_catalog(context)
    assert "leaflets.toml says 'nplurals=1; plural=0;'" in config.message
    assert config.severity is Severity.ERROR and config.line == 5
    assert cldr.code == "plural-cldr" and cldr.severity is Severity.WARNING
    assert 'CLDR gives whole numbers 1 form ("other"), not 2' in cldr.message


@pytest.mark.parametrize(
    ("body", "line", "problem"),
    [
        ('msgid "Help"\nmsgstr "Ayuda\n', 9, "msgstr needs one quoted string"),
        ('msgid "Help"\nmsgstr "Ayuda"\nmsgstr "Otra"\n', 10, "unexpected msgstr"),
        ('msgid "Help"\nmsgstr "Ayuda"\n\n"stray"\n', 11, "belongs to no msgid"),
        ('msgid "Help"\nmsgtsr "Ayuda"\n', 9, "unknown keyword 'msgtsr'"),
        ('msgid "Help"\n', 8, "ends before this entry has its msgstr"),
    ],
)
def test_syntax_errors_are_findings_at_their_line(
    tmp_path: Path, body: str, line: int, problem: str
) -> None:
    findings = check(tmp_path, body)
    assert len(findings) == 1
    assert findings[0].line == line
    assert problem in findings[0].message


def test_not_utf8_is_a_finding(tmp_path: Path) -> None:
    path = write_po(tmp_path, entry("Help", "Ayuda"))
    path.write_bytes(path.read_bytes().replace(b"Ayuda", "Ayúda".encode("latin-1")))
    [finding] = catalog_checks.check_catalog(catalog_checks.CatalogContext(path, "es"))
    assert "not UTF-8" in finding.message and finding.line == 9


# ---------------------------------------------------------------- the command


def test_check_command_reports_file_line_and_exits_1(project_copy: Path) -> None:
    project = project_mod.load(project_copy)
    po = project.po_path("ht")
    text = po.read_text(encoding="utf-8")
    text = text.replace('msgstr "Rele"', 'msgstr "Rele %(phone)s"', 1)  # added
    text = text.replace("rele %(number)s.", "rele.", 1)  # dropped
    text = text.replace('msgid "Need help?"\nmsgstr "', 'msgid "Need help?"\nmsgstr "<b>', 1)
    po.write_text(text, encoding="utf-8")
    # A broken Spanish catalog does not stop the checks of the Creole one.
    es = project.po_path("es")
    es.write_text(es.read_text(encoding="utf-8") + '\nmsgid "x"\n', encoding="utf-8")

    runner = CliRunner()
    result = runner.invoke(main, ["--project", str(project_copy), "check"])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    lines = result.output.splitlines()
    es_lines = len(es.read_text(encoding="utf-8").splitlines())
    assert any(
        line.endswith(
            f"es/LC_MESSAGES/messages.po:{es_lines}: syntax error: the file ends "
            "before this entry has its msgstr"
        )
        for line in lines
    )
    assert any(
        "ht/LC_MESSAGES/messages.po:" in line and "%(phone)s is not in the source" in line
        for line in lines
    )
    assert any("ht/LC_MESSAGES/messages.po:" in line and "markup" in line for line in lines)
    assert any(
        "ht/LC_MESSAGES/messages.po:" in line
        and "'In an emergency, call %(number)s.': placeholder %(number)s is missing" in line
        for line in lines
    )

    as_json = runner.invoke(main, ["--project", str(project_copy), "check", "--json"])
    assert as_json.exit_code == 1
    data = json.loads(as_json.stdout)
    assert {d["code"] for d in data} >= {"syntax", "placeholder", "markup"}
    assert all(d["severity"] == "error" and d["line"] for d in data)


def test_shipped_catalogs_pass_the_check() -> None:
    result = CliRunner().invoke(main, ["--project", str(REPO), "check"])
    assert result.exit_code == 0, result.output
    assert result.stdout == ""


def test_warnings_fail_only_with_strict(project_copy: Path) -> None:
    po = project_mod.load(project_copy).po_path("es")
    text = po.read_text(encoding="utf-8")
    po.write_text(text.replace('msgstr "¿Necesita ayuda?"', 'msgstr "¿Necesita ayuda? "'))
    runner = CliRunner()
    plain = runner.invoke(main, ["--project", str(project_copy), "check"])
    assert plain.exit_code == 0
    assert "warning: 'Need help?': the translation ends with a space and the English does not" in (
        plain.stdout
    )
    strict = runner.invoke(main, ["--project", str(project_copy), "check", "--strict"])
    assert strict.exit_code == 1


def test_a_phone_number_written_into_a_template_string_is_reported(project_copy: Path) -> None:
    card = project_copy / "templates" / "card.html.j2"
    card.write_text(
        card.read_text().replace(
            "{% trans %}Need help?{% endtrans %}",
            "{% trans %}Need help? Call 340-555-0100{% endtrans %}",
        )
    )
    project = project_mod.load(project_copy)
    findings = [
        f
        for f in project_checks.check_catalogs(project, extract(project))
        if f.code == "source-fact"
    ]
    assert len(findings) == 1
    assert findings[0].path == card
    lines = card.read_text().splitlines()
    assert findings[0].line == 1 + next(i for i, ln in enumerate(lines) if "340-555-0100" in ln)
    assert "'340-555-0100' is written into a translatable string" in findings[0].message


def test_the_build_drops_translations_that_the_check_rejects() -> None:
    from babel.messages.catalog import Catalog

    from leaflets.i18n.translations import translations_from_catalog

    catalog = Catalog(locale="es")
    catalog.add("Call %(phone)s", "Llame al %(phone)s o al 1-800-555-0199")
    catalog.add("Help %(name)s", "Ayuda a {name}")
    catalog.add("Text %(number)s", "Envíe al %(number)s")
    catalog.add("All", "El 50% de todo")
    translations = translations_from_catalog(catalog, "es")
    assert translations.gettext("Text %(number)s") == "Envíe al %(number)s"
    for source in ("Call %(phone)s", "Help %(name)s", "All"):
        assert translations.gettext(source) == source  # falls back to English
    assert sorted(translations.rejected) == ["All", "Call %(phone)s", "Help %(name)s"]


def test_a_byte_order_mark_and_windows_line_ends_are_fine(tmp_path: Path) -> None:
    path = write_po(tmp_path, entry("Help", "Ayuda"))
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n"))
    assert catalog_checks.check_catalog(catalog_checks.CatalogContext(path, "es")) == []


def test_a_fuzzy_entry_is_reported_as_printing_in_english(tmp_path: Path) -> None:
    findings = check(tmp_path, entry("Need help?", "¿Necesita ayuda?", "#, fuzzy\n"))
    assert [(f.severity, f.code) for f in findings] == [(Severity.WARNING, "fuzzy")]
    assert "prints in English until someone checks it" in findings[0].message
    # msgmerge marks only entries with a translation fuzzy; an empty one is just untranslated.
    assert check(tmp_path, entry("Need help?", "", "#, fuzzy\n")) == []


def test_a_fuzzy_header_is_reported(tmp_path: Path) -> None:
    path = write_po(tmp_path, entry("Need help?", "¿Necesita ayuda?"))
    path.write_text("#, fuzzy\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    findings = catalog_checks.check_catalog(catalog_checks.CatalogContext(path, "es"))
    assert [(f.code, f.line) for f in findings] == [("header-fuzzy", 3)]


@pytest.mark.parametrize(
    ("team", "reported"),
    [
        ("Spanish <es@li.org>", True),
        ("Equipo de traducción al español", True),
        ("es <https://weblate.example/projects/leaflets/es/>", True),
        ("Kreyòl ayisyen <ht@li.org>", False),
        ("Haitian Creole, with help from the Spanish team", False),  # names its own too
        ("leaflets project (machine-assisted draft, pending native review)", False),
        ("none", False),
    ],
)
def test_a_language_team_that_names_another_language_is_reported(
    tmp_path: Path, team: str, reported: bool
) -> None:
    path = write_po(tmp_path, entry("Need help?", "Ou bezwen èd?"), lang="ht")
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('"Language: ht', f'"Language-Team: {team}\\n"\n"Language: ht'))
    names = {
        "en": ("English",),
        "es": ("Español", "Spanish", "español"),
        "ht": ("Haitian Creole", "Kreyòl ayisyen"),
    }
    context = catalog_checks.CatalogContext(path, "ht", names=names)
    codes = [f.code for f in catalog_checks.check_catalog(context)]
    assert codes == (["language-team"] if reported else []), codes


def test_leaflets_check_pairs_a_renamed_placeholder_with_the_one_it_replaced(
    project_copy: Path,
) -> None:
    """Issue 21: "%(number)s was changed to %(numero)s", not paired with %(keyword)s, which is
    missing on its own; in plain words, with what to do."""
    po = project_mod.load(project_copy).po_path("es")
    text = po.read_text(encoding="utf-8")
    was = 'msgstr "Envíe “%(keyword)s” por mensaje de texto al %(number)s"'
    po.write_text(text.replace(was, 'msgstr "Envíe HELP por mensaje de texto al %(numero)s"'))
    result = CliRunner().invoke(main, ["--project", str(project_copy), "check", "--lang", "es"])
    assert result.exit_code == 1
    assert "%(number)s was changed to %(numero)s; put back %(number)s exactly" in result.output
    assert "placeholder %(keyword)s is missing" in result.output
    assert "should be" not in result.output and "%(keyword)s was changed" not in result.output
