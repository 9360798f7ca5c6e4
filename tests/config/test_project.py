"""Loading and validating leaflets.toml and contacts.toml."""

from __future__ import annotations

from datetime import time
from pathlib import Path

import pytest

from leaflets.config import project as project_mod
from leaflets.errors import ConfigError, ProjectNotFound
from tests.conftest import DATA, REPO

BAD = DATA / "bad"


def test_the_council_project_loads():
    project = project_mod.load(REPO)
    assert project.organisation == "Virgin Islands Domestic Violence and Sexual Assault Council"
    assert list(project.languages) == ["en", "es", "ht"]
    assert project.source_language.code == "en"
    assert not project.languages["es"].reviewed and not project.languages["ht"].reviewed
    assert list(project.leaflets) == ["trifold", "flyer", "card", "large-print"]
    assert project.leaflets["card"].page_size_in("letter") == (3.5, 2.0)
    assert project.leaflets["trifold"].page_size_in("letter") == (11.0, 8.5)


def test_contacts_match_the_council_page():
    contacts = project_mod.load(REPO).contacts
    croix, thomas = contacts.offices
    assert (croix.street, croix.city, croix.postal_code) == (
        "4100 Sion Farm Shopping Center",
        "Christiansted",
        "00820",
    )
    assert croix.phone.display == "340-719-0144" and croix.phone.uri == "tel:+13407190144"
    assert croix.fax is not None and croix.fax.display == "340-719-5521"
    assert (thomas.street, thomas.city, thomas.postal_code) == (
        "8000 Nisky Center Suite 205",
        "St. Thomas",
        "00802",
    )
    assert thomas.phone.display == "340-774-0144" and thomas.fax is None
    for office in (croix, thomas):
        (hours,) = office.hours
        assert hours.days == (0, 1, 2, 3, 4)
        assert (hours.opens, hours.closes) == (time(9), time(17))
    assert contacts.hotline.phone.display == "1-888-373-7888"
    assert contacts.hotline.text_number.display == "233733"
    assert contacts.hotline.tty.display == "711"
    assert contacts.emergency.display == "911"


def test_found_from_a_subfolder(tmp_path):
    assert project_mod.find_root(REPO / "templates" / "partials") == REPO
    with pytest.raises(ProjectNotFound, match="no leaflets.toml"):
        project_mod.find_root(tmp_path)


def _project_with(tmp_path: Path, config: str | None = None, contacts: str | None = None) -> Path:
    root = tmp_path / "p"
    (root / "templates").mkdir(parents=True)
    for name in ("trifold", "flyer", "card", "large-print"):
        (root / "templates" / f"{name}.html.j2").write_text("")
    (root / "leaflets.toml").write_text(config or (REPO / "leaflets.toml").read_text())
    (root / "contacts.toml").write_text(contacts or (REPO / "contacts.toml").read_text())
    return root


# Each bad file holds one broken config and, on its first line, the exact message expected.
@pytest.mark.parametrize("bad", sorted(BAD.glob("*.toml")), ids=lambda p: p.stem)
def test_bad_config_names_file_key_and_expectation(tmp_path, bad):
    text = bad.read_text()
    expected = text.splitlines()[0].removeprefix("# expect: ")
    is_contacts = bad.stem.startswith("contacts-")
    root = (
        _project_with(tmp_path, contacts=text)
        if is_contacts
        else _project_with(tmp_path, config=text)
    )
    with pytest.raises(ConfigError) as caught:
        project_mod.load(root)
    message = str(caught.value)
    assert ("contacts.toml" if is_contacts else "leaflets.toml") in message
    assert expected in message


def test_every_problem_is_reported_at_once(tmp_path):
    config = (REPO / "leaflets.toml").read_text()
    config = config.replace('paper = "letter"', 'paper = "legal"').replace(
        'theme = "default"', "theme = 3"
    )
    with pytest.raises(ConfigError) as caught:
        project_mod.load(_project_with(tmp_path, config=config))
    assert len(caught.value.problems) == 2
    assert "build.paper" in str(caught.value) and "build.theme" in str(caught.value)


# Each domain rule is a validator: its message, at its key path, on the line it is about.
RULES = [
    (
        "config",
        "source = true\n",
        'source = true\ncode = "english"\n',
        "languages.en.code: unknown key; expected one of: day_periods, direction, fonts, foreign_words, locale, name, plural, reviewed, source, time_format, time_format_on_the_hour",
        'code = "english"',
    ),
    (
        "config",
        'title = "Flyer"',
        'title = "Flyer"\nname = "poster"',
        "leaflets.flyer.name: unknown key; expected one of: body_pt, max_pages",
        'name = "poster"',
    ),
    (
        "config",
        "[languages.es]",
        "[languages.ES]",
        'languages.ES: expected a language code such as "es", "ht" or "pt_BR" as the table name',
        "[languages.ES]",
    ),
    (
        "config",
        "[leaflets.flyer]",
        "[leaflets.Flyer]",
        'leaflets.Flyer: expected a lower-case name such as "trifold" or "large-print"',
        "[leaflets.Flyer]",
    ),
    (
        "config",
        "pages = 1\n",
        "pages = 1\nmax_pages = 2\n",
        "leaflets.flyer: expected exactly one of pages (exact count) or max_pages (upper bound)",
        "[leaflets.flyer]",
    ),
    (
        "config",
        "pages = 1\n",
        "pages = 0\n",
        "leaflets.flyer.pages: expected a whole number from 1 to 100, got 0",
        "pages = 0",
    ),
    (
        "config",
        "min_font_pt = 9 ",
        "min_font_pt = 3 ",
        "leaflets.card.min_font_pt: expected a size from 4 to 72 points, got 3",
        "min_font_pt = 3",
    ),
    (
        "config",
        "size = [3.5, 2.0]",
        'size = [3.5, "2"]',
        "leaflets.card.size: expected [width, height] in inches, got [3.5, '2']",
        "size = [3.5",
    ),
    (
        "config",
        'plural = "nplurals=1; plural=0;"',
        'plural = "one"',
        'languages.ht.plural: expected a Plural-Forms rule such as "nplurals=1; plural=0;"',
        'plural = "one"',
    ),
    (
        "config",
        "bleed_in = 0.125",
        "bleed_in = 1",
        "editions.press.bleed_in: expected inches from 0 to 0.5, got 1",
        "bleed_in = 1",
    ),
    (
        "config",
        'output_profiles = ["/usr',
        'output_profiles = ["usr',
        "editions.press.output_profiles: expected a list of absolute paths to CMYK .icc files",
        'output_profiles = ["usr',
    ),
    (
        "config",
        'output_profiles = ["/usr',
        '# output_profiles = ["/usr',
        "editions.press.pdf_x: needs output_profiles: PDF/X requires an output intent",
        "pdf_x = true",
    ),
    (
        "config",
        "crop_marks = true",
        "crop_marks = 1",
        "editions.press.crop_marks: expected true or false, got 1",
        "crop_marks = 1",
    ),
    (
        "contacts",
        'id = "st-thomas"',
        'id = "st-croix"  # copied',
        "offices[1].id: duplicate office id 'st-croix'",
        "# copied",
    ),
    (
        "contacts",
        'tty = "711"',
        'tty = "7a1"',
        "hotline.tty: expected a short code of 3 to 6 digits such as \"911\", got '7a1'",
        'tty = "7a1"',
    ),
    (
        "contacts",
        'text_number = "233733"',
        "text_number = 233733",
        'hotline.text_number: expected a short code of 3 to 6 digits such as "911", got 233733',
        "text_number = 233733",
    ),
    (
        "contacts",
        'opens = "09:00"',
        'opens = "25:00"',
        "offices[0].hours[0].opens: expected a 24-hour time such as \"09:00\", got '25:00'",
        '"25:00"',
    ),
    (
        "contacts",
        'fax = "+1 340 719 5521"',
        'fax = "x"',
        "offices[0].fax: not a phone number (",
        'fax = "x"',
    ),
]


@pytest.mark.parametrize(("which", "old", "new", "expected", "needle"), RULES)
def test_each_rule_reports_its_key_path_and_line(tmp_path, which, old, new, expected, needle):
    name = "leaflets.toml" if which == "config" else "contacts.toml"
    text = (REPO / name).read_text()
    assert old in text
    text = text.replace(old, new, 1)
    root = _project_with(tmp_path, **{which: text})
    with pytest.raises(ConfigError) as caught:
        project_mod.load(root)
    line = next(i for i, ln in enumerate(text.splitlines(), 1) if needle in ln)
    # The first problem is the rule's (a relative profile also leaves pdf_x without one).
    assert caught.value.problems[0].startswith(expected)
    assert caught.value.lines[0] == line


def test_several_problems_in_one_table_each_have_their_line(tmp_path):
    config = (REPO / "leaflets.toml").read_text()
    for old, new in (
        ('title = "Wallet card"', "title = 5"),
        ("pages = 2\nsize", 'pages = "2"\nsize'),
        ("min_font_pt = 9 ", "min_font_pt = true "),
    ):
        config = config.replace(old, new, 1)
    with pytest.raises(ConfigError) as caught:
        project_mod.load(_project_with(tmp_path, config=config))
    lines = config.splitlines()
    assert [
        (lines[n - 1].split(" =")[0], p)
        for p, n in zip(caught.value.problems, caught.value.lines, strict=True)
    ] == [
        ("title", "leaflets.card.title: expected a string, got 5"),
        ("pages", "leaflets.card.pages: expected a whole number, got '2'"),
        ("min_font_pt", "leaflets.card.min_font_pt: expected a number, got true"),
    ]


@pytest.mark.parametrize(
    ("table", "expected"),
    [
        ("fonts = []", "languages.es.fonts: expected from 1 to 8 font families, got 0"),
        ('fonts = ["Atkinson/../x"]', "languages.es.fonts: expected font family names such as"),
        ('fonts = ["A", "A"]', "languages.es.fonts: a font family is named twice"),
        ('direction = "up"', "languages.es.direction: expected"),
        ("foreign_words = { en = [] }", "languages.es.foreign_words: en: expected a list"),
    ],
)
def test_script_settings_are_validated(project_copy: Path, table: str, expected: str) -> None:
    config = project_copy / "leaflets.toml"
    config.write_text(
        config.read_text(encoding="utf-8").replace('name = "Español"', f'name = "Español"\n{table}')
    )
    with pytest.raises(ConfigError) as caught:
        project_mod.load(project_copy)
    assert caught.value.problems[0].startswith(expected), caught.value.problems


def test_the_studio_table_defaults_to_no_commits(tmp_path):
    project = project_mod.load(_project_with(tmp_path))
    assert (project.studio.commit, project.studio.commit_after_minutes) == (False, 5)
    config = (REPO / "leaflets.toml").read_text() + "\n[studio]\ncommit = true\n"
    config += "commit_after_minutes = 0\n"
    project = project_mod.load(_project_with(tmp_path / "on", config=config))
    assert (project.studio.commit, project.studio.commit_after_minutes) == (True, 0)


def test_the_studio_table_is_validated_up_front(tmp_path):
    config = (REPO / "leaflets.toml").read_text() + (
        '\n[studio]\ncommit = "yes"\ncommit_after_minutes = -1\nbranch = "main"\n'
    )
    with pytest.raises(ConfigError) as caught:
        project_mod.load(_project_with(tmp_path, config=config))
    lines = config.splitlines()
    found = {
        p: lines[n - 1] for p, n in zip(caught.value.problems, caught.value.lines, strict=True)
    }
    assert found == {
        "studio.branch: unknown key; expected one of: commit, commit_after_minutes, "
        "organisers_build": ('branch = "main"'),
        "studio.commit: expected true or false, got 'yes'": 'commit = "yes"',
        "studio.commit_after_minutes: expected a whole number of minutes from 0 to 1440, "
        "got -1": "commit_after_minutes = -1",
    }
    for value in ("2.5", '"5"', "1441"):
        bad = (REPO / "leaflets.toml").read_text() + f"\n[studio]\ncommit_after_minutes = {value}\n"
        with pytest.raises(ConfigError, match="studio.commit_after_minutes: expected"):
            project_mod.load(_project_with(tmp_path / value.strip('"'), config=bad))
