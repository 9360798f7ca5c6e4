"""Which project files an output reads besides its template: its stylesheets.

The renderer links these and the cache key hashes them, so both take the list from here. This
module imports next to nothing, because the key is computed on every build, even a no-op one.
"""

from __future__ import annotations

from .model import Edition, Leaflet, Project


def stylesheet_names(
    project: Project, leaflet: Leaflet, edition: Edition | None = None
) -> list[str]:
    """Stylesheet paths relative to the project root, in cascade order; missing ones are skipped."""
    names = [
        "styles/base.css",
        f"styles/{leaflet.name}.css",
        f"styles/themes/{project.build.theme}.css",
    ]
    if edition is not None:
        names.append(edition.stylesheet)
    return [name for name in names if (project.root / name).is_file()]
