"""Hypothesis strategies for translations that try to change a printed number: format specs on
the source's placeholders, and contact-like strings (digit groups with any separator, domain
names, e-mail addresses, URLs) among ordinary words."""

from __future__ import annotations

from hypothesis import strategies as st

from leaflets.i18n.checks.placeholders import find_placeholders

DIGITS = st.text(st.sampled_from("0123456789"), min_size=1, max_size=4)
SEPARATORS = st.sampled_from(["", " ", "-", ".", "/", "(", ")", " - ", ". ", "\u200b", "\u00a0"])
DIGIT_GROUPS = st.lists(st.tuples(DIGITS, SEPARATORS), min_size=1, max_size=4).map(
    lambda parts: "".join(digits + separator for digits, separator in parts)
)
DOMAINS = st.builds(
    "{}{}.{}{}".format,
    st.sampled_from(["", "www.", "https://", "//"]),
    st.sampled_from(["ayuda", "trata-ayuda", "x1", "AYUDA"]),
    st.sampled_from(["es", "org", "example", "co", "UU"]),
    st.sampled_from(["", "/es", ".", " "]),
)
EMAILS = st.builds(
    "{}{}{}.{}".format,
    st.sampled_from(["ayuda", "a.b", "x+y", "amig"]),
    st.sampled_from(["@", "＠", " @ "]),
    st.sampled_from(["trata", "t", "s"]),
    st.sampled_from(["org", "example", "es"]),
)
ODD = st.sampled_from(
    ["３", "٣", "¹", "%%", "%", "%(number)", "mailto:", "tel:", "\u0301", "\u200d", "\u2060"]
)
CONTACT_LIKE = st.one_of(DIGIT_GROUPS, DOMAINS, EMAILS, ODD)
WORDS = st.sampled_from(
    ["llame", "al", "Tel.", "Oficina", "24", "EE.UU.", "p.ej.", "a.m.", "HELP", "Tod@s"]
)
PUNCTUATION = st.sampled_from([" ", " ", ".", ", ", ": ", "(", ")", "–", "-", "/", "\n"])
# Mostly words, so that a fair share of translations pass the rules and reach the page.
FRAGMENT = st.one_of(WORDS, WORDS, WORDS, WORDS, PUNCTUATION, PUNCTUATION, CONTACT_LIKE)
SPECS = st.sampled_from(
    [".0", ".2", "5", "-3", "l", "#", "0", "+", " ", "99999999999", "30000000", "*", ".*"]
)
CONVERSIONS = st.sampled_from(["s", "d", "r", "x", "c"])


@st.composite
def changed_token(draw: st.DrawFn, token: str) -> str:
    """The token with a format spec, another conversion, or as braces."""
    name = token[2:-2]
    how = draw(st.sampled_from(["spec", "conversion", "brace", "lone"]))
    if how == "spec":
        return f"%({name}){draw(SPECS)}s"
    if how == "conversion":
        return f"%({name}){draw(CONVERSIONS)}"
    if how == "brace":
        return "{" + name + "}"
    return "%" + draw(SPECS) + "s"


@st.composite
def translations(draw: st.DrawFn, source: str) -> str:
    """A translation of `source`: its words replaced by others and its placeholders kept (now
    and then changed or repeated), with a contact-like string, punctuation or a word put in
    anywhere; or, a third of the time, any mix of fragments and the placeholders."""
    tokens = sorted(str(p) for p in find_placeholders(source))
    if draw(st.integers(0, 2)) == 0:
        pieces = draw(st.lists(FRAGMENT, max_size=6))
    else:
        words = draw(st.lists(WORDS, min_size=len(tokens) + 1, max_size=len(tokens) + 4))
        pieces = [f" {word} " for word in words]
    repeated = draw(st.lists(st.sampled_from(tokens), max_size=1)) if tokens else []
    for token in tokens + repeated:
        if draw(st.integers(0, 7)) == 0:
            token = draw(changed_token(token))
        pieces.insert(draw(st.integers(0, len(pieces))), token)
    for extra in draw(st.lists(FRAGMENT, max_size=2)):
        pieces.insert(draw(st.integers(0, len(pieces))), extra)
    return "".join(pieces).strip()
