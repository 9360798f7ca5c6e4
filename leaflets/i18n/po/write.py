"""Writing catalog entries exactly as GNU gettext's msgcat writes them (write-po.c).

The order of the comment lines, the `#:` references filled to 79 columns, the flags gettext
knows in its own order, the `#|` previous strings, every string wrapped by powrap.py: a file
leaflets writes is one that `msgcat` reproduces byte for byte. Flags gettext does not know
(`allow-identical`, Weblate's `max-length:N`) are kept after its own, so nothing a translator
typed is lost; `leaflets check` says that gettext's tools drop them.
"""

from __future__ import annotations

import re

from babel.messages.catalog import Message

from .wrap import PAGE_WIDTH, wrap_string

# gettext 0.21's format languages, in the order its `#,` line lists them (message.c).
FORMAT_LANGUAGES = [
    "c",
    "objc",
    "python",
    "python-brace",
    "java",
    "java-printf",
    "csharp",
    "javascript",
    "scheme",
    "lisp",
    "elisp",
    "librep",
    "ruby",
    "sh",
    "awk",
    "lua",
    "object-pascal",
    "smalltalk",
    "qt",
    "qt-plural",
    "kde",
    "kde-kuit",
    "boost",
    "tcl",
    "perl",
    "perl-brace",
    "php",
    "gcc-internal",
    "gfc-internal",
    "ycp",
]
_FORMAT_FLAG = re.compile(r"^(no-|possible-|impossible-)?(.+)-format$")
_RANGE_FLAG = re.compile(r"^range: (\d+)\.\.(\d+)$")


def entry_lines(
    message: Message, *, obsolete: bool = False, width: int | None = PAGE_WIDTH
) -> list[str]:
    """The lines of one entry, without the blank line that separates entries, wrapped at
    `width` columns as `msgcat -w WIDTH` does; None is `msgcat --no-wrap` (whose `#:` lines
    still fill the default width)."""
    # A comment of several lines is written as several comment lines, as gettext does.
    lines = [f"# {c}" if c else "#" for c in _split(message.user_comments)]
    lines += [f"#. {c}" if c else "#." for c in _split(message.auto_comments)]
    lines += reference_lines(message.locations, width or PAGE_WIDTH)
    strings = message.string if isinstance(message.string, (list, tuple)) else [message.string]
    flags = flag_words(message.flags, bool(strings and strings[0]), obsolete=obsolete)
    if flags:
        lines.append("#, " + ", ".join(flags))
    directives = _directive_finder(message.flags)
    wrap = "no-wrap" not in message.flags and width is not None

    def put(prefix: str, keyword: str, value: str) -> None:
        lines.extend(
            wrap_string(
                keyword,
                value,
                prefix=prefix,
                directives=directives(value),
                wrap=wrap,
                page_width=width or PAGE_WIDTH,
            )
        )

    previous_prefix = "#~| " if obsolete else "#| "
    previous_context = getattr(message, "previous_context", None)
    if previous_context is not None:
        put(previous_prefix, "msgctxt", previous_context)
    for keyword, value in zip(("msgid", "msgid_plural"), message.previous_id or (), strict=False):
        put(previous_prefix, keyword, value)
    prefix = "#~ " if obsolete else ""
    if message.context is not None:
        put(prefix, "msgctxt", message.context)
    if isinstance(message.id, (list, tuple)):
        put(prefix, "msgid", message.id[0])
        put(prefix, "msgid_plural", message.id[1])
        for index, form in enumerate(strings):
            put(prefix, f"msgstr[{index}]", form or "")
    else:
        put(prefix, "msgid", message.id)
        put(prefix, "msgstr", strings[0] or "")
    return lines


def _split(comments: list[str]) -> list[str]:
    return [line for comment in comments for line in comment.split("\n")]


def reference_lines(locations: list[tuple[str, int | None]], width: int = PAGE_WIDTH) -> list[str]:
    """`#:` lines, filled to the page width as gettext fills them."""
    if not locations:
        return []
    lines: list[str] = []
    line, column = "#:", 2
    for filename, number in dict.fromkeys(locations):
        while filename.startswith("./"):
            filename = filename[2:]
        token = filename if number is None else f"{filename}:{number}"
        if column > 2 and column + len(token) + 1 > width:
            lines.append(line)
            line, column = "#:", 2
        line += " " + token
        column += len(token) + 1
    lines.append(line)
    return lines


def flag_words(flags: set[str], translated: bool, *, obsolete: bool = False) -> list[str]:
    """The `#,` flags as gettext writes them: fuzzy (only on a translated entry), the format
    flags in gettext's order (possible-X-format written as X-format), a range, no-wrap; then
    any flag gettext does not know, sorted."""
    words = ["fuzzy"] if "fuzzy" in flags and (translated or obsolete) else []
    formats: dict[str, str] = {}
    for flag in flags:
        match = _FORMAT_FLAG.match(flag)
        if match and match.group(2) in FORMAT_LANGUAGES and match.group(1) != "impossible-":
            formats[match.group(2)] = "no-" if match.group(1) == "no-" else ""
    words += [f"{formats[lang]}{lang}-format" for lang in FORMAT_LANGUAGES if lang in formats]
    ranges = [flag for flag in flags if _RANGE_FLAG.match(flag)]
    if ranges and not obsolete:
        words.append(ranges[0])
    if "no-wrap" in flags:
        words.append("no-wrap")
    return words + unknown_flags(flags)


def unknown_flags(flags: set[str]) -> list[str]:
    """Flags that gettext's tools (msgcat, msgmerge) do not know, and so drop."""
    return sorted(flag for flag in flags if not _known_flag(flag))


def _known_flag(flag: str) -> bool:
    match = _FORMAT_FLAG.match(flag)
    if match and match.group(2) in FORMAT_LANGUAGES:
        return True
    return flag in {"fuzzy", "wrap", "no-wrap"} or bool(_RANGE_FLAG.match(flag))


def _directive_finder(flags: set[str]):
    """The function that finds format directives in a string, for the entry's format flag."""
    for lang in FORMAT_LANGUAGES:
        if f"{lang}-format" in flags or f"possible-{lang}-format" in flags:
            if lang == "python":
                return python_directives
            if lang == "python-brace":
                return brace_directives
            return lambda value: []
    return lambda value: []


def python_directives(value: str) -> list[tuple[int, int]]:
    """Spans of Python %-directives, as gettext's format-python.c marks them: every directive
    up to the first malformed one (which gettext lets be broken)."""
    spans: list[tuple[int, int]] = []
    named = unnamed = False
    i, end = 0, len(value)

    def digits(j: int) -> int:
        while j < end and "0" <= value[j] <= "9":
            j += 1
        return j

    while i < end:
        if value[i] != "%":
            i += 1
            continue
        start, i = i, i + 1
        name = None
        if i < end and value[i] == "(":
            depth, j = 0, i + 1
            while j < end and not (value[j] == ")" and depth == 0):
                depth += {"(": 1, ")": -1}.get(value[j], 0)
                j += 1
            if j >= end:
                return spans
            name, i = value[i + 1 : j], j + 1
        while i < end and value[i] in "-+ #0":
            i += 1
        for part in ("width", "precision"):
            if part == "precision":
                if i >= end or value[i] != ".":
                    break
                i += 1
            if i < end and value[i] == "*":
                if named:
                    return spans
                unnamed, i = True, i + 1
            else:
                i = digits(i)
        if i < end and value[i] in "hlL":
            i += 1
        if i >= end or value[i] not in "%csridouxXeEfgG":
            return spans
        if name is not None:
            if unnamed:
                return spans
            named = True
        elif value[i] != "%":
            if named:
                return spans
            unnamed = True
        spans.append((start, i + 1))
        i += 1
    return spans


_BRACE = re.compile(r"\{\{|\}\}|\{[^{}]*(?:\{[^{}]*\}[^{}]*)?\}")


def brace_directives(value: str) -> list[tuple[int, int]]:
    """Spans of `{name}` directives (python-brace-format); `{{` and `}}` are literal braces."""
    return [m.span() for m in _BRACE.finditer(value) if m.group(0) not in ("{{", "}}")]
