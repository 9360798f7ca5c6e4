"""leaflets: accessible, multilingual print leaflets from gettext catalogs."""

from functools import cache
from pathlib import Path

__version__ = "0.1.0"


@cache
def source_hash() -> str:
    """The library's own code, hashed: a change to it (without a version bump) still counts,
    in the build's cache keys and in the checks' findings a compiled catalog keeps."""
    import hashlib  # here: the no-op build's fast path (pipeline/noop.py) imports this package

    package = Path(__file__).parent
    hasher = hashlib.sha256()
    for path in sorted(package.rglob("*.py")):
        name = path.relative_to(package).as_posix()
        hasher.update(name.encode() + b"\0" + path.read_bytes())
    return hasher.hexdigest()[:16]
