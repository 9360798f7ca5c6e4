"""Issue 25, point 10: a catalog's Plural-Forms is evaluated for n = 0 to 1000 when the
catalog is read. One that divides by zero, or picks a form the catalog does not have, is an
error at its line for `check` and `build` alike: never a ZeroDivisionError halfway through a
build, nor the advice to `compile --force`, which cannot fix it."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

import cli

ES_RULE = (
    '"Plural-Forms: nplurals=3; plural=(n == 1 ? 0 : n != 0 && n % 1000000 == 0 ? "\n"1 : 2);\\n"'
)
BAD_RULES = {
    "division by zero": ("nplurals=2; plural=(n/0);", "fails for n = 0"),
    "modulo by zero": ("nplurals=2; plural=(n%(n-n));", "fails for n = 0"),
    "index past nplurals": ("nplurals=2; plural=(n>5 ? 7 : 0);", "gives form 7 for n = 6"),
    "index past nplurals late": ("nplurals=3; plural=(n == 999 ? 3 : 0);", "for n = 999"),
}
PLURAL_ENTRY = """
msgid "One office"
msgid_plural "%(num)s offices"
msgstr[0] "Una oficina"
msgstr[1] "%(num)s oficinas"
msgstr[2] "%(num)s oficinas"
"""


def with_rule(root: Path, rule: str, plural_in_card: bool = False) -> Path:
    po = root / "locales" / "es" / "LC_MESSAGES" / "messages.po"
    text = po.read_text(encoding="utf-8")
    assert ES_RULE in text
    po.write_text(text.replace(ES_RULE, f'"Plural-Forms: {rule}\\n"') + PLURAL_ENTRY)
    if plural_in_card:
        card = root / "templates" / "card.html.j2"
        card.write_text(
            card.read_text(encoding="utf-8").replace(
                "{% block body %}",
                "{% block body %}<p>{{ ngettext('One office', '%(num)s offices', 2) }}</p>",
                1,
            )
        )
    return po


def one_error(output: str) -> str:
    assert "Traceback" not in output and "ZeroDivisionError" not in output, output
    errors = [line for line in output.splitlines() if line.startswith("error:") or ".po:" in line]
    (error,) = errors
    assert "compile --force" not in error
    return error


@pytest.mark.parametrize("case", sorted(BAD_RULES))
def test_check_rejects_a_plural_rule_that_fails(project_copy: Path, case: str):
    rule, words = BAD_RULES[case]
    with_rule(project_copy, rule)
    result = CliRunner().invoke(cli.main, ["--project", str(project_copy), "check", "--lang", "es"])
    assert result.exit_code == 1
    error = one_error(result.output)
    assert "messages.po:16:" in error and "Plural-Forms" in error and words in error, error


@pytest.mark.pdf
@pytest.mark.parametrize("case", ["division by zero", "index past nplurals"])
def test_build_stops_at_the_rule_before_any_leaflet(project_copy: Path, case: str):
    rule, words = BAD_RULES[case]
    with_rule(project_copy, rule, plural_in_card=True)
    result = CliRunner().invoke(
        cli.main, ["--project", str(project_copy), "build", "--lang", "es", "--leaflet", "card"]
    )
    assert result.exit_code == 1
    error = one_error(result.output)
    assert "messages.po:16:" in error and words in error, error
    assert not (project_copy / "out" / "es" / "card.pdf").exists()


def test_a_good_rule_still_reads(project_copy: Path):
    with_rule(project_copy, "nplurals=3; plural=(n == 1 ? 0 : n != 0 && n % 1000000 == 0 ? 1 : 2);")
    result = CliRunner().invoke(cli.main, ["--project", str(project_copy), "check", "--lang", "es"])
    assert "Plural-Forms" not in result.output, result.output
