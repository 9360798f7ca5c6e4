"""HarfBuzz on this machine, asked with ctypes the way WeasyPrint 70.0 asks: whether it will
subset fonts with HarfBuzz or fall back to fontTools, and which HarfBuzz it loads.

The cache key and `leaflets doctor` need these answers without importing WeasyPrint (a build
with nothing to do must not pay for it), so this is the one piece of WeasyPrint's knowledge kept
out of weasyprint_adapters.py. A millisecond: two dlopen calls.
"""

from __future__ import annotations

import ctypes

# The names WeasyPrint tries, in its order (weasyprint/text/ffi.py), minus Windows and macOS.
HARFBUZZ_SUBSET_NAMES = ("libharfbuzz-subset-0", "libharfbuzz-subset.so.0", "libharfbuzz-subset.so")
HARFBUZZ_NAMES = ("libharfbuzz-0", "libharfbuzz.so.0", "libharfbuzz.so")
# WeasyPrint uses HarfBuzz's subsetter only from HarfBuzz 4.1.0 (weasyprint/pdf/fonts.py).
HARFBUZZ_MIN = (4, 1, 0)


def _load_first(names: tuple[str, ...]) -> ctypes.CDLL | None:
    for name in names:
        try:
            return ctypes.CDLL(name)
        except OSError:
            continue
    return None


def fast_subsetter_library() -> bool:
    """Whether WeasyPrint will subset fonts with HarfBuzz rather than fall back to fontTools:
    the same test as WeasyPrint's (the build's cache key uses it)."""
    subset = _load_first(HARFBUZZ_SUBSET_NAMES)
    harfbuzz = _load_first(HARFBUZZ_NAMES)
    if subset is None or harfbuzz is None:
        return False
    return bool(harfbuzz.hb_version_atleast(*HARFBUZZ_MIN))


def harfbuzz_version() -> str:
    library = _load_first(HARFBUZZ_NAMES)
    if library is None:
        return "unknown"
    library.hb_version_string.restype = ctypes.c_char_p
    return library.hb_version_string().decode()
