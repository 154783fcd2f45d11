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


def plain(text: str) -> str:
    """ё read as е, as the UN's Russian texts write it."""
    return text.replace("ё", "е")


def dictionary_forms(word: str) -> frozenset[str]:
    """Every dictionary form pymorphy3 reads one lower-case word as (ё read as е); a number is its own."""
    if word.isdigit():
        return frozenset({word})
    return frozenset(plain(reading.normal_form) for reading in analyzer().parse(word))


@cache
def lemma(word: str) -> str:
    """The dictionary form of one lower-case word (the most probable one when ambiguous)."""
    return analyzer().parse(word)[0].normal_form


def lemmas(text: str) -> list[str]:
    """The dictionary form of every word of `text`, in order, lower case (the most probable one when ambiguous)."""
    return [lemma(word) for word in WORD.findall(text.lower())]
