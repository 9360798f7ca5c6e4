"""Typeset: HTML → laid-out document → PDF bytes, with WeasyPrint.

WeasyPrint is imported lazily: a build with nothing to do never pays for the import.
The URL fetcher serves only the project's styles/ and templates/, the packaged fonts and data:
URIs. Anything else is refused and reported, so a catalog entry can never pull a local file or
a network resource into a leaflet.
"""

from __future__ import annotations

import mimetypes
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

from .errors import RenderError
from .project import Project
from .render import font_files

if TYPE_CHECKING:
    from weasyprint.document import Document

PDF_VARIANT = "pdf/ua-1"


def allowed_roots(project: Project) -> list[Path]:
    """Folders whose files a leaflet may load."""
    fonts = {path.resolve().parent for path in font_files().values()}
    return [project.styles_dir.resolve(), project.templates_dir.resolve(), *sorted(fonts)]


def make_url_fetcher(roots: list[Path]):
    """A WeasyPrint URL fetcher limited to files under `roots` and data: URIs."""
    from weasyprint import URLFetcher
    from weasyprint.urls import URLFetcherResponse

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
                    if any(real.is_relative_to(root) for root in roots) and real.is_file():
                        mime = mimetypes.guess_type(real.name)[0] or "application/octet-stream"
                        return URLFetcherResponse(url, real.read_bytes(), {"Content-Type": mime})
            self.refused.append(url)
            raise ValueError(f"refused by leaflets: {url}")

    return SafeURLFetcher()


@dataclass
class Typesetter:
    """Lays out and writes PDFs for one project, reusing fonts and the URL policy."""

    project: Project
    refused: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        from weasyprint.text.fonts import FontConfiguration

        self.font_config = FontConfiguration()
        self.roots = allowed_roots(self.project)

    def layout(self, html: str, pdf_variant: str = PDF_VARIANT) -> Document:
        """Parse and lay out the HTML. Refused resources fail the build."""
        from weasyprint import HTML

        fetcher = make_url_fetcher(self.roots)
        base_url = self.project.root.as_uri() + "/"
        document = HTML(string=html, base_url=base_url, url_fetcher=fetcher).render(
            font_config=self.font_config, pdf_variant=pdf_variant
        )
        if fetcher.refused:
            urls = ", ".join(sorted(set(fetcher.refused)))
            raise RenderError(
                f"refused to load {urls}: leaflets load only files under styles/, "
                "templates/ and the packaged fonts"
            )
        return document

    def pdf(
        self, document: Document, pdf_variant: str = PDF_VARIANT, identifier: bytes | None = None
    ) -> bytes:
        """The PDF bytes; a fixed `identifier` keeps rebuilds byte-identical."""
        # Tags stay on whatever the variant: a PDF/X-4 press edition is tagged as well.
        return document.write_pdf(
            pdf_variant=pdf_variant, pdf_tags=True, pdf_identifier=identifier or False
        )
