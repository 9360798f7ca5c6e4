"""Issue 12 (Smaller): the code patterns match the whole name. `$` also matches before a final
newline, so "es\n" passed as a language code."""

from __future__ import annotations

from pathlib import Path

import pytest

from leaflets.config import project as project_mod
from leaflets.config.model import LANG_CODE_RE, LEAFLET_NAME_RE
from leaflets.errors import CatalogError, ConfigError
from leaflets.i18n.commands.init import init_language
from leaflets.press import orders
from tests.conftest import DATA


def test_patterns_refuse_a_trailing_newline():
    assert LANG_CODE_RE.fullmatch("pt_BR") and LEAFLET_NAME_RE.fullmatch("large-print")
    for pattern, name in ((LANG_CODE_RE, "es\n"), (LEAFLET_NAME_RE, "card\n")):
        assert not pattern.match(name) and not pattern.fullmatch(name)


@pytest.mark.parametrize(
    ("old", "new"),
    [("[languages.es]", '[languages."es\\n"]'), ("[leaflets.card]", '[leaflets."card\\n"]')],
)
def test_table_names_with_a_newline_are_refused(project_copy: Path, old: str, new: str):
    config = project_copy / "leaflets.toml"
    config.write_text(config.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    with pytest.raises(ConfigError):
        project_mod.load(project_copy)


def test_init_refuses_a_code_with_a_newline(project_copy: Path):
    with pytest.raises(CatalogError, match="is not a language code"):
        init_language(project_mod.load(project_copy), "fr\n")


def test_an_order_email_with_a_newline_is_refused(project_copy: Path):
    path = project_copy / "orders" / "mail.toml"
    text = (DATA / "orders" / "good.toml").read_text(encoding="utf-8")
    path.write_text(text.replace('"outreach@example.org"', '"outreach@example.org\\n"'))
    with pytest.raises(orders.InvalidOrder, match="email"):
        orders.load_order(project_mod.load(project_copy), path)
