"""Whether a catalog's Plural-Forms sorts numbers into the forms CLDR says its language has.

gettext's rule maps a count to an index; CLDR's maps it to a category (one, few, many,
other). They agree when they cut the whole numbers into the same groups, however each writes
it: es's `n == 1 ? 0 : n != 0 && n % 1000000 == 0 ? 1 : 2` is CLDR's one / many / other.
"""

from __future__ import annotations

import gettext
from functools import lru_cache

from babel import Locale, UnknownLocaleError

# Whole numbers that tell every CLDR rule's groups apart: the small ones, and the round
# millions and powers of ten where "many" rules (es, fr, pt) differ.
SAMPLES = (
    *range(0, 1201),
    *(10**k for k in range(4, 13)),
    *(k * 1_000_000 for k in range(2, 12)),
    1_000_001,
    2_000_100,
)


@lru_cache(maxsize=64)  # CLDR's data never changes while we run; 1,222 rule calls each time
def cldr_groups(code: str) -> dict[str, list[int]] | None:
    """CLDR's plural categories for the whole numbers in SAMPLES, or None when CLDR has no
    data for the language (St. Lucian Kwéyòl, acf). Shared: read it, never change it."""
    try:
        rule = Locale.parse(code.replace("-", "_")).plural_form
    except (UnknownLocaleError, ValueError):
        return None
    groups: dict[str, list[int]] = {}
    for n in SAMPLES:
        groups.setdefault(rule(n), []).append(n)
    return groups


def differs_from_cldr(code: str, nplurals: int, expr: str) -> str | None:
    """How the rule `nplurals`/`expr` differs from CLDR's for the language, or None when it
    does not (or CLDR does not know the language)."""
    groups = cldr_groups(code)
    if groups is None:
        return None
    try:
        index = gettext.c2py(expr)  # the catalog's own: evaluated each time
        indexes = {category: {index(n) for n in numbers} for category, numbers in groups.items()}
    except (ValueError, SyntaxError, RecursionError, ZeroDivisionError):
        return "its plural expression cannot be evaluated"
    names = ", ".join(f'"{c}"' for c in groups)
    if nplurals != len(groups):
        forms = f"{len(groups)} form" + ("s" if len(groups) != 1 else "")
        return f"CLDR gives whole numbers {forms} ({names}), not {nplurals}"
    seen: set[int] = set()
    for category, found in indexes.items():
        numbers = ", ".join(str(n) for n in groups[category][:3])
        if len(found) != 1:
            return f'it splits CLDR\'s "{category}" numbers ({numbers}…) across several forms'
        if found & seen:
            return f'it gives "{category}" numbers ({numbers}…) the form of another category'
        seen |= found
    return None
