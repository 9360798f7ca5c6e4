"""The studio's own interface in the reviewer's language.

Its words are a gettext domain of their own, `studio`: `make studio-messages` extracts them
with Babel from the pages (Jinja2, `{{ _("…") }}`) and the scripts (`t("…")`, `tn(…)`) into
locale/studio.pot and updates locale/<lang>/LC_MESSAGES/studio.po. The pages are rendered
once per language at start; each carries its scripts' messages in a JSON data block that
common.js's t() reads (the CSP allows no inline script, and a data block is not one).

The language is the person's choice (a cookie the header's select sets), else the best of
their browser's Accept-Language, else English. A language stays a draft, as the leaflets'
do, until a native speaker has approved every translation as it stands: its approvals are
in locale/<lang>/review.toml, in review.py's format, and a draft shows a note saying so.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable

import jinja2
from babel import Locale, negotiate_locale
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations
from starlette.requests import HTTPConnection
from starlette.responses import HTMLResponse

from ..i18n import review
from ..i18n.po.messages import message_key

SOURCE = "en"
LANGUAGES = ("en", "es", "ht")
COOKIE = "leaflets-studio-lang"
"""The person's choice, set by common.js; read for signed-in and sign-in pages alike."""
DOMAIN = "studio"


@dataclass(frozen=True)
class Interface:
    """One language of the interface: its gettext translations, its scripts' messages, and
    whether it is still a draft."""

    code: str
    translations: NullTranslations
    script_messages: dict[str, str | list[str]]
    draft: bool

    @property
    def name(self) -> str:
        return Locale.parse(self.code).get_display_name(self.code).capitalize()


def locale_folder() -> Traversable:
    return resources.files(__package__) / "locale"


def load(code: str) -> Interface:
    """The interface in one language; English is the source and needs no catalog."""
    if code == SOURCE:
        return Interface(code, NullTranslations(), {}, draft=False)
    folder = locale_folder() / code
    catalog = read_po(io.BytesIO((folder / "LC_MESSAGES" / f"{DOMAIN}.po").read_bytes()))
    compiled = io.BytesIO()
    write_mo(compiled, catalog)  # fuzzy entries left out, as gettext leaves them out
    compiled.seek(0)
    return Interface(
        code,
        Translations(compiled, domain=DOMAIN),
        script_messages(catalog),
        is_draft(catalog, folder),
    )


def script_messages(catalog: Catalog) -> dict[str, str | list[str]]:
    """The translated messages the scripts use, by msgid: untranslated ones are left out, so
    that t() falls back to the English."""
    table: dict[str, str | list[str]] = {}
    for message in catalog:
        in_script = any(path.endswith(".js") for path, _ in message.locations)
        strings = message.string if isinstance(message.string, (list, tuple)) else [message.string]
        if not message.id or message.fuzzy or not in_script or not all(strings):
            continue
        msgid = message.id[0] if message.pluralizable else message.id
        table[msgid] = list(strings) if message.pluralizable else strings[0]
    return table


def is_draft(catalog: Catalog, folder: Traversable) -> bool:
    """A draft unless every message has a translation a reviewer approved as it stands."""
    record = folder / "review.toml"
    text = record.read_text(encoding="utf-8") if record.is_file() else ""
    approvals = review.parse_approvals(text, record)  # type: ignore[arg-type]
    for message in catalog:
        if not message.id:
            continue
        approval = approvals.get(message_key(message))
        if message.fuzzy or not review.approves_as_it_stands(approval, message):
            return True
    return False


def chosen_language(connection: HTTPConnection) -> str:
    """The person's choice, else the best match for their browser's languages, else English."""
    chosen = connection.cookies.get(COOKIE)
    if chosen in LANGUAGES:
        return chosen
    return (
        negotiate_locale(accepted(connection.headers.get("accept-language", "")), LANGUAGES, "-")
        or SOURCE
    )


def accepted(header: str) -> list[str]:
    """Accept-Language's language ranges, the most preferred first (q=0 means not wanted)."""
    ranked = []
    for position, item in enumerate(header.split(",")):
        tag, _, params = item.strip().partition(";")
        try:
            quality = float(params.strip().removeprefix("q=")) if params else 1.0
        except ValueError:
            continue
        if tag and tag != "*" and quality > 0:
            ranked.append((-quality, position, tag.strip()))
    return [tag for *_, tag in sorted(ranked)]


class Pages:
    """The studio's HTML pages, rendered once in each language of the interface."""

    def __init__(self, names: tuple[str, ...], finish=lambda data: data):
        folder = resources.files(__package__) / "static"
        environment = jinja2.Environment(
            loader=jinja2.FunctionLoader(lambda name: (folder / name).read_text(encoding="utf-8")),
            extensions=["jinja2.ext.i18n"],
            autoescape=True,
            undefined=jinja2.StrictUndefined,
        )
        languages = [load(code) for code in LANGUAGES]
        choices = [(language.code, language.name) for language in languages]
        self.pages: dict[tuple[str, str], bytes] = {}
        for language in languages:
            environment.install_gettext_translations(language.translations, newstyle=True)
            table = {"lang": language.code, "messages": language.script_messages}
            for name in names:
                html = environment.get_template(name).render(
                    lang=language.code,
                    draft=language.draft,
                    choices=choices,
                    messages=table,
                )
                self.pages[name, language.code] = finish(html.encode("utf-8"))

    def page(self, connection: HTTPConnection, name: str) -> bytes:
        return self.pages[name, chosen_language(connection)]

    def response(self, connection: HTTPConnection, name: str, status: int = 200) -> HTMLResponse:
        lang = chosen_language(connection)
        headers = {"Cache-Control": "no-store", "Content-Language": lang}
        return HTMLResponse(self.pages[name, lang], status, headers=headers)
