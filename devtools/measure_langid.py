"""Measure a language identifier on the project's own catalogs (issue 23): whole strings by
length, and every window of consecutive words by its count of letters, among en, es and ht.

    .venv/bin/python devtools/measure_langid.py py3langid   # or: langid (pip install langid)

Prints the load time, then accuracy per bucket; docs/architecture.md quotes the results."""

from __future__ import annotations

import re
import sys
import time
from pathlib import Path

from leaflets.i18n.checks.placeholders import strip_placeholders
from leaflets.i18n.po.catalog import read_catalog

LOCALES = Path(__file__).resolve().parent.parent / "locales"
LANGUAGES = ["en", "es", "ht"]


def identifier(which: str):
    if which == "langid":
        from langid.langid import LanguageIdentifier, model

        return LanguageIdentifier.from_modelstring(model, norm_probs=True)
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def samples() -> list[tuple[str, str]]:
    found = []
    for lang in ("es", "ht"):
        for message in read_catalog(LOCALES / lang / "LC_MESSAGES" / "messages.po"):
            if not message.id or isinstance(message.id, (list, tuple)):
                continue
            if lang == "es":
                found.append(("en", message.id))
            if message.string:
                found.append((lang, message.string))
    return [(lang, " ".join(strip_placeholders(text).split())) for lang, text in found]


def main(which: str) -> None:
    started = time.perf_counter()
    ident = identifier(which)
    ident.set_languages(LANGUAGES)
    print(f"{which}: import and model {time.perf_counter() - started:.2f} s")
    whole: dict[str, list[int]] = {}
    for lang, text in samples():
        bucket = "<15" if len(text) < 15 else "15-29" if len(text) < 30 else "30+"
        whole.setdefault(bucket, [0, 0])
        whole[bucket][0] += ident.classify(text)[0] == lang
        whole[bucket][1] += 1
    for bucket, (right, total) in whole.items():
        print(f"  whole strings of {bucket} characters: {right}/{total}")
    windows: dict[int, list[int]] = {}
    for lang, text in samples():
        words = text.split()
        for i in range(len(words)):
            for j in range(i + 1, len(words) + 1):
                piece = " ".join(words[i:j])
                letters = len(re.findall(r"[^\W\d_]", piece))
                if letters > 40:
                    break
                counts = windows.setdefault(letters // 5 * 5, [0, 0])
                counts[0] += ident.classify(piece)[0] == lang
                counts[1] += 1
    for low, (right, total) in sorted(windows.items()):
        print(f"  windows of {low}-{low + 4} letters: {right}/{total} = {right / total:.3f}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "py3langid")
