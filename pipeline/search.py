"""One search by dictionary form, the same in the database, on the browse page and in pandas.

A query is read word by word (a word is a run of letters, as SQLite's unicode61 tokenizer splits text); each word
becomes its most probable dictionary form by pymorphy3, lower case with ё read as е (pipeline.morphology). A unit
matches when every one of those lemmas is a lemma of its own text. The database's full-text index holds the same
lemmas (column text_lemmas of recommendations_fts); the browse page carries each unit's lemmas and a map from every
form of those lemmas to its lemma, made by the same analysis, so that it finds the same units without a server.
"""

from __future__ import annotations

from collections.abc import Iterable

from pipeline.morphology import WORD, analyzer, lemma

SEARCHED_COLUMN = "text_lemmas"  # the column of the full-text index that the search reads


def normal(lemma_text: str) -> str:
    return lemma_text.replace("ё", "е")


def query_lemmas(query: str) -> list[str]:
    """The lemmas a query asks for, in order, without repeats."""
    return list(dict.fromkeys(normal(lemma(word)) for word in WORD.findall(query.lower())))


def text_lemmas(text: str) -> list[str]:
    """The lemmas of a text, in order of first occurrence, without repeats."""
    return list(dict.fromkeys(normal(lemma(word)) for word in WORD.findall(text.lower())))


def matches(text: str, query: str) -> bool:
    """Whether a unit whose own text is `text` matches `query` (an empty query matches nothing)."""
    wanted = query_lemmas(query)
    return bool(wanted) and set(wanted) <= set(text_lemmas(text))


def fts_query(query: str) -> str | None:
    """The FTS5 query that finds the units matching `query` in recommendations_fts; None for a query without words."""
    wanted = query_lemmas(query)
    if not wanted:
        return None
    return f"{SEARCHED_COLUMN} : (" + " AND ".join(f'"{word}"' for word in wanted) + ")"


def form_map(texts: Iterable[str]) -> dict[str, str]:
    """{form: lemma} for every form of every lemma of `texts`, written with ё and with е, whose most probable lemma
    is itself a lemma of the texts: what a page needs to read any query word as the database does (a word not in the
    map has a lemma that no text has, so it matches nothing)."""
    wanted: set[str] = set()
    words: set[str] = set()
    for text in texts:
        for word in WORD.findall(text.lower()):
            words.add(word)
            wanted.add(normal(lemma(word)))
    forms: dict[str, str] = {}
    candidates: set[str] = set()
    for word in words:
        for parse in analyzer().parse(word):
            if normal(parse.normal_form) in wanted:
                candidates.update(form.word for form in parse.lexeme)
    candidates |= words
    for form in sorted(candidates | {normal(form) for form in candidates}):
        found = normal(lemma(form))
        if found in wanted:
            forms[form] = found
    return forms
