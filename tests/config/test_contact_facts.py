"""Issue 25, points 4 to 7: a contact fact is checked by its kind and the office's country
before anything prints it. A wrong emergency or relay number, an empty keyword, place or
street, or a postal code that is no postal code is one error at its key path and line; a
number of another country keeps its +, and an extension prints and reaches the tel: link."""

from __future__ import annotations

from pathlib import Path

import pikepdf
import pytest
from click.testing import CliRunner

import cli
from leaflets.config.contacts import parse_phone

# (what the council's contacts.toml says, what it is changed to, key path, line, words)
HOSTILE = {
    "emergency 9111": ('phone = "911"', 'phone = "9111"', "emergency.phone", 15, "emergency"),
    "emergency 000": ('phone = "911"', 'phone = "000"', "emergency.phone", 15, "'000'"),
    "tty 000000": ('tty = "711"', 'tty = "000000"', "hotline.tty", 9, "short number"),
    "text number 00000": (
        'text_number = "233733"',
        'text_number = "00000"',
        "hotline.text_number",
        7,
        "short number",
    ),
    "empty keyword": ('text_keyword = "HELP"', 'text_keyword = ""', "hotline.text_keyword", 8, ""),
    "keyword of spaces": (
        'text_keyword = "HELP"',
        'text_keyword = "  "',
        "hotline.text_keyword",
        8,
        "keyword",
    ),
    "empty place": ('place = "St. Croix"', 'place = ""', "offices[0].place", 20, "letter"),
    "street of spaces": (
        'street = "4100 Sion Farm Shopping Center"',
        'street = "   "',
        "offices[0].street",
        21,
        "letter",
    ),
    "city of dashes": (
        'city = "Christiansted"',
        'city = "--"',
        "offices[0].city",
        22,
        "letter",
    ),
    "empty hotline name": (
        'name = "National Human Trafficking Hotline"',
        'name = ""',
        "hotline.name",
        5,
        "letter",
    ),
    "postal code ABC": (
        'postal_code = "00820"',
        'postal_code = "ABC"',
        "offices[0].postal_code",
        24,
        "ZIP code",
    ),
    "unknown country": ('region = "VI"', 'region = "VI"\ncountry = "XX"', "country", 24, "XX"),
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_a_meaningless_contact_fact_is_one_error_at_its_line(project_copy: Path, case: str):
    old, new, key, line, words = HOSTILE[case]
    path = project_copy / "contacts.toml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    result = CliRunner().invoke(cli.main, ["--project", str(project_copy), "build"])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    (error,) = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert f"contacts.toml:{line}: " in error and key in error and words in error, error
    assert not (project_copy / "out").exists()


def test_the_councils_short_numbers_are_what_they_say():
    """911 is an emergency number in the US, 711 its relay service, 233733 an SMS short code:
    the data the check relies on agrees with the facts printed today."""
    from phonenumbers import parse, shortnumberinfo

    assert shortnumberinfo.is_emergency_number("911", "US")
    assert shortnumberinfo.is_valid_short_number_for_region(parse("711", "US"), "US")
    assert shortnumberinfo.is_sms_service_for_region(parse("233733", "US"), "US")


@pytest.mark.parametrize(
    "text, display, uri",
    [
        ("+44 20 7946 0958", "+44 20 7946 0958", "tel:+442079460958"),
        ("+33 1 42 68 53 00", "+33 1 42 68 53 00", "tel:+33142685300"),
        ("+1 340 719 0144", "340-719-0144", "tel:+13407190144"),
        ("+1 888 373 7888", "1-888-373-7888", "tel:+18883737888"),
        ("+1 888 373 7888 ext. 123", "1-888-373-7888 ext. 123", "tel:+18883737888;ext=123"),
        ("+1 340 719 0144;ext=45", "340-719-0144 ext. 45", "tel:+13407190144;ext=45"),
        ("+44 20 7946 0958 x 9", "+44 20 7946 0958 ext. 9", "tel:+442079460958;ext=9"),
    ],
)
def test_a_number_prints_so_that_it_can_be_dialled(text: str, display: str, uri: str):
    phone = parse_phone(text)
    assert (phone.display, phone.uri) == (display, uri)


@pytest.mark.pdf
def test_the_card_prints_the_plus_and_the_extension_and_links_both(project_copy: Path):
    path = project_copy / "contacts.toml"
    text = path.read_text(encoding="utf-8")
    text = text.replace('phone = "+1 888 373 7888"', 'phone = "+1 888 373 7888 ext. 123"')
    text = text.replace('phone = "+1 340 719 0144"', 'phone = "+44 20 7946 0958"')
    path.write_text(text, encoding="utf-8")
    args = ["--project", str(project_copy), "build", "--lang", "en", "--leaflet", "card"]
    result = CliRunner().invoke(cli.main, args)
    assert result.exit_code == 0, result.output
    from tests.pdftext import text as pdf_text

    printed = pdf_text(project_copy / "out" / "en" / "card.pdf")
    assert "1-888-373-7888 ext. 123" in printed and "+44 20 7946 0958" in printed
    assert "44-20-7946" not in printed and ";ext=" not in printed
    with pikepdf.open(project_copy / "out" / "en" / "card.pdf") as pdf:
        links = {
            str(annot.A.URI)
            for page in pdf.pages
            for annot in page.get("/Annots", [])
            if "/A" in annot
        }
    assert {"tel:+18883737888;ext=123", "tel:+442079460958"} <= links
