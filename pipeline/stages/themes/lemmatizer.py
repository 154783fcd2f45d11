"""Word forms read as lemmas by pymorphy3, for the texts the themes lexicon is matched against (classify stage)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from pipeline.morphology import analyzer as morph_analyzer
from pipeline.morphology import plain
from pipeline.stages.themes.lexicon import LexiconIndex

# A word of the text: letters or digits; hyphens, slashes and punctuation separate words.
WORD = re.compile(r"[0-9a-zа-яё]+")
# Consecutive lemmas of an entry may have at most this many other words between them, not counting words that can be
# read as a preposition, conjunction, particle or pronoun («обмена оперативной информацией», «защиты незаконно
# ввезенных мигрантов», «поддержку в выполнении его мандата»), and never a full stop, semicolon or colon.
MAX_GAP = 2
FUNCTION_POS = frozenset({"PREP", "CONJ", "PRCL", "NPRO"})
CLAUSE_BREAK = re.compile(r"[.;:]")


@dataclass(frozen=True)
class Word:
    lemmas: frozenset[str]
    function: bool  # can be read as a preposition, conjunction, particle or pronoun


@dataclass(frozen=True)
class Text:
    """A text read word by word: where each lexicon lemma occurs, and what lies between two words."""

    positions: dict[str, list[int]]  # lemma → positions of the words that are one of its forms, in order
    forms: list[str]  # the words, lower case, ё read as е
    clauses: list[int]  # clauses[i]: full stops, semicolons and colons before word i
    is_function: Callable[[str], bool]  # whether a word can be read as a preposition, conjunction, particle or pronoun

    def gap(self, before: int, after: int) -> int | None:
        """Content words strictly between two words, counted up to MAX_GAP + 1; None when a clause ends between."""
        if self.clauses[before] != self.clauses[after]:
            return None
        count = 0
        for form in self.forms[before + 1:after]:
            count += not self.is_function(form)
            if count > MAX_GAP:
                break
        return count


class Lemmatizer:
    """Lemmas and word classes of word forms by pymorphy3, each form analysed at most once and cached for the life of
    the object (one build)."""

    def __init__(self, analyzer=None):
        self.analyzer = analyzer or morph_analyzer()  # the process's one pymorphy3 analyser (pipeline.morphology)
        self.words: dict[str, Word] = {}

    def word(self, form: str) -> Word:
        if form not in self.words:
            if form.isdigit():  # a number is its own lemma; no dictionary needed
                self.words[form] = Word(frozenset({form}), False)
                return self.words[form]
            readings = self.analyzer.parse(form)
            self.words[form] = Word(frozenset(plain(reading.normal_form) for reading in readings),
                                    any(reading.tag.POS in FUNCTION_POS for reading in readings))
        return self.words[form]

    def lemmas(self, form: str) -> frozenset[str]:
        return self.word(plain(form.lower())).lemmas

    def is_function(self, form: str) -> bool:
        return self.word(form).function

    def read(self, text: str, index: LexiconIndex) -> Text:
        """`text` word by word, with the lexicon lemmas each word is a form of (LexiconIndex.forms)."""
        positions: dict[str, list[int]] = {}
        forms, clauses = [], []
        for clause, part in enumerate(CLAUSE_BREAK.split(plain(text.lower()))):
            for form in WORD.findall(part):
                for lemma in index.forms.get(form, ()):
                    positions.setdefault(lemma, []).append(len(forms))
                forms.append(form)
                clauses.append(clause)
        return Text(positions, forms, clauses, self.is_function)
