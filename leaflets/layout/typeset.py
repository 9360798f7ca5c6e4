"""Typeset: HTML → laid-out document → PDF bytes, with WeasyPrint (through
weasyprint_adapters.py, which loads it quickly and wraps its tagger).

The URL fetcher serves only the project's styles/ and templates/, the packaged fonts and data:
URIs. Anything else is refused and reported, so a catalog entry can never pull a local file or
a network resource into a leaflet.
"""

from __future__ import annotations

import mimetypes
import os
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ..config.fonts import font_files
from ..config.model import Project
from ..config.paths import inside, read_project_file
from ..errors import FileRefused, RenderError
from ..writing import named
from .weasyprint_adapters import (
    CSS,
    HTML,
    Document,
    FontConfiguration,
    URLFetcher,
    URLFetcherResponse,
)

PDF_VARIANT = "pdf/ua-1"


def allowed_roots(project: Project) -> list[Path]:
    """Folders whose files a leaflet may load: styles/ and templates/, which must resolve inside
    the project, and the folders of every font family the project declares."""
    fonts = {path.resolve().parent for path in font_files(project.declared_fonts).values()}
    folders = [
        inside(project.root, project.styles_dir),
        inside(project.root, project.templates_dir),
    ]
    return [*folders, *sorted(fonts)]


def make_url_fetcher(roots: list[Path]):
    """A WeasyPrint URL fetcher limited to files under `roots` and data: URIs."""

    class SafeURLFetcher(URLFetcher):
        def __init__(self) -> None:
            super().__init__(
                allowed_protocols=("file", "data"), allow_redirects=False, fail_on_errors=False
            )
            self.refused: list[str] = []

        def fetch(self, url: str, headers=None):
            scheme = urlsplit(url).scheme.lower()
            if scheme == "data":
                return super().fetch(url, headers)
            if scheme == "file":
                parts = urlsplit(url)
                path = Path(unquote(parts.path))
                if parts.netloc in ("", "localhost"):
                    real = Path(os.path.realpath(path))
                    if any(real.is_relative_to(root) for root in roots):
                        try:
                            data = read_project_file(real, "image")
                        except (OSError, FileRefused):  # not there, not a file, too large
                            data = None
                        if data is not None:
                            mime = mimetypes.guess_type(real.name)[0] or "application/octet-stream"
                            return URLFetcherResponse(url, data, {"Content-Type": mime})
            self.refused.append(url)
            raise ValueError(f"refused by leaflets: {url}")

    return SafeURLFetcher()


@dataclass
class Typesetter:
    """Lays out and writes PDFs for one project, reusing fonts, parsed stylesheets, images and
    the URL policy from one document to the next."""

    project: Project
    refused: list[str] = field(default_factory=list)
    engine_seconds: float = 0.0
    """Time spent inside WeasyPrint's render() and write_pdf(), summed: the build's floor."""

    def __post_init__(self) -> None:
        self.font_config = FontConfiguration()
        self.roots = allowed_roots(self.project)
        self._stylesheets: dict[str, CSS] = {}
        self._images: dict = {}

    def stylesheet(self, name: str) -> CSS:
        """styles/… parsed once per typesetter. A parsed sheet gives the same PDF, byte for byte,
        as the <link> it replaces (tests/test_parallel.py checks it)."""
        if name not in self._stylesheets:
            fetcher = make_url_fetcher(self.roots)
            sheet = CSS(
                url=(self.project.root / name).as_uri(),
                url_fetcher=fetcher,
                font_config=self.font_config,
            )
            self._check_refused(fetcher)
            self._stylesheets[name] = sheet
        return self._stylesheets[name]

    def forget_stylesheets(self) -> None:
        """Parse the stylesheets again next time (the studio, after one changed on disk)."""
        self._stylesheets.clear()

    def layout(
        self, html: str, stylesheets: Sequence[str] = (), pdf_variant: str = PDF_VARIANT
    ) -> Document:
        """Parse and lay out the HTML. Refused resources fail the build.

        `stylesheets` are project stylesheets the HTML does not link (RenderedLeaflet's, when
        rendered with RenderOptions(link_stylesheets=False)), applied from copies parsed once.
        """
        sheets = [self.stylesheet(name) for name in stylesheets]
        fetcher = make_url_fetcher(self.roots)
        base_url = self.project.root.as_uri() + "/"
        started = time.perf_counter()
        # WeasyPrint writes the fonts it uses into the temporary folder: a full disk there
        # names that folder.
        with named(Path(tempfile.gettempdir())):
            document = HTML(string=html, base_url=base_url, url_fetcher=fetcher).render(
                font_config=self.font_config,
                pdf_variant=pdf_variant,
                stylesheets=sheets,
                cache=self._images,
            )
        self.engine_seconds += time.perf_counter() - started
        self._check_refused(fetcher)
        return document

    def pdf(
        self, document: Document, pdf_variant: str = PDF_VARIANT, identifier: bytes | None = None
    ) -> bytes:
        """The PDF bytes; a fixed `identifier` keeps rebuilds byte-identical."""
        started = time.perf_counter()
        try:
            # Tags stay on whatever the variant: a PDF/X-4 press edition is tagged as well.
            return document.write_pdf(
                pdf_variant=pdf_variant, pdf_tags=True, pdf_identifier=identifier or False
            )
        finally:
            self.engine_seconds += time.perf_counter() - started

    @staticmethod
    def _check_refused(fetcher) -> None:
        if fetcher.refused:
            urls = ", ".join(sorted(set(fetcher.refused)))
            raise RenderError(
                f"refused to load {urls}: leaflets load only files under styles/, "
                "templates/ and the packaged fonts"
            )
