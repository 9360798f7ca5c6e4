"""Preview: built PDFs → PNG pages, and one HTML page that shows every language side by side."""

from __future__ import annotations

from html import escape
from io import BytesIO
from pathlib import Path

import pypdfium2

from ..config.model import Project
from ..config.paths import inside
from ..i18n import pseudo
from ..pipeline.output import Output
from ..writing import write_atomic


def pdf_to_pngs(pdf: Path, folder: Path, stem: str, dpi: int = 60) -> list[Path]:
    """Render each page of `pdf` to folder/<stem>-<n>.png."""
    document = pypdfium2.PdfDocument(pdf)
    paths = []
    try:
        for number in range(len(document)):
            page = document[number]
            image = page.render(scale=dpi / 72).to_pil()
            buffer = BytesIO()
            image.save(buffer, format="PNG")
            path = folder / f"{stem}-{number + 1}.png"
            write_atomic(path, buffer.getvalue())
            paths.append(path)
            page.close()
    finally:
        document.close()
    return paths


def write_preview(project: Project, outputs: list[Output], dpi: int = 60) -> Path:
    """PNGs under out/preview/ and an index.html with a row per leaflet, a column per language."""
    folder = project.build.out / "preview"
    inside(project.root, folder)
    images: dict[tuple[str, str], list[Path]] = {}
    for output in outputs:
        inside(project.root, output.path, outside_ok=True)
        images[(output.leaflet, output.lang)] = pdf_to_pngs(
            output.path, folder, f"{output.leaflet}-{output.lang}", dpi
        )
    leaflets = list(dict.fromkeys(o.leaflet for o in outputs))
    langs = list(dict.fromkeys(o.lang for o in outputs))
    rows = []
    for name in leaflets:
        cells = []
        for lang in langs:
            pngs = images.get((name, lang), [])
            pictures = "".join(
                f'<img src="{escape(p.name)}" alt="{escape(name)} ({escape(lang)}), page {i + 1}">'
                for i, p in enumerate(pngs)
            )
            cells.append(f"<td>{pictures}</td>")
        title = escape(project.leaflets[name].title)
        rows.append(f'<tr><th scope="row">{title}</th>{"".join(cells)}</tr>')
    header = "".join(
        f'<th scope="col">{escape(pseudo.language(project, lang).name)} ({escape(lang)})</th>'
        for lang in langs
    )
    html = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Leaflet preview</title>
<style>
body {{ font-family: sans-serif; margin: 1rem; }}
table {{ border-collapse: collapse; }}
th, td {{ border: 1px solid #ccc; padding: .5rem; vertical-align: top; }}
img {{ display: block; margin: 0 0 .5rem; border: 1px solid #888; max-width: 480px; }}
</style></head>
<body><h1>Leaflet preview</h1>
<table><thead><tr><th></th>{header}</tr></thead><tbody>
{"".join(rows)}
</tbody></table></body></html>
"""
    index = folder / "index.html"
    write_atomic(index, html.encode("utf-8"))
    return index
