"""Themes, groups of people and SDG targets of each unit, read by lemma with the lexicon of the rules (classify stage).

The vocabulary (rules/themes.csv, rules/groups.csv) is a closed list of codes; the lexicon (rules/lexicon.csv) says
which lemma sequences give a theme or a group. pymorphy3 turns every word form of a unit's text into its lemmas,
so one entry covers every inflected form. See the README section "Themes, groups of people and SDG targets".
"""
from __future__ import annotations

from collections import Counter

import pandas as pd

from pipeline.schema import field_names, pandas_dtypes
from pipeline.rules import Entry, Lexicon, Vocabulary
from pipeline.stages.tabulate import paragraph_id
from pipeline.stages.themes.lemmatizer import MAX_GAP, Lemmatizer, Text
from pipeline.stages.themes.lexicon import LexiconIndex, index_lexicon

# Reading one text


def matched_entries(index: LexiconIndex, text: Text) -> list[Entry]:
    """The theme and group entries whose lemma sequence occurs in `text` (from Lemmatizer.read), in lexicon order."""
    candidates = {entry.line: entry for lemma in text.positions for entry in index.by_first_lemma.get(lemma, ())}
    return [entry for _, entry in sorted(candidates.items())
            if all(not alternatives.isdisjoint(text.positions) for alternatives in entry.lemmas)  # every lemma occurs
            and _occurs(entry.lemmas, text)]


def _occurs(lemmas: tuple[frozenset[str], ...], text: Text) -> bool:
    return any(_continues(lemmas, 1, start, text) for start in _positions(lemmas[0], text))


def _continues(lemmas: tuple[frozenset[str], ...], k: int, at: int, text: Text) -> bool:
    """Whether lemmas[k:] follow the word at `at` in order, each within MAX_GAP content words of the one before."""
    if k == len(lemmas):
        return True
    for following in _positions(lemmas[k], text):
        if following <= at:
            continue
        gap = text.gap(at, following)
        if gap is None or gap > MAX_GAP:
            return False  # positions are in order: every later one is further away
        if _continues(lemmas, k + 1, following, text):
            return True
    return False


def _positions(alternatives: frozenset[str], text: Text) -> list[int]:
    found = [text.positions[lemma] for lemma in alternatives if lemma in text.positions]
    return found[0] if len(found) == 1 else sorted({position for positions in found for position in positions})


def unit_codes(text: str, cites: list[str], addressee: str | None, index: LexiconIndex,
               lemmatizer: Lemmatizer) -> tuple[list[str], list[str]]:
    """Themes and groups of one unit's own text, in the vocabulary's order.

    Themes come from the lexicon's lemma sequences, from the articles cited (through the vocabulary's crosswalk)
    and from the addressee (None for a subparagraph, whose addressee is its chapeau's).
    """
    lexicon = index.lexicon
    matched = matched_entries(index, lemmatizer.read(text, index))
    themes = {entry.code for entry in matched if entry.field == "theme"}
    themes |= {code for cite in cites for code in lexicon.vocabulary.themes_citing(_article(cite))}
    themes |= {entry.code for entry in lexicon.of("addressee") if addressee in entry.lemmas[0]}
    groups = {entry.code for entry in matched if entry.field == "group"}
    return _ordered(themes, lexicon.vocabulary.theme_codes), _ordered(groups, lexicon.vocabulary.group_codes)


def _article(cite: str) -> str:
    """protocol:14.3 → protocol:14; a chapter or an instrument cited as a whole stays as it is."""
    return cite.split(".")[0]


def _ordered(codes: set[str], order: list[str]) -> list[str]:
    return [code for code in order if code in codes]


# The classify stage's part


def classify_themes(frame: pd.DataFrame, lexicon: Lexicon) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Fill themes, groups and sdg_targets of every unit from `lexicon`; return the frame and the themes table."""
    index = index_lexicon(lexicon)
    lemmatizer = Lemmatizer()
    themes, groups = {}, {}
    for row in frame[["id", "kind", "text", "cites", "addressee"]].to_dict("records"):
        addressee = None if row["kind"] == "subparagraph" else row["addressee"]
        themes[row["id"]], groups[row["id"]] = unit_codes(row["text"], row["cites"], addressee, index, lemmatizer)
    _add_subparagraphs_to_chapeaus(frame, themes, lexicon.vocabulary.theme_codes)
    _add_subparagraphs_to_chapeaus(frame, groups, lexicon.vocabulary.group_codes)
    ids = frame["id"].tolist()
    classified = frame.assign(
        themes=pd.Series([themes[i] for i in ids], index=frame.index, dtype=object),
        groups=pd.Series([groups[i] for i in ids], index=frame.index, dtype=object),
        sdg_targets=pd.Series([lexicon.vocabulary.sdg_targets(themes[i]) for i in ids], index=frame.index,
                              dtype=object),
    )
    return classified, themes_table(classified, lexicon.vocabulary)


def _add_subparagraphs_to_chapeaus(frame: pd.DataFrame, codes: dict[str, list[str]], order: list[str]) -> None:
    """A chapeau has the codes of its subparagraphs as well as its own."""
    for row in frame.loc[frame["kind"] == "subparagraph", ["id", "meeting", "number"]].to_dict("records"):
        chapeau = paragraph_id(row["meeting"], row["number"])
        codes[chapeau] = _ordered(set(codes[chapeau]) | set(codes[row["id"]]), order)


def themes_table(recommendations: pd.DataFrame, vocabulary: Vocabulary) -> pd.DataFrame:
    """One row per theme of the vocabulary, with the number of units that have it."""
    units = Counter(code for codes in recommendations["themes"] for code in codes)
    rows = [{"code": theme.code, "name": theme.name, "name_ru": theme.name_ru, "definition": theme.definition,
             "articles": list(theme.articles), "sdg_targets": list(theme.sdg_targets), "units": units[theme.code]}
            for theme in vocabulary.themes]
    return pd.DataFrame.from_records(rows, columns=field_names("themes")).astype(pandas_dtypes("themes"))


def units_without_theme(frame: pd.DataFrame) -> list[str]:
    return frame.loc[frame["themes"].map(len) == 0, "id"].tolist()


def themes_summary(tables) -> str:
    """Units per theme and how many have none, for the classify line of the build log."""
    per_theme = ", ".join(f"{row.code} {row.units}" for row in tables.themes.itertuples())
    return f"units per theme: {per_theme}; {len(units_without_theme(tables.recommendations))} without a theme"
