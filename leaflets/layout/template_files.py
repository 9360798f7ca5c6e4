"""Which file a template name stands for: one answer for the loader that renders a template and
for the build's cache, which finds a template's includes without rendering it.

Jinja2 itself is not imported here: a build with nothing to do works out its cache keys
without it.
"""

from __future__ import annotations

import os
from pathlib import Path


def template_file(templates_dir: Path, name: str) -> Path | None:
    """The file `name` stands for, resolved as Jinja2's FileSystemLoader resolves it (its
    split_template_path): pieces split at "/", empty pieces and "." dropped, so that
    "/etc/passwd" is templates/etc/passwd. None for a name the loader refuses: one with a ".."
    piece or a system path separator in a piece."""
    pieces = []
    for piece in name.split("/"):
        if os.path.sep in piece or (os.path.altsep and os.path.altsep in piece) or piece == "..":
            return None
        if piece and piece != ".":
            pieces.append(piece)
    return Path(templates_dir).joinpath(*pieces)
