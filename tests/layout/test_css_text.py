"""A translated page label becomes CSS `content` (layout/css_text.py): every character of the
untrusted text escaped, each placeholder a counter that no translation can forge."""

from __future__ import annotations

import re

from markupsafe import Markup, escape

from leaflets.layout.css_text import PAGE, PAGES, css_string, page_label_content
from leaflets.layout.passages import mark_fallback
from leaflets.untrusted import forbidden_characters


def _strings(content: str) -> list[str]:
    """The CSS strings of a content value, unescaped."""
    return [
        re.sub(r"\\([0-9a-f]{6})", lambda m: chr(int(m.group(1), 16)), s)
        for s in re.findall(r'"((?:[^"\\]|\\[0-9a-f]{6})*)"', content)
    ]


def test_the_label_is_strings_and_counters():
    content = str(page_label_content(escape(f"Página {PAGE} de {PAGES}")))
    assert re.fullmatch(r'"[^"]*" counter\(page\) "[^"]*" counter\(pages\)', content), content
    assert _strings(content) == ["Página ", " de "]


def test_a_hostile_translation_cannot_leave_the_string_or_the_style_element():
    hostile = f'Page"; }} </style><script>x</script> \\" {PAGE} \n of {PAGES} \'%'
    content = str(page_label_content(escape(hostile)))  # gettext hands over escaped Markup
    # Nothing but letters, digits, escapes, quotes around them and the two counters.
    assert re.fullmatch(r'("[A-Za-z0-9\\]*"|counter\(pages?\)| )+', content), content
    assert "".join(_strings(content)) == hostile.replace(PAGE, "").replace(PAGES, "")
    assert content.count("counter(") == 2


def test_fallback_marks_do_not_print_and_a_label_in_english_still_counts():
    content = str(page_label_content(Markup(escape(mark_fallback(f"Page {PAGE} of {PAGES}")))))
    assert _strings(content) == ["Page ", " of "]
    assert css_string("") == '""'


def test_no_catalog_can_carry_the_counters_sentinels():
    assert forbidden_characters(f"Página {PAGE} de {PAGES}") == [
        f"U+{ord(PAGE):04X} (noncharacter)",
        f"U+{ord(PAGES):04X} (noncharacter)",
    ]
