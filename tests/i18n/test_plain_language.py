"""The English source reads plainly: short sentences and common words. Measured on the messages
extracted from the templates, which are the English text of every leaflet."""

from __future__ import annotations

import re
import statistics

import pytest

from leaflets.config import project as project_mod
from leaflets.i18n.commands import update as workflow
from tests.conftest import REPO

MAX_WORDS = 20  # per sentence, quotations aside
MAX_MEAN_WORDS = 12
# Words the State Department's text used that a reader with limited English may not know; each
# has a plain replacement in the templates.
HARD_WORDS = (
    "multi-dimensional",
    "transnational",
    "deprives",
    "undermines",
    "repatriation",
    "coerced",
    "defrauded",
    "snared",
    "extensively",
    "rehabilitation",
    "devastating",
)


@pytest.fixture(scope="module")
def sentences() -> list[str]:
    catalog = workflow.extract(project_mod.load(REPO))
    found = []
    for message in catalog:
        if not message.id:
            continue
        text = message.id if isinstance(message.id, str) else message.id[0]
        text = re.sub(r"“[^”]*”", "“…”", text)  # a quotation is not ours to shorten
        found += [s for s in re.split(r"(?<=[.!?:;])\s+", text) if len(s.split()) > 2]
    return found


def test_sentences_are_short(sentences):
    long = [s for s in sentences if len(s.split()) > MAX_WORDS]
    assert not long, long
    assert statistics.mean(len(s.split()) for s in sentences) <= MAX_MEAN_WORDS


def test_common_words(sentences):
    used = sorted({w for w in HARD_WORDS for s in sentences if w in s.lower()})
    assert not used, used
