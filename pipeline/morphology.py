"""Russian lemmas from pymorphy3: the analyzer is loaded once per process, and each word form is analysed once."""

from __future__ import annotations

import re
from functools import cache

# A word is a run of letters: hyphens, digits and punctuation split words, as SQLite's unicode61 tokenizer does.
WORD = re.compile(r"[^\W\d_]+")


@cache
def analyzer():
    """The pymorphy3 analyzer with its Russian dictionaries, loaded on first use (about 0.1 s)."""
    import pymorphy3

    return pymorphy3.MorphAnalyzer(lang="ru")


@cache
def lemma(word: str) -> str:
    """The dictionary form of one lower-case word (the most probable one when ambiguous)."""
    return analyzer().parse(word)[0].normal_form


def lemmas(text: str) -> list[str]:
    """The dictionary form of every word of `text`, in order, lower case (the most probable one when ambiguous)."""
    return [lemma(word) for word in WORD.findall(text.lower())]
