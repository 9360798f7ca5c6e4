"""ICC output profiles: the name a profile gives its printing condition.

Its own module, without pikepdf: the job ticket and the order form name the profile too, and
the studio's order form loads without the PDF libraries.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from PIL import ImageCms


@cache
def profile_description(path: Path) -> str:
    """The output profile's own name for its printing condition, for the PDF and the ticket."""
    profile = ImageCms.getOpenProfile(str(path)).profile
    return (profile.profile_description or path.name).strip()
