"""The checks pofilter and msgfmt have and a leaflet needs: each on a catalog fixture, with the
line, the severity and the words a translator reads; and none on the shipped catalogs."""

from __future__ import annotations

from pathlib import Path

import pytest

from leaflets.findings import Severity
from leaflets.i18n.checks import catalog as catalog_checks
from leaflets.i18n.po.catalog import read_catalog
from leaflets.i18n.translations import printable_catalog
from tests.conftest import REPO
from tests.i18n.checks.test_checks import PLURALS, write_po

ERROR, WARNING = Severity.ERROR, Severity.WARNING

CASES = [
    # (name, msgid, msgstr as typed in the .po, language, code, severity, words shown)
    (
        "literal \\n",
        "el turismo",
        "el\\\\nturismo",
        "es",
        "backslash",
        ERROR,
        "'\\\\n' prints as a backslash",
    ),
    (
        "stray backslash",
        "Call",
        "Llame\\\\ al",
        "es",
        "backslash",
        ERROR,
        "a backslash ('\\\\ ') prints",
    ),
    (
        "\\' escape",
        "for you",
        "pou\\'w",
        "ht",
        "escape",
        ERROR,
        "\\' is not an escape of the PO format",
    ),
    ("bracket left open", "(Free)", "(Gratis", "es", "brackets", ERROR, "'(' is never closed"),
    ("bracket never opened", "Free", "Gratis)", "es", "brackets", ERROR, "')' closes a bracket"),
    (
        "quote left open",
        "“Help”",
        "“Ayuda",
        "es",
        "quotes",
        ERROR,
        "quotation marks “ ” do not pair up",
    ),
    (
        "odd straight quotes",
        "Say hi",
        'Diga \\"hola',
        "es",
        "quotes",
        ERROR,
        'an odd number of " marks',
    ),
    (
        "missing ¿",
        "Need help?",
        "Necesita ayuda?",
        "es",
        "inverted-marks",
        ERROR,
        "'?' has no opening '¿'",
    ),
    (
        "missing ¡",
        "Call now!",
        "Llame ya!",
        "es",
        "inverted-marks",
        ERROR,
        "'!' has no opening '¡'",
    ),
    (
        "¿ never closed",
        "Need help",
        "¿Necesita ayuda",
        "es",
        "inverted-marks",
        ERROR,
        "'¿' is never closed",
    ),
    (
        "zero-width space",
        "Free",
        "Gra\u200btis",
        "es",
        "invisible",
        ERROR,
        "U+200B (ZERO WIDTH SPACE)",
    ),
    (
        "joiner in Latin",
        "Free",
        "Gra\u200dtis",
        "es",
        "invisible",
        ERROR,
        "U+200D (ZERO WIDTH JOINER)",
    ),
    (
        "missing end mark",
        "Need help?",
        "¿Necesita ayuda",
        "es",
        "inverted-marks",
        ERROR,
        "never closed",
    ),
    (
        "different end mark",
        "Call now.",
        "Llame ya:",
        "es",
        "end-punctuation",
        WARNING,
        "ends with ':' where the source ends with '.'",
    ),
    (
        "end mark dropped",
        "Free.",
        "Gratis",
        "es",
        "end-punctuation",
        WARNING,
        "the source ends with '.'",
    ),
    (
        "end mark added",
        "Free",
        "Gratis.",
        "es",
        "end-punctuation",
        WARNING,
        "ends with '.' but the source has",
    ),
    (
        "double space",
        "Free and safe",
        "Gratis  y seguro",
        "es",
        "double-space",
        WARNING,
        "2 spaces in a row after 'Gratis'",
    ),
    (
        "line breaks",
        "Free",
        "Gra\\ntis",
        "es",
        "newlines",
        WARNING,
        "has 1 line breaks where the source has 0",
    ),
]


@pytest.mark.parametrize(
    ("name", "msgid", "msgstr", "lang", "code", "severity", "shown"),
    CASES,
    ids=[c[0] for c in CASES],
)
def test_each_check_on_a_catalog(
    tmp_path: Path, name: str, msgid: str, msgstr: str, lang: str, code: str, severity, shown: str
) -> None:
    escaped = msgid.replace('"', '\\"')
    path = write_po(
        tmp_path, f'#: templates/card.html.j2:7\nmsgid "{escaped}"\nmsgstr "{msgstr}"\n', lang
    )
    findings = catalog_checks.check_catalog(catalog_checks.CatalogContext(path, lang))
    found = [f for f in findings if f.code == code]
    assert found, f"{name}: no {code} finding in {[f.message for f in findings]}"
    assert found[0].severity is severity
    # At the msgid's line; a bad escape at the line it is on (the msgstr's).
    line = 10 if code == "escape" else 9
    assert found[0].line == line
    assert shown in found[0].message, found[0].message
    assert found[0].format().startswith(f"{path}:{line}: ")
    # An error never prints: the build compiles the catalog without that entry.
    printable = printable_catalog(read_catalog(path), path, lang)
    assert (printable.get(msgid) is None) is (severity is ERROR)


def test_what_pofilter_flags_on_the_shipped_catalogs_is_right() -> None:
    """pofilter's startpunc, endpunc and brackets tests fire 6 times on es and 2 on ht; here
    each of those texts is right, so our checks stay quiet (and the whole check has no finding
    on the shipped catalogs: test_checks.test_shipped_catalogs_pass_the_check)."""
    from leaflets.i18n.checks.message import check_message

    right = [
        ("es", "Need help?", "¿Necesita ayuda?"),  # Spanish opens with ¿
        ("es", "%(place)s Office", "Oficina de %(place)s"),  # a placeholder is not punctuation
        (
            "es",
            "“None is fit to be a master, and none deserves to be a slave.”",
            "“Nadie es apto para ser amo, y nadie merece ser esclavo”.",  # RAE: period outside
        ),
        (
            "es",
            "(Provided by the U.S. Department of State)",
            "(Del Departamento de Estado de EE.\u00a0UU.)",
        ),
        ("ht", "Section %(s)s of the Code.", "Seksyon %(s)s nan Kòd la (Internal Revenue Code)."),
        ("ht", "%(place)s Office", "Biwo %(place)s"),
    ]
    from babel.messages.catalog import Message

    for lang, source, translation in right:
        message = Message(source, translation, lineno=1)
        path = REPO / "locales" / lang / "LC_MESSAGES" / "messages.po"
        findings = check_message(message, int(PLURALS[lang][9]), path)
        assert findings == [], (source, [f.message for f in findings])


def test_a_length_limit_from_the_template_note(tmp_path: Path) -> None:
    note = "#. wallet card heading; at most 12 characters (max-length:12).\n"
    body = note + 'msgid "Need help?"\nmsgstr "¿Necesita usted ayuda?"\n\n'
    body += note + 'msgid "Help"\nmsgstr "Ayuda"\n'
    path = write_po(tmp_path, body)
    [finding] = catalog_checks.check_catalog(catalog_checks.CatalogContext(path, "es"))
    assert (finding.line, finding.code, finding.severity) == (9, "max-length", ERROR)
    assert finding.message == (
        "'Need help?': is 22 characters long, but at most 12 fit (max-length:12); shorten it"
    )


def test_one_source_translated_two_ways_unless_the_entry_allows_it(tmp_path: Path) -> None:
    body = (
        'msgctxt "phone label"\nmsgid "Call"\nmsgstr "Llame al"\n\n'
        'msgctxt "button"\nmsgid "Call"\nmsgstr "Llamar"\n\n'
        '# allow-different: a verb on a button\nmsgctxt "link"\nmsgid "Call"\nmsgstr "Llamada"\n'
    )
    path = write_po(tmp_path, body)
    [finding] = catalog_checks.check_catalog(catalog_checks.CatalogContext(path, "es"))
    assert (finding.line, finding.code, finding.severity) == (13, "inconsistent", WARNING)
    assert "translated 'Llamar' here but 'Llame al' at line 9" in finding.message
    assert "# allow-different" in finding.message


def test_a_glossary_term_the_translation_does_not_use(tmp_path: Path) -> None:
    body = (
        'msgid "Human trafficking hurts."\nmsgstr "El tráfico de personas hace daño."\n\n'
        'msgid "Traffickers lie."\nmsgstr "Los tratantes mienten."\n\n'
        'msgid "Call the hotlines"\nmsgstr "Llame a las líneas"\n'
    )
    path = write_po(tmp_path, body)
    glossary = path.parent.parent / "glossary.toml"
    glossary.write_text('[terms]\ntrafficking = "trata"\nhotline = ["línea", "teléfono"]\n')
    context = catalog_checks.CatalogContext(path, "es", glossary=glossary)
    [finding] = catalog_checks.check_catalog(context)
    assert (finding.line, finding.code, finding.severity) == (8, "glossary", WARNING)
    assert finding.message == (
        "'Human trafficking hurts.': the source says 'trafficking', which glossary.toml "
        "translates as 'trata'; use it"
    )


def test_a_broken_glossary_is_reported_at_its_line(tmp_path: Path) -> None:
    path = write_po(tmp_path, 'msgid "Help"\nmsgstr "Ayuda"\n')
    glossary = path.parent.parent / "glossary.toml"
    glossary.write_text('# terms\n[terms]\ntrafficking = "trata"\nhotline = []\n[extra]\n')
    findings = catalog_checks.check_catalog(
        catalog_checks.CatalogContext(path, "es", glossary=glossary)
    )
    assert [(f.path, f.line, f.code) for f in findings] == [
        (glossary, 4, "glossary-file"),
        (glossary, 5, "glossary-file"),
    ]
    assert "terms.hotline: expected a translation" in findings[0].message
    assert "extra: unknown key" in findings[1].message
