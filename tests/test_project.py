"""Loading and validating leaflets.toml and contacts.toml."""

from __future__ import annotations

from datetime import time
from pathlib import Path

import pytest

from leaflets.config import project as project_mod
from leaflets.errors import ConfigError, ProjectNotFound

REPO = Path(__file__).resolve().parent.parent
BAD = Path(__file__).parent / "data" / "bad"


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
