"""Render: a project, a leaflet and a language become one HTML document.

Translations are untrusted text. Jinja2's i18n extension marks a translated string safe when
autoescape is on, so the gettext callables installed here escape every translation themselves
before Jinja2 formats the (also escaped) variables into it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from types import CodeType

import jinja2
import jinja2.bccache
import jinja2.sandbox
import segno
from markupsafe import Markup, escape

from ..config.fonts import font_face_css
from ..config.model import Edition, Language, Leaflet, Project
from ..config.paths import inside, read_project_file
from ..errors import RenderError
from ..i18n.locale_data import LocaleFormatter, hour_spans
from ..i18n.translations import Translations
from .css_text import PAGE, PAGES, page_label_content
from .page import page_geometry_css
from .passages import in_language, mark_fallback, span_open, tag_passages
from .template_files import template_file


@dataclass(frozen=True)
class RenderOptions:
    """Choices that change the HTML but not the content."""

    body_pt: float | None = None
    """The body type's size, chosen by fit.py; None is the low end of the leaflet's body_pt."""
    edition: Edition | None = None
    """Office or press (orders): adds the edition's stylesheet, bleed and crop marks."""
    link_stylesheets: bool = True
    """False leaves the stylesheets out of the HTML and lists them in RenderedLeaflet.stylesheets
    instead, for a typesetter that keeps parsed copies (the builder's)."""
    optional: bool = True
    """Print the lines a template prints only when they fit (`{% if optional %}`, marked
    data-optional); the pipeline renders without them when the leaflet overflows with them."""


@dataclass(frozen=True)
class RenderedLeaflet:
    html: str
    fallbacks: int
    """How many distinct messages printed in the source language."""
    fallback_keys: frozenset = frozenset()
    """Which ones: their message keys (msgid, or (msgctxt, msgid)); i18n.fallbacks says why."""
    stylesheets: tuple[str, ...] = ()
    """Stylesheets (relative to the project root) the HTML does not link and the typesetter
    must apply, in cascade order. Empty when the HTML links them itself."""
    has_optional: bool = False
    """Whether the HTML holds lines printed only when they fit (data-optional)."""


class Renderer:
    """A Jinja2 environment for one project. Reuse it across leaflets and languages."""

    def __init__(self, project: Project):
        self.project = project
        self._environments: dict[str, tuple[Translations, jinja2.Environment]] = {}
        self._compiled = _CompiledTemplates()
        self._font_css: dict[tuple[str, ...], str] = {}

    def environment(self, language: Language, translations: Translations) -> jinja2.Environment:
        """The Jinja2 environment for one language.

        One per language, because Jinja2 binds filters when it compiles a template and caches
        imported macro modules with the gettext callables they first saw: a shared environment
        would print one language's partials in another language's leaflet.
        """
        cached = self._environments.get(language.code)
        if cached is not None and cached[0] is translations:
            return cached[1]
        env = template_environment(
            self.project,
            extensions=["jinja2.ext.i18n"],
            # Each template is compiled once and its code shared by every language's environment.
            bytecode_cache=self._compiled,
        )
        env.policies["ext.i18n.trimmed"] = True

        def printed(key, text: str) -> Markup:
            # Text in the source language is marked, to become a passage in that language.
            return _escaped(mark_fallback(text) if key in translations.fallbacks else text)

        env.install_gettext_callables(
            gettext=lambda s: printed(s, translations.gettext(s)),
            ngettext=lambda s, p, n: printed(s, translations.ngettext(s, p, n)),
            pgettext=lambda c, s: printed((c, s), translations.pgettext(c, s)),
            npgettext=lambda c, s, p, n: printed((c, s), translations.npgettext(c, s, p, n)),
            newstyle=True,
        )
        formatter = LocaleFormatter(language)
        rtl = formatter.direction == "rtl"
        env.globals["direction"] = formatter.direction
        # Runs that keep left-to-right order inside right-to-left text (passages.py).
        env.filters["ltr"] = lambda value: (
            Markup(span_open(None, True)) + escape(value) + Markup("</span>")
            if rtl
            else escape(value)
        )
        # contacts.toml's words (the SMS keyword) are in the source language.
        env.filters["in_source_language"] = lambda value: in_language(
            value, self.project.source_language.bcp47, language.bcp47, rtl
        )
        # pass_context keeps Jinja2 from folding `600000 | format_number` into the compiled code
        # in one language's format, which would then be shared with the others.
        env.filters["format_number"] = jinja2.pass_context(lambda _, n: formatter.number(n))
        env.filters["format_time"] = jinja2.pass_context(lambda _, t: formatter.time(t))
        env.filters["localized_weekdays"] = jinja2.pass_context(
            lambda _, names: formatter.weekdays([str(n) for n in names])
        )
        env.filters["extract"] = lambda index, seq: seq[index]
        # A name's last two words never part at a line's end ("Council" alone on a line).
        env.filters["keep_last_words"] = lambda value: "\u00a0".join(str(value).rsplit(" ", 1))
        env.filters["hour_spans"] = hour_spans
        env.globals["qr_code"] = qr_code
        # A translated page label in CSS (large print's "Page 2 of 4"): css_text.py.
        env.globals.update(PAGE=PAGE, PAGES=PAGES)
        env.filters["page_label"] = page_label_content
        self._environments[language.code] = (translations, env)
        return env

    def font_css(self, language: Language) -> str:
        """@font-face rules and the font-family list of the language's declared fonts."""
        families = self.project.fonts_of(language.code)
        if families not in self._font_css:
            self._font_css[families] = font_face_css(families)
        return self._font_css[families]

    def stylesheets(self, leaflet: Leaflet, edition: Edition | None = None) -> list[str]:
        """Stylesheet URLs relative to the project root, in cascade order; missing ones are skipped."""
        return self.project.stylesheet_names(leaflet, edition)

    def html(
        self,
        leaflet: Leaflet,
        language: Language,
        translations: Translations,
        options: RenderOptions | None = None,
    ) -> RenderedLeaflet:
        options = options or RenderOptions()
        env = self.environment(language, translations)
        contacts = self.project.contacts
        stylesheets = self.stylesheets(leaflet, options.edition)
        before = set(translations.fallbacks)
        head_css = Markup("<style>\n{}\n{}\n</style>").format(
            Markup(self.font_css(language)),
            Markup(page_geometry_css(self.project, leaflet, options.edition, options.body_pt)),
        )
        context = {
            "project": self.project,
            "organisation": self.project.organisation,
            "contacts": contacts,
            "leaflet": leaflet,
            "language": language,
            "source_language": self.project.source_language,
            # The "Draft translation" note: i18n/review.py decides, load_translations() asks.
            "draft": not translations.reviewed,
            "theme": self.project.build.theme,
            "head_css": head_css,
            "stylesheets": stylesheets if options.link_stylesheets else [],
            "optional": options.optional,
        }
        html = render_template(env, self.project, leaflet.template, context)
        html = tag_passages(
            html,
            self.project.source_language.bcp47,
            language.bcp47,
            env.globals["direction"] == "rtl",
            language.foreign_words,
        )
        return RenderedLeaflet(
            html=html,
            fallbacks=len(translations.fallbacks - before),
            fallback_keys=frozenset(translations.fallbacks - before),
            stylesheets=() if options.link_stylesheets else tuple(stylesheets),
            has_optional="data-optional" in html,
        )


class _ProjectTemplates(jinja2.BaseLoader):
    """templates/, where a template (or the folder) may be a link that stays in the project.
    A template is read only if it is a regular file inside the project, under the size bound."""

    def __init__(self, project: Project):
        self.templates_dir = project.templates_dir
        self.root = project.root

    def get_source(self, environment: jinja2.Environment, template: str):
        path = template_file(self.templates_dir, template)
        if path is None:
            raise jinja2.TemplateNotFound(template)
        try:
            # Checked before it is opened: a template linked outside the project is never read.
            source = read_project_file(inside(self.root, path), "template")
            mtime = os.path.getmtime(path)
        except FileNotFoundError:
            raise jinja2.TemplateNotFound(template) from None
        try:
            text = source.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise RenderError(f"not UTF-8 text ({exc.reason}); save it as UTF-8", path) from None
        return text, os.path.normpath(path), lambda: _modified_at(path) == mtime


def _modified_at(path: Path) -> float | None:
    try:
        return os.path.getmtime(path)
    except OSError:
        return None


def template_loader(project: Project) -> jinja2.BaseLoader:
    """The loader of every project template: the leaflets' and the job ticket's."""
    return _ProjectTemplates(project)


def render_template(env: jinja2.Environment, project: Project, name: str, context: dict) -> str:
    """A template rendered; a syntax error, an undefined name or the sandbox's refusal is a
    RenderError naming the template (and line, where Jinja2 knows it)."""
    try:
        return env.get_template(name).render(context)
    except jinja2.TemplateSyntaxError as exc:
        raise RenderError(
            f"template syntax error: {exc.message}",
            project.templates_dir / (exc.name or name),
            exc.lineno,
        ) from None
    except jinja2.sandbox.SecurityError as exc:
        raise RenderError(
            f"template refused: {exc}; a template may use the values it is given, not "
            "Python's objects behind them",
            project.templates_dir / name,
        ) from None
    except jinja2.TemplateError as exc:
        raise RenderError(f"template error: {exc}", project.templates_dir / name) from None


def template_environment(project: Project, **options) -> jinja2.Environment:
    """The environment every project template runs in: sandboxed, because a project folder is
    shared and its templates copied from others, and a template must not reach Python's
    objects (``''.__class__.__mro__``...) to run a command or read a file during a build."""
    return jinja2.sandbox.SandboxedEnvironment(
        loader=template_loader(project),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        **options,
    )


class _CompiledTemplates(jinja2.BytecodeCache):
    """Compiled templates kept in memory, shared by one renderer's per-language environments.

    Compiling costs more than rendering these templates, and the code does not depend on the
    language: the gettext callables and the locale filters are looked up when it runs.
    """

    def __init__(self) -> None:
        self._code: dict[str, tuple[str, CodeType]] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        checksum, code = self._code.get(bucket.key, (None, None))
        if checksum == bucket.checksum:  # the template's source has not changed since
            bucket.code = code

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.code is not None:
            self._code[bucket.key] = (bucket.checksum, bucket.code)


def qr_code(data: str, title: str) -> Markup:
    """A QR code as inline SVG: one path, and a <title> that becomes the figure's /Alt."""
    svg = segno.make(data, error="m").svg_inline(
        scale=1,
        border=0,
        title=Markup(title).unescape(),
        omitsize=True,
        svgclass="qr-code",
        lineclass=None,
    )
    return Markup(svg)


def _escaped(text: str) -> Markup:
    """A translation as literal text: markup in a catalog is printed, never interpreted."""
    return escape(text)
