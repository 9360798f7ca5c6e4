"""Extract the studio's interface messages (the `studio` domain) and update its catalogs.

    python devtools/studio_messages.py            # locale/studio.pot, then es and ht updated
    python devtools/studio_messages.py --pot OUT  # only extract, into OUT (the tests' check)

Babel does both, as `pybabel extract` and `pybabel update` would; the keywords are the
scripts' t() and tn() (common.js) besides Jinja2's _() and gettext's defaults.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from babel.messages.frontend import CommandLineInterface

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "leaflets" / "studio" / "locale"
POT = LOCALE / "studio.pot"
LANGUAGES = ("es", "ht")
KEYWORDS = ["-k", "t", "-k", "tn:1,2"]


def extract(pot: Path) -> None:
    """The template of every message the studio's pages and scripts show."""
    mapping = ROOT / "leaflets" / "studio" / "babel.cfg"
    arguments = ["extract", "-F", str(mapping), *KEYWORDS, "-c", "Translators:"]
    arguments += ["--sort-by-file", "--no-wrap", "--project", "leaflets studio", "-o", str(pot)]
    pybabel([*arguments, "leaflets/studio/static"])


def update() -> None:
    """Merge the template into each language's catalog (a new message arrives untranslated);
    a language without a catalog yet gets one."""
    for lang in LANGUAGES:
        command = "update" if (LOCALE / lang / "LC_MESSAGES" / "studio.po").exists() else "init"
        pybabel(
            [command, "-D", "studio", "-i", str(POT), "-d", str(LOCALE), "-l", lang, "--no-wrap"]
        )


def pybabel(arguments: list[str]) -> None:
    here = os.getcwd()
    os.chdir(ROOT)  # locations relative to the project, as the mapping's patterns are
    try:
        CommandLineInterface().run(["pybabel", *arguments])
    finally:
        os.chdir(here)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pot", type=Path, help="only extract, into this file")
    options = parser.parse_args()
    if options.pot:
        extract(options.pot.resolve())
        return
    extract(POT)
    update()


if __name__ == "__main__":
    main()
