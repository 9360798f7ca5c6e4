"""The command line as a newcomer meets it: error messages that name the file and line, counts
that read as English, and help that lists every command in a line."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from cli import main
from tests.conftest import REPO


def _run(project: Path, *args: str):
    return CliRunner().invoke(main, ["--project", str(project), *args])


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1))


def _line_of(path: Path, needle: str) -> int:
    return next(i for i, line in enumerate(path.read_text().splitlines(), 1) if needle in line)


def test_a_wrong_office_phone_names_the_file_and_its_line(project_copy: Path) -> None:
    contacts = project_copy / "contacts.toml"
    _edit(contacts, 'phone = "+1 340 719 0144"', 'phone = "+1 340 719 014"')
    result = _run(project_copy, "list")
    assert result.exit_code == 1
    line = _line_of(contacts, '"+1 340 719 014"')
    assert f"contacts.toml:{line}: offices[0].phone: not a valid phone number" in result.output
    assert "area code" in result.output  # says what to do, not only what is wrong
    assert "Traceback" not in result.output


def test_each_of_several_problems_has_its_own_line(project_copy: Path) -> None:
    contacts = project_copy / "contacts.toml"
    contacts.write_text(contacts.read_text().replace('opens = "09:00"', 'opens = "9am"'))
    result = _run(project_copy, "list")
    assert result.exit_code == 1
    lines = [i for i, ln in enumerate(contacts.read_text().splitlines(), 1) if '"9am"' in ln]
    assert len(lines) == 2
    for number, line in enumerate(lines):
        assert f"contacts.toml:{line}: offices[{number}].hours[0].opens:" in result.output
    # One way of writing a place, file:line:, never "file: line N:".
    assert ": line " not in result.output


def test_a_typo_in_a_key_points_at_that_line(project_copy: Path) -> None:
    contacts = project_copy / "contacts.toml"
    _edit(contacts, 'name = "National', 'nme = "National')
    result = _run(project_copy, "list")
    assert result.exit_code == 1
    line = _line_of(contacts, 'nme = "National')
    assert f"contacts.toml:{line}: hotline.nme: unknown key" in result.output


def test_a_single_config_problem_is_not_numbered_twice(project_copy: Path) -> None:
    config = project_copy / "leaflets.toml"
    _edit(config, 'theme = "default"', 'theme = "dark"')
    result = _run(project_copy, "list")
    line = _line_of(config, 'theme = "dark"')
    assert result.exit_code == 1
    assert f"leaflets.toml:{line}: build.theme: expected" in result.output
    assert "line " not in result.output


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("build", "--lang", "xx"), "unknown language 'xx'; this project has: en, es, ht"),
        (("build", "--leaflet", "cards"), "unknown leaflet 'cards'; this project has: trifold"),
        (
            ("status", "--lang", "xx"),
            "unknown language 'xx'; the translated languages are: es, ht "
            "(to add one, run `leaflets init xx`)",
        ),
        (
            ("check", "--lang", "en"),
            "'en' is the source language: its text is in the templates, not in a catalog",
        ),
    ],
)
def test_an_unknown_name_lists_the_known_ones(
    project_copy: Path, args: tuple[str, ...], expected: str
) -> None:
    result = _run(project_copy, *args)
    assert result.exit_code == 1
    assert expected in result.output
    assert "Traceback" not in result.output


@pytest.mark.pdf
def test_one_pdf_and_one_page_read_as_english(project_copy: Path) -> None:
    result = _run(project_copy, "build", "--lang", "en", "--leaflet", "flyer", "--jobs", "1")
    assert result.exit_code == 0, result.output
    assert "wrote out/en/flyer.pdf (1 page): not built before" in result.output.replace(
        str(project_copy) + "/", ""
    )
    assert "built 1 PDF, skipped 0" in result.output
    listing = _run(project_copy, "list")
    assert "1 page\n" in listing.output and "2 pages\n" in listing.output


def test_the_command_list_shows_whole_sentences() -> None:
    result = CliRunner().invoke(main, ["--help"])
    assert result.exit_code == 0
    commands = result.output.split("Commands:")[1].strip().splitlines()
    names = {line.split()[0] for line in commands}
    assert {"build", "check", "preview", "status", "update", "order", "doctor"} <= names
    # click cuts a long first sentence with "..."; every summary must fit whole.
    assert not [line for line in commands if line.rstrip().endswith("...")]


def test_language_options_are_spelled_the_same_everywhere() -> None:
    for verb in ("build", "preview", "status", "check"):
        result = CliRunner().invoke(main, [verb, "--help"])
        assert "-l, --lang LANG" in result.output, verb
        assert "(repeatable)" in result.output.split("--lang LANG")[1].split("\n  -")[0], verb
    for verb in ("build", "preview"):
        assert "--leaflet NAME" in CliRunner().invoke(main, [verb, "--help"]).output


def test_update_says_when_only_template_lines_moved(project_copy: Path) -> None:
    card = project_copy / "templates" / "card.html.j2"
    _edit(card, "{% block body %}", "\n{% block body %}")
    result = _run(project_copy, "update")
    assert result.exit_code == 0, result.output
    assert "updated (no new or changed sentences; only notes or template lines)" in result.output
    assert "0 new" not in result.output
    # A real change is still counted: the close old translation is kept, marked fuzzy.
    _edit(card, "Free. Confidential. 24 hours.", "Free. Private. 24 hours.")
    again = _run(project_copy, "update")
    assert "messages.po: updated (0 new, 1 fuzzy, 0 obsolete)" in again.output


def test_a_template_syntax_error_stops_update_and_changes_no_catalog(project_copy: Path) -> None:
    card = project_copy / "templates" / "card.html.j2"
    card.write_text(card.read_text() + "{% trans %}Oops{% endtran %}\n")
    line = len(card.read_text().splitlines())
    catalogs = sorted((project_copy / "locales").rglob("*.po*"))
    before = {path: path.read_bytes() for path in catalogs}
    result = _run(project_copy, "update")
    assert result.exit_code == 1
    assert f"templates/card.html.j2:{line}: template syntax error:" in result.output
    assert "Traceback" not in result.output
    # Before the fix the broken template was skipped and its sentences went to #~.
    assert {path: path.read_bytes() for path in catalogs} == before


@pytest.mark.pdf
def test_a_rejected_translation_points_to_check(project_copy: Path) -> None:
    po = project_copy / "locales" / "es" / "LC_MESSAGES" / "messages.po"
    po.write_text(
        "\n".join(
            line.replace("%(phone)s", "%(phne)s") if line.startswith("msgstr") else line
            for line in po.read_text().splitlines()
        )
        + "\n"
    )
    result = _run(project_copy, "build", "--lang", "es", "--leaflet", "card", "--jobs", "1")
    assert result.exit_code == 0
    assert "rejected by `leaflets check`" in result.output
    check = _run(project_copy, "check", "--lang", "es")
    assert check.exit_code == 1
    assert "%(phone)s was changed to %(phne)s" in check.output


@pytest.mark.pdf
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_file_in_the_way_of_an_output_folder_is_one_line(project_copy: Path, jobs: str) -> None:
    (project_copy / "out").mkdir()
    (project_copy / "out" / "en").write_text("not a folder")
    result = _run(project_copy, "build", "--lang", "en", "--leaflet", "card", "--jobs", jobs)
    assert result.exit_code == 1
    assert "out/en: a file is in the way where a folder should be" in result.output
    assert "Traceback" not in result.output
    assert (project_copy / "out" / "en").read_text() == "not a folder"


@pytest.mark.pdf
def test_preview_says_what_it_built_and_where_to_look(project_copy: Path) -> None:
    result = _run(project_copy, "preview", "--lang", "es", "--leaflet", "card", "--dpi", "20")
    assert result.exit_code == 0, result.output
    assert "(2 pages): not built before" in result.output
    assert "built 1 PDF, skipped 0" in result.output
    assert "out/preview/index.html: open it in a web browser" in result.output
    assert (project_copy / "out" / "preview" / "card-es-2.png").exists()


def test_every_command_in_the_readme_parses() -> None:
    # The README is what a newcomer types: each `leaflets …` in it must name a real command and
    # real options (the commands themselves are run by the tests of each feature).
    readme = (REPO / "README.md").read_text()
    snippets = re.findall(r"`(leaflets [^`]*)`", readme)
    snippets += re.findall(r"^(leaflets [^\n#]*)", readme, flags=re.MULTILINE)
    assert len(snippets) > 15
    for snippet in snippets:
        words = shlex.split(snippet)[1:]
        if words[0] in ("--help", "COMMAND"):
            continue
        command = main.commands.get(words[0])
        assert command is not None, snippet
        if isinstance(command, click.Group):  # `leaflets people invite …`
            words = words[1:]
            command = command.commands.get(words[0])
            assert command is not None, snippet
        known = {opt for param in command.params for opt in param.opts}
        for word in words[1:]:
            if word.startswith("-"):
                assert word in known, f"{snippet}: {word}"


def test_a_closed_pipe_ends_quietly(project_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # `leaflets list | head -1`: the reader leaves early; that is not a problem to report.
    def closed(*args: object, **kwargs: object) -> None:
        raise BrokenPipeError(32, "Broken pipe")

    monkeypatch.setattr(click, "echo", closed)
    result = _run(project_copy, "list")
    assert result.exit_code == 1
    assert "error" not in result.output and "Broken pipe" not in result.output


def test_a_typo_under_a_dotted_table_points_at_that_line(project_copy: Path) -> None:
    config = project_copy / "leaflets.toml"
    _edit(config, 'locale = "es_US"', 'locale = "es_US"\nreviewd = false')
    result = _run(project_copy, "list")
    assert result.exit_code == 1
    line = _line_of(config, "reviewd = false")
    assert f"leaflets.toml:{line}: languages.es.reviewd: unknown key" in result.output


@pytest.mark.pdf
def test_a_missing_catalog_names_the_command_that_starts_it(project_copy: Path) -> None:
    (project_copy / "locales" / "ht" / "LC_MESSAGES" / "messages.po").unlink()
    result = _run(project_copy, "build", "--lang", "ht", "--leaflet", "card")
    assert result.exit_code == 1
    assert "messages.po: catalog not found; run `leaflets init ht` to start one" in result.output
    assert _run(project_copy, "init", "ht").exit_code == 0  # and that command works
    assert _run(project_copy, "build", "--lang", "ht", "--leaflet", "card").exit_code == 0
