"""The themes lexicon of the loaded rules, indexed for matching: every word form of its lemmas, and its entries by
the lemma that can start them. Made once per classify stage from `Rules.lexicon` (pipeline.rules)."""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.morphology import analyzer as morph_analyzer
from pipeline.morphology import plain
from pipeline.rules import Entry, Lexicon


@dataclass(frozen=True)
class LexiconIndex:
    lexicon: Lexicon
    forms: dict[str, frozenset[str]]  # every inflected form of a lexicon lemma (ё read as е) → the lemmas it is a form of
    by_first_lemma: dict[str, list[Entry]]  # the theme and group entries under each lemma that can start them


def index_lexicon(lexicon: Lexicon) -> LexiconIndex:
    """The index of `lexicon`.

    pymorphy3 gives the forms of each lemma's paradigms in its dictionaries. A word of those dictionaries is a form of
    a lemma exactly when pymorphy3 reads it as that lemma, so a text is matched through the table of forms, and only
    the words between two matched ones are analysed (to tell function words). A word that is not in the
    dictionaries, which pymorphy3 could only guess at, matches no entry.
    """
    entries = lexicon.of("theme") + lexicon.of("group")
    lemmas = {lemma for entry in entries for alternatives in entry.lemmas for lemma in alternatives}
    found: dict[str, set[str]] = {}
    for lemma in sorted(lemmas):
        for reading in morph_analyzer().parse(lemma):
            if plain(reading.normal_form) == lemma:
                for form in reading.lexeme:
                    found.setdefault(plain(form.word), set()).add(lemma)
    by_first_lemma: dict[str, list[Entry]] = {}
    for entry in entries:
        for lemma in entry.lemmas[0]:
            by_first_lemma.setdefault(lemma, []).append(entry)
    return LexiconIndex(lexicon, {form: frozenset(lemmas) for form, lemmas in found.items()}, by_first_lemma)
